#include "services/sns/sns_service.h"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "jobs/job_queue.h"
#include "services/sns/sns_core.h"
#include "services/sns/sns_store.h"
#include "services/sqs/model/policy.h"

namespace overcast::sns {

AttributeMap attributeMapOf(const json::object& in, std::string_view name) {
  AttributeMap out;
  if (auto* v = in.if_contains(name); v && v->is_object())
    for (const auto& [k, val] : v->get_object())
      if (val.is_string()) out[std::string(k)] = std::string(val.get_string());
  return out;
}

std::map<std::string, std::string> tagsOf(const json::object& in, std::string_view name) {
  std::map<std::string, std::string> out;
  if (auto* v = in.if_contains(name); v && v->is_array())
    for (const auto& t : v->get_array())
      if (t.is_object()) out[stringOf(t.get_object(), "Key")] = stringOf(t.get_object(), "Value");
  return out;
}

Result<std::shared_ptr<const FilterPolicy>> parseFilter(const AttributeMap& attributes) {
  auto it = attributes.find("FilterPolicy");
  if (it == attributes.end() || it->second.empty()) return std::shared_ptr<const FilterPolicy>();
  auto scope = attributes.find("FilterPolicyScope");
  const bool body = scope != attributes.end() && scope->second == "MessageBody";
  auto parsed = FilterPolicy::parse(it->second, body ? FilterScope::MessageBody : FilterScope::MessageAttributes);
  if (!parsed) return parsed.error();
  return std::make_shared<const FilterPolicy>(std::move(*parsed));
}

std::string newToken(IdGenerator& ids) {
  std::string token;
  for (int i = 0; i < 4; ++i)
    for (char c : ids.uuid())
      if (c != '-') token += c;
  return token;
}

int64_t millisOf(TimePoint t) { return jobs::toMillis(t); }

SnsCore::SnsCore(store::Store& store, const Clock& clock, IdGenerator& ids, sqs::SqsDelivery& sqs,
                 SigningIdentity identity, SnsOptions options)
    : store_(store),
      clock_(clock),
      ids_(ids),
      sqs_(sqs),
      identity_(std::move(identity)),
      options_(std::move(options)),
      poster_(options_.http),
      mailer_(options_.mail, clock, ids) {}

Result<void> SnsCore::load() {
  return store_.read([&](store::ReadTxn& txn) -> Result<void> {
    auto rows = loadSns(txn);
    if (!rows) return rows.error();
    for (auto& t : rows->topics) registry_.putTopic(std::make_shared<const Topic>(std::move(t)));
    for (auto& s : rows->subscriptions) {
      if (auto filter = parseFilter(s.attributes)) s.filter = std::move(*filter);  // was valid when stored
      registry_.putSubscription(std::make_shared<const Subscription>(std::move(s)));
    }
    return {};
  });
}

Result<TopicPtr> SnsCore::authorizedTopic(const RequestContext& ctx, std::string_view arn, std::string_view action) const {
  if (!parseArn(arn, "sns")) return Error(ErrorCode::InvalidParameter, "Invalid parameter: TopicArn");
  auto topic = registry_.topic(arn);
  if (!topic) return Error(ErrorCode::NotFound, "Topic does not exist");
  const Topic& t = **topic;
  if (t.account == ctx.accountId) return *topic;
  const std::string policy = t.attribute("Policy");
  sqs::PolicyRequest request{ctx.accountId, "", fmt::format("sns:{}", action), t.arn, "", ""};
  if (!ctx.accountId.empty() && sqs::evaluatePolicy(policy, request) == sqs::PolicyDecision::Allow) return *topic;
  return Error(ErrorCode::AuthorizationError,
               fmt::format("User: arn:aws:iam::{}:root is not authorized to perform: SNS:{} on resource: {}",
                           ctx.accountId, action, t.arn));
}

std::string SnsCore::baseUrl(const RequestContext& ctx) const {
  const std::string& host = options_.urlHost.empty() ? ctx.host : options_.urlHost;
  return fmt::format("{}://{}", ctx.tls ? "https" : "http", host.empty() ? "localhost" : host);
}

std::string SnsCore::signingCertUrl(const RequestContext& ctx) const {
  std::string base = baseUrl(ctx);
  if (!tlsBaseUrl_.empty()) base = options_.urlHost.empty() ? tlsBaseUrl_ : "https://" + options_.urlHost;
  return fmt::format("{}/{}", base, identity_.certificateFileName());
}

Result<void> SnsCore::enqueueDelivery(store::WriteTxn& txn, const Subscription& s, json::object payload, TimePoint now,
                                      std::chrono::milliseconds delay) {
  payload["subscription"] = s.arn;
  payload["protocol"] = std::string(toString(s.protocol));
  payload["endpoint"] = s.endpoint;
  jobs::JobSpec spec;
  spec.kind = std::string(kSnsDeliveryJobKind);
  spec.target = s.arn;
  spec.payload = json::serialize(payload);
  spec.now = now;
  spec.delay = delay;
  // HTTP(S): the subscription's retry policy bounds the attempts (checked per attempt in
  // runDelivery); mail: AWS's customer-managed policy makes 50 attempts.
  spec.maxAttempts = 101;
  auto id = jobs::enqueueJob(txn, spec);
  if (!id) return id.error();
  return {};
}

Result<std::string> SnsCore::signedDocument(SnsMessage message, const Topic& topic) const {
  message.signatureVersion = topic.attribute("SignatureVersion") == "2" ? SignatureVersion::V2 : SignatureVersion::V1;
  return identity_.signedJson(message);
}

namespace {

class SnsService final : public api::TableService, public SnsHandle {
 public:
  explicit SnsService(std::unique_ptr<SnsCore> core) : core_(std::move(core)) {
    auto& c = *core_;
    using Ctx = const RequestContext&;
    using In = boost::json::object;
    add("CreateTopic", [&c](Ctx ctx, In in, Reply r) { c.createTopic(ctx, in, std::move(r)); });
    add("DeleteTopic", [&c](Ctx ctx, In in, Reply r) { c.deleteTopic(ctx, in, std::move(r)); });
    addSync("ListTopics", [&c](Ctx ctx, const In& in) { return c.listTopics(ctx, in); });
    addSync("GetTopicAttributes", [&c](Ctx ctx, const In& in) { return c.getTopicAttributes(ctx, in); });
    add("SetTopicAttributes", [&c](Ctx ctx, In in, Reply r) { c.setTopicAttributes(ctx, in, std::move(r)); });
    add("TagResource", [&c](Ctx ctx, In in, Reply r) { c.tagResource(ctx, in, std::move(r)); });
    add("UntagResource", [&c](Ctx ctx, In in, Reply r) { c.untagResource(ctx, in, std::move(r)); });
    addSync("ListTagsForResource", [&c](Ctx ctx, const In& in) { return c.listTagsForResource(ctx, in); });
    add("AddPermission", [&c](Ctx ctx, In in, Reply r) { c.addPermission(ctx, in, std::move(r)); });
    add("RemovePermission", [&c](Ctx ctx, In in, Reply r) { c.removePermission(ctx, in, std::move(r)); });
    add("Subscribe", [&c](Ctx ctx, In in, Reply r) { c.subscribe(ctx, in, std::move(r)); });
    add("ConfirmSubscription", [&c](Ctx ctx, In in, Reply r) { c.confirmSubscription(ctx, in, std::move(r)); });
    add("Unsubscribe", [&c](Ctx ctx, In in, Reply r) { c.unsubscribe(ctx, in, std::move(r)); });
    addSync("ListSubscriptions", [&c](Ctx ctx, const In& in) { return c.listSubscriptions(ctx, in); });
    addSync("ListSubscriptionsByTopic", [&c](Ctx ctx, const In& in) { return c.listSubscriptionsByTopic(ctx, in); });
    addSync("GetSubscriptionAttributes", [&c](Ctx ctx, const In& in) { return c.getSubscriptionAttributes(ctx, in); });
    add("SetSubscriptionAttributes", [&c](Ctx ctx, In in, Reply r) { c.setSubscriptionAttributes(ctx, in, std::move(r)); });
    add("Publish", [&c](Ctx ctx, In in, Reply r) { c.publish(ctx, in, std::move(r)); });
    add("PublishBatch", [&c](Ctx ctx, In in, Reply r) { c.publishBatch(ctx, in, std::move(r)); });
  }

  std::string_view name() const override { return "sns"; }
  // The SubscribeURL and UnsubscribeURL of a message are plain, unsigned GETs (as on AWS):
  // the token or the subscription ARN is the proof.
  bool allowsAnonymous(std::string_view action) const override {
    return action == "ConfirmSubscription" || action == "Unsubscribe";
  }

  void stop() override { core_->stop(); }
  void reset(std::function<void(Result<void>)> done) override { core_->reset(std::move(done)); }
  jobs::JobOutcome runDelivery(const jobs::Job& job) override { return core_->runDelivery(job); }
  void setJobWaker(std::function<void()> wake) override { core_->setJobWaker(std::move(wake)); }
  void setTlsBaseUrl(std::string url) override { core_->setTlsBaseUrl(std::move(url)); }
  const std::string& certificateFileName() const override { return core_->identity().certificateFileName(); }
  const std::string& certificatePem() const override { return core_->identity().certificatePem(); }

 private:
  std::unique_ptr<SnsCore> core_;
};

}  // namespace

SnsHandle* snsHandleOf(api::Service& service) { return dynamic_cast<SnsHandle*>(&service); }

Result<std::unique_ptr<api::Service>> makeSnsService(store::Store& store, const Clock& clock, IdGenerator& ids,
                                                     sqs::SqsDelivery& sqs, SnsOptions options) {
  auto identity = SigningIdentity::loadOrCreate(options.signingDir, clock.now());
  if (!identity) return identity.error();
  auto core = std::make_unique<SnsCore>(store, clock, ids, sqs, std::move(*identity), std::move(options));
  if (auto loaded = core->load(); !loaded) return loaded.error();
  return std::unique_ptr<api::Service>(std::make_unique<SnsService>(std::move(core)));
}

}  // namespace overcast::sns
