// CreateTopic, DeleteTopic, ListTopics, Get/SetTopicAttributes and the tag actions. Every change
// is durable before the answer; memory follows the store.
#include <fmt/format.h>

#include "services/sns/sns_core.h"
#include "services/sqs/model/policy.h"
#include "services/sns/sns_store.h"

namespace overcast::sns {

void SnsCore::reset(std::function<void(Result<void>)> done) {
  store_.write(
      [](store::WriteTxn& txn) -> Result<void> {
        for (const char* sql : {"DELETE FROM sns_subscriptions", "DELETE FROM sns_topics",
                                "DELETE FROM jobs WHERE kind = 'sns-delivery' AND state = 'pending'"})
          if (auto r = txn.exec(sql); !r) return r.error();
        return {};
      },
      [this, done = std::move(done)](Result<void> r) {
        if (!r) return done(r);
        registry_.clear();
        done({});
      });
}
namespace {

constexpr size_t kListPage = 100;  // ListTopics and ListSubscriptions pages, as AWS
constexpr size_t kMaxTags = 50;

Error invalid(std::string_view what) { return Error(ErrorCode::InvalidParameter, fmt::format("Invalid parameter: {}", what)); }

Result<void> validateTags(const std::map<std::string, std::string>& tags) {
  if (tags.size() > kMaxTags) return Error(ErrorCode::InvalidParameter, "Could not complete request: tag quota of per resource exceeded");
  for (const auto& [k, v] : tags) {
    if (k.empty() || k.size() > 128) return invalid("Tags Reason: Tag keys must be between 1 and 128 characters in length.");
    if (v.size() > 256) return invalid("Tags Reason: Tag values must be between 0 and 256 characters in length.");
  }
  return {};
}

}  // namespace

void SnsCore::storeTopic(std::shared_ptr<const Topic> topic, Reply reply) {
  store_.write([topic](store::WriteTxn& txn) { return upsertTopic(txn, *topic); },
               [this, topic, reply = std::move(reply)](Result<void> done) {
                 if (!done) return reply(done.error());
                 registry_.putTopic(topic);
                 reply(Output{});
               });
}

void SnsCore::createTopic(const RequestContext& ctx, const json::object& in, Reply reply) {
  const std::string name = stringOf(in, "Name");
  AttributeMap attributes = attributeMapOf(in, "Attributes");
  const bool fifo = attributes.count("FifoTopic") && attributes["FifoTopic"] == "true";
  if (!isValidTopicName(name, fifo)) {
    if (!fifo && name.ends_with(".fifo"))
      return reply(invalid("Topic Name: Fifo Topic names must end with .fifo and they must have the FifoTopic attribute set to true"));
    return reply(invalid("Topic Name"));
  }
  for (const auto& [k, v] : attributes)
    if (auto ok = validateTopicAttribute(k, v, /*creating=*/true, fifo); !ok) return reply(ok.error());
  if (!fifo) attributes.erase("FifoTopic");
  auto tags = tagsOf(in, "Tags");
  if (auto ok = validateTags(tags); !ok) return reply(ok.error());

  const std::string arn = topicArnOf(ctx.region, ctx.accountId, name);
  if (auto existing = registry_.topic(arn)) {
    // Idempotent for the same attributes (tags are not compared), as AWS.
    for (const auto& [k, v] : attributes)
      if ((*existing)->attribute(k) != v)
        return reply(invalid("Attributes Reason: Topic already exists with different attributes"));
    return reply(Output{{"TopicArn", arn}});
  }
  auto topic = std::make_shared<Topic>();
  topic->arn = arn;
  topic->account = ctx.accountId;
  topic->region = ctx.region;
  topic->name = name;
  topic->attributes = std::move(attributes);
  topic->tags = std::move(tags);
  topic->createdAt = millisOf(ctx.now);
  store_.write([topic](store::WriteTxn& txn) { return upsertTopic(txn, *topic); },
               [this, topic, reply = std::move(reply)](Result<void> done) {
                 if (!done) return reply(done.error());
                 registry_.putTopic(topic);
                 reply(Output{{"TopicArn", topic->arn}});
               });
}

void SnsCore::deleteTopic(const RequestContext& ctx, const json::object& in, Reply reply) {
  const std::string arn = stringOf(in, "TopicArn");
  auto topic = authorizedTopic(ctx, arn, "DeleteTopic");
  if (!topic) {
    // Deleting a topic that does not exist succeeds, as on AWS.
    if (topic.error().code() == ErrorCode::NotFound) return reply(Output{});
    return reply(topic.error());
  }
  store_.write([arn](store::WriteTxn& txn) { return deleteTopicRows(txn, arn); },
               [this, arn, reply = std::move(reply)](Result<void> done) {
                 if (!done) return reply(done.error());
                 registry_.removeTopic(arn);
                 reply(Output{});
               });
}

Result<Output> SnsCore::listTopics(const RequestContext& ctx, const json::object& in) {
  const std::string after = stringOf(in, "NextToken");
  auto page = registry_.topics(ctx.accountId, ctx.region, after, kListPage + 1);
  json::array topics;
  for (size_t i = 0; i < page.size() && i < kListPage; ++i) topics.push_back(json::object{{"TopicArn", page[i]->arn}});
  Output out{{"Topics", std::move(topics)}};
  if (page.size() > kListPage) out["NextToken"] = page[kListPage - 1]->arn;
  return out;
}

Result<Output> SnsCore::getTopicAttributes(const RequestContext& ctx, const json::object& in) {
  auto topic = authorizedTopic(ctx, stringOf(in, "TopicArn"), "GetTopicAttributes");
  if (!topic) return topic.error();
  const Topic& t = **topic;
  json::object attributes;
  attributes["TopicArn"] = t.arn;
  attributes["Owner"] = t.account;
  attributes["DisplayName"] = t.attribute("DisplayName");
  attributes["Policy"] = t.attributes.count("Policy") ? t.attribute("Policy") : defaultTopicPolicy(t.arn, t.account);
  auto counts = registry_.counts(t.arn);
  attributes["SubscriptionsPending"] = std::to_string(counts.pending);
  attributes["SubscriptionsConfirmed"] = std::to_string(counts.confirmed);
  attributes["SubscriptionsDeleted"] = std::to_string(counts.deleted);
  attributes["EffectiveDeliveryPolicy"] =
      t.attributes.count("DeliveryPolicy") ? t.attribute("DeliveryPolicy") : defaultHttpDeliveryPolicy();
  if (t.fifo()) {
    attributes["FifoTopic"] = "true";
    attributes["ContentBasedDeduplication"] = t.attributes.count("ContentBasedDeduplication")
                                                  ? t.attribute("ContentBasedDeduplication")
                                                  : std::string("false");
  }
  for (const auto& [k, v] : t.attributes)
    if (!attributes.contains(k)) attributes[k] = v;
  return Output{{"Attributes", std::move(attributes)}};
}

void SnsCore::setTopicAttributes(const RequestContext& ctx, const json::object& in, Reply reply) {
  auto topic = authorizedTopic(ctx, stringOf(in, "TopicArn"), "SetTopicAttributes");
  if (!topic) return reply(topic.error());
  const std::string name = stringOf(in, "AttributeName");
  const std::string value = stringOf(in, "AttributeValue");
  if (auto ok = validateTopicAttribute(name, value, /*creating=*/false, (*topic)->fifo()); !ok) return reply(ok.error());
  auto updated = std::make_shared<Topic>(**topic);
  if (value.empty() && (name == "Policy" || name == "DeliveryPolicy")) updated->attributes.erase(name);
  else updated->attributes[name] = value;
  storeTopic(std::move(updated), std::move(reply));
}

namespace {

// The policy statements of AddPermission are SQS's, with SNS actions; SNS calls its errors
// InvalidParameter.
Result<std::string> asSnsError(Result<std::string> r) {
  if (r) return r;
  return Error(ErrorCode::InvalidParameter, fmt::format("Invalid parameter: {}", r.error().message()));
}

}  // namespace

void SnsCore::addPermission(const RequestContext& ctx, const json::object& in, Reply reply) {
  auto topic = authorizedTopic(ctx, stringOf(in, "TopicArn"), "AddPermission");
  if (!topic) return reply(topic.error());
  const Topic& t = **topic;
  const auto accounts = stringsOf(in, "AWSAccountId");
  const auto actions = stringsOf(in, "ActionName");
  if (accounts.empty() || actions.empty()) return reply(invalid("AWSAccountId and ActionName must not be empty"));
  const std::string current = t.attributes.count("Policy") ? t.attribute("Policy") : defaultTopicPolicy(t.arn, t.account);
  auto policy = asSnsError(sqs::addPermission(current, t.arn, stringOf(in, "Label"), accounts, actions, "SNS"));
  if (!policy) return reply(policy.error());
  auto updated = std::make_shared<Topic>(t);
  updated->attributes["Policy"] = std::move(*policy);
  storeTopic(std::move(updated), std::move(reply));
}

void SnsCore::removePermission(const RequestContext& ctx, const json::object& in, Reply reply) {
  auto topic = authorizedTopic(ctx, stringOf(in, "TopicArn"), "RemovePermission");
  if (!topic) return reply(topic.error());
  const Topic& t = **topic;
  const std::string current = t.attributes.count("Policy") ? t.attribute("Policy") : defaultTopicPolicy(t.arn, t.account);
  auto policy = asSnsError(sqs::removePermission(current, stringOf(in, "Label")));
  if (!policy) return reply(policy.error());
  auto updated = std::make_shared<Topic>(t);
  updated->attributes["Policy"] = policy->empty() ? defaultTopicPolicy(t.arn, t.account) : std::move(*policy);
  storeTopic(std::move(updated), std::move(reply));
}

namespace {

// TagResource and friends name the topic by ARN; a missing one is ResourceNotFound.
Result<TopicPtr> taggedTopic(SnsCore& core, const RequestContext& ctx, const json::object& in, std::string_view action) {
  auto topic = core.authorizedTopic(ctx, stringOf(in, "ResourceArn"), action);
  if (!topic && topic.error().code() == ErrorCode::NotFound)
    return Error(ErrorCode::ResourceNotFound, "Resource does not exist");
  return topic;
}

}  // namespace

void SnsCore::tagResource(const RequestContext& ctx, const json::object& in, Reply reply) {
  auto topic = taggedTopic(*this, ctx, in, "TagResource");
  if (!topic) return reply(topic.error());
  auto updated = std::make_shared<Topic>(**topic);
  for (auto& [k, v] : tagsOf(in, "Tags")) updated->tags[k] = v;
  if (auto ok = validateTags(updated->tags); !ok) return reply(ok.error());
  storeTopic(std::move(updated), std::move(reply));
}

void SnsCore::untagResource(const RequestContext& ctx, const json::object& in, Reply reply) {
  auto topic = taggedTopic(*this, ctx, in, "UntagResource");
  if (!topic) return reply(topic.error());
  auto updated = std::make_shared<Topic>(**topic);
  if (auto* keys = in.if_contains("TagKeys"); keys && keys->is_array())
    for (const auto& k : keys->get_array())
      if (k.is_string()) updated->tags.erase(std::string(k.get_string()));
  storeTopic(std::move(updated), std::move(reply));
}

Result<Output> SnsCore::listTagsForResource(const RequestContext& ctx, const json::object& in) {
  auto topic = taggedTopic(*this, ctx, in, "ListTagsForResource");
  if (!topic) return topic.error();
  json::array tags;
  for (const auto& [k, v] : (*topic)->tags) tags.push_back(json::object{{"Key", k}, {"Value", v}});
  return Output{{"Tags", std::move(tags)}};
}

}  // namespace overcast::sns
