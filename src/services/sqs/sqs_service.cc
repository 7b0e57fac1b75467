#include "services/sqs/sqs_service.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "services/sqs/model/names.h"
#include "services/sqs/model/policy.h"
#include "services/sqs/sqs_core.h"
#include "services/sqs/sqs_store.h"

namespace overcast::sqs {

std::string fifoSequenceNumber(int64_t sequence) { return fmt::format("{:020}", sequence); }

constexpr size_t kMaxBatchEntries = 10;

Result<const json::array*> batchEntries(const json::object& in, std::string_view entryName) {
  auto* entries = in.if_contains("Entries");
  if (!entries || !entries->is_array() || entries->get_array().empty())
    return Error(ErrorCode::EmptyBatchRequest,
                 "There should be at least one " + std::string(entryName) + " in the request.");
  const auto& list = entries->get_array();
  if (list.size() > kMaxBatchEntries)
    return Error(ErrorCode::TooManyEntriesInBatchRequest,
                 "Maximum number of entries per request are 10. You have sent " + std::to_string(list.size()) + ".");
  std::set<std::string> ids;
  for (const auto& e : list) {
    std::string id = e.is_object() ? stringOf(e.get_object(), "Id") : std::string();
    if (!isNameToken(id))
      return Error(ErrorCode::InvalidBatchEntryId, "A batch entry id can only contain alphanumeric characters, "
                                                   "hyphens and underscores. It can be at most 80 letters long.");
    if (!ids.insert(id).second) return Error(ErrorCode::BatchEntryIdsNotDistinct, "Id " + id + " repeated.");
  }
  return &list;
}

SqsCore::SqsCore(store::Store& store, Scheduler& scheduler, const Clock& clock, IdGenerator& ids, SqsOptions options)
    : store_(store),
      scheduler_(scheduler),
      clock_(clock),
      ids_(ids),
      options_(std::move(options)),
      visibility_(store, scheduler) {}

Result<void> SqsCore::load() {
  return store_.read([&](store::ReadTxn& txn) -> Result<void> {
    auto queues = loadQueues(txn);
    if (!queues) return queues.error();
    for (auto& row : *queues) {
      auto queue = std::make_shared<Queue>(row.identity, row.settings, row.tags, row.createdAt, row.modifiedAt,
                                           &cachedBodyBytes_);
      auto loaded = loadMessages(
          txn, row.identity.queueId, [this](size_t bytes) { return reserveBody(bytes); },
          [&](MessageMeta&& meta) { queue->add(std::move(meta)); });
      if (!loaded) return loaded.error();
      registry_.add(std::move(queue));
    }
    std::lock_guard lock(taskMu_);
    return loadMoveTasks(txn);
  });
}

bool SqsCore::reserveBody(size_t bytes) {
  const auto n = static_cast<int64_t>(bytes);
  if (cachedBodyBytes_.fetch_add(n) + n <= options_.bodyCacheBytes) return true;
  cachedBodyBytes_.fetch_sub(n);
  return false;
}

std::string SqsCore::urlOf(const RequestContext& ctx, const Queue& queue) const {
  std::string host = options_.queueUrlHost.empty() ? ctx.host : options_.queueUrlHost;
  if (host.empty()) host = "localhost";
  return queueUrl(std::string(ctx.tls ? "https://" : "http://") + host, queue.identity().accountId,
                  queue.identity().name);
}

// Actions only a queue's owner may call, whatever its policy says (AddPermission docs).
static bool ownerOnly(std::string_view action) {
  static constexpr std::string_view kOwnerOnly[] = {
      "AddPermission", "CancelMessageMoveTask", "CreateQueue", "DeleteQueue", "ListMessageMoveTasks", "ListQueues",
      "ListQueueTags", "RemovePermission", "SetQueueAttributes", "StartMessageMoveTask", "TagQueue", "UntagQueue"};
  return std::find(std::begin(kOwnerOnly), std::end(kOwnerOnly), action) != std::end(kOwnerOnly);
}

Result<std::shared_ptr<Queue>> SqsCore::queueOf(const RequestContext& ctx, const json::object& in) const {
  auto address = parseQueueUrl(stringOf(in, "QueueUrl"));
  if (!address) return address.error();
  return authorizedQueue(ctx, address->account, address->name);
}

Result<std::shared_ptr<Queue>> SqsCore::authorizedQueue(const RequestContext& ctx, const std::string& owner,
                                                        const std::string& name) const {
  auto queue = registry_.find(owner, ctx.region, name);
  // Another account's queue is invisible without a grant: the same answer as no queue at all.
  const Error invisible(ErrorCode::QueueDoesNotExist, "The specified queue does not exist.");
  if (!queue) return invisible;
  const auto settings = queue->settings();
  const std::string& policy = settings->policy;
  if (policy.empty()) {  // the common case: only the owner, and no policy to read
    if (owner == ctx.accountId) return queue;
    return invisible;
  }
  PolicyRequest request{ctx.accountId, "", "sqs:" + ctx.action, queue->arn(), "", ""};
  auto decision = evaluatePolicy(policy, request);
  // Finding a queue's URL comes with any grant on it: a caller allowed to send must be able
  // to look the queue up first.
  if (ctx.action == "GetQueueUrl" && decision == PolicyDecision::NoMatch)
    for (std::string_view action : {"sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage",
                                    "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:PurgeQueue"}) {
      request.action = std::string(action);
      if (evaluatePolicy(policy, request) == PolicyDecision::Allow) {
        decision = PolicyDecision::Allow;
        break;
      }
    }
  if (owner == ctx.accountId) {
    if (decision == PolicyDecision::Deny)
      return Error(ErrorCode::AccessDenied, "Access to the resource " + name + " is denied.");
    return queue;
  }
  if (decision != PolicyDecision::Allow || ownerOnly(ctx.action)) return invisible;
  return queue;
}

namespace {

class SqsService final : public api::TableService, public SqsDelivery {
 public:
  void deliverFromTopic(std::vector<TopicDelivery> deliveries,
                        std::function<void(std::vector<Result<void>>)> done) override {
    core_->deliverFromTopic(std::move(deliveries), std::move(done));
  }

  explicit SqsService(std::unique_ptr<SqsCore> core) : core_(std::move(core)) {
    auto& c = *core_;
    using Ctx = const RequestContext&;
    using In = boost::json::object;
    add("CreateQueue", [&c](Ctx ctx, In in, Reply r) { c.createQueue(ctx, in, std::move(r)); });
    addSync("GetQueueUrl", [&c](Ctx ctx, const In& in) { return c.getQueueUrl(ctx, in); });
    addSync("ListQueues", [&c](Ctx ctx, const In& in) { return c.listQueues(ctx, in); });
    add("DeleteQueue", [&c](Ctx ctx, In in, Reply r) { c.deleteQueue(ctx, in, std::move(r)); });
    add("PurgeQueue", [&c](Ctx ctx, In in, Reply r) { c.purgeQueue(ctx, in, std::move(r)); });
    addSync("GetQueueAttributes", [&c](Ctx ctx, const In& in) { return c.getQueueAttributes(ctx, in); });
    add("SetQueueAttributes", [&c](Ctx ctx, In in, Reply r) { c.setQueueAttributes(ctx, in, std::move(r)); });
    add("TagQueue", [&c](Ctx ctx, In in, Reply r) { c.tagQueue(ctx, in, std::move(r)); });
    add("UntagQueue", [&c](Ctx ctx, In in, Reply r) { c.untagQueue(ctx, in, std::move(r)); });
    addSync("ListQueueTags", [&c](Ctx ctx, const In& in) { return c.listQueueTags(ctx, in); });
    addSync("ListDeadLetterSourceQueues",
            [&c](Ctx ctx, const In& in) { return c.listDeadLetterSourceQueues(ctx, in); });
    add("AddPermission", [&c](Ctx ctx, In in, Reply r) { c.addPermission(ctx, in, std::move(r)); });
    add("RemovePermission", [&c](Ctx ctx, In in, Reply r) { c.removePermission(ctx, in, std::move(r)); });
    add("StartMessageMoveTask", [&c](Ctx ctx, In in, Reply r) { c.startMessageMoveTask(ctx, in, std::move(r)); });
    addSync("ListMessageMoveTasks", [&c](Ctx ctx, const In& in) { return c.listMessageMoveTasks(ctx, in); });
    addSync("CancelMessageMoveTask", [&c](Ctx ctx, const In& in) { return c.cancelMessageMoveTask(ctx, in); });
    add("SendMessage", [&c](Ctx ctx, In in, Reply r) { c.sendMessage(ctx, in, std::move(r)); });
    add("SendMessageBatch", [&c](Ctx ctx, In in, Reply r) { c.sendMessageBatch(ctx, in, std::move(r)); });
    add("ReceiveMessage", [&c](Ctx ctx, In in, Reply r) { c.receiveMessage(ctx, std::move(in), std::move(r)); });
    add("DeleteMessage", [&c](Ctx ctx, In in, Reply r) { c.deleteMessage(ctx, in, std::move(r)); });
    add("DeleteMessageBatch", [&c](Ctx ctx, In in, Reply r) { c.deleteMessageBatch(ctx, in, std::move(r)); });
    addSync("ChangeMessageVisibility", [&c](Ctx ctx, const In& in) { return c.changeMessageVisibility(ctx, in); });
    addSync("ChangeMessageVisibilityBatch",
            [&c](Ctx ctx, const In& in) { return c.changeMessageVisibilityBatch(ctx, in); });
  }
  std::string_view name() const override { return "sqs"; }

  // A batch with no entries reaches the decoder as a missing required list; AWS calls it an
  // empty batch.
  Error inputError(std::string_view action, Error error) const override {
    if (error.code() == ErrorCode::MissingParameter && action.ends_with("Batch") &&
        error.message().find("Entr") != std::string::npos)
      return Error(ErrorCode::EmptyBatchRequest, "There should be at least one " + std::string(action) +
                                                     "RequestEntry in the request.");
    return error;
  }

  void stop() override { core_->flushLazyRecords(); }
  void reset(std::function<void(Result<void>)> done) override { core_->reset(std::move(done)); }

 private:
  std::unique_ptr<SqsCore> core_;
};

}  // namespace

SqsDelivery* sqsDeliveryOf(api::Service& service) { return dynamic_cast<SqsDelivery*>(&service); }

Result<std::unique_ptr<api::Service>> makeSqsService(store::Store& store, Scheduler& scheduler, const Clock& clock,
                                                     IdGenerator& ids, SqsOptions options) {
  auto core = std::make_unique<SqsCore>(store, scheduler, clock, ids, std::move(options));
  if (auto loaded = core->load(); !loaded) return loaded.error();
  return std::unique_ptr<api::Service>(std::make_unique<SqsService>(std::move(core)));
}

}  // namespace overcast::sqs
