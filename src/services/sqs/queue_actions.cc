// Queue actions: CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, PurgeQueue,
// Get/SetQueueAttributes, Tag/Untag/ListQueueTags, ListDeadLetterSourceQueues.
#include <algorithm>

#include "services/sqs/model/names.h"
#include "services/sqs/model/policy.h"
#include "services/sqs/model/redrive.h"
#include "services/sqs/sqs_core.h"
#include "services/sqs/sqs_store.h"

namespace overcast::sqs {
namespace {

constexpr Millis kRecreateWaitMs = 60'000;  // AWS: wait 60 s after DeleteQueue to reuse a name
constexpr Millis kPurgeIntervalMs = 60'000; // AWS: one PurgeQueue per queue per 60 s
constexpr int64_t kMaxListResults = 1000;
constexpr size_t kMaxTagsPerQueue = 50;


json::object mapObject(const std::map<std::string, std::string>& m) {
  json::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return o;
}

// The first attribute whose value differs, for QueueNameExists's message.
std::string firstDifference(const AttributeMap& a, const AttributeMap& b) {
  for (const auto& [k, v] : a) {
    auto it = b.find(k);
    if (it == b.end() || it->second != v) return k;
  }
  for (const auto& [k, v] : b)
    if (!a.count(k)) return k;
  return {};
}

}  // namespace

void SqsCore::createQueue(const RequestContext& ctx, const json::object& in, Reply reply) {
  const std::string name = stringOf(in, "QueueName");
  if (auto valid = validateQueueName(name); !valid) return reply(valid.error());
  auto settings = applyAttributes(QueueSettings{}, stringMapOf(in, "Attributes"), /*creating=*/true, isFifoName(name));
  if (!settings) return reply(settings.error());
  auto tags = stringMapOf(in, "tags");
  if (tags.size() > kMaxTagsPerQueue)
    return reply(Error(ErrorCode::InvalidParameterValue, "Too many tags: a queue may have at most 50."));

  auto sameOrConflict = [ctx, settings = *settings, this](const std::shared_ptr<Queue>& existing) -> Result<Output> {
    auto want = comparableAttributes(settings);
    auto have = comparableAttributes(*existing->settings());
    if (want != have)
      return Error(ErrorCode::QueueNameExists, "A queue already exists with the same name and a different value for "
                                               "attribute " + firstDifference(want, have));
    return Output{{"QueueUrl", urlOf(ctx, *existing)}};
  };
  if (auto existing = registry_.find(ctx.accountId, ctx.region, name)) return reply(sameOrConflict(existing));
  const Millis now = toMillis(ctx.now);
  if (registry_.deletedRecently(ctx.accountId, ctx.region, name, now, kRecreateWaitMs))
    return reply(Error(ErrorCode::QueueDeletedRecently,
                       "You must wait 60 seconds after deleting a queue before you can create another with the "
                       "same name."));

  if (auto ok = checkRedrivePolicy(ctx, *settings, queueArn(ctx.region, ctx.accountId, name)); !ok)
    return reply(ok.error());
  auto row = std::make_shared<QueueRow>();
  row->identity = {0, ctx.accountId, ctx.region, name};
  row->settings = *settings;
  row->tags = std::move(tags);
  row->createdAt = row->modifiedAt = now;
  auto existed = std::make_shared<bool>(false);
  store_.write(
      [row, existed](store::WriteTxn& txn) -> Result<void> {
        // Two CreateQueue calls for one name may share a commit: the second sees the first's row.
        auto found = txn.queryOne("SELECT queue_id FROM sqs_queues WHERE account_id = ? AND region = ? AND name = ?",
                                  {row->identity.accountId, row->identity.region, row->identity.name});
        if (!found) return found.error();
        if (*found) {
          *existed = true;
          return {};
        }
        auto id = insertQueue(txn, *row);
        if (!id) return id.error();
        row->identity.queueId = *id;
        return {};
      },
      [this, ctx, row, existed, reply = std::move(reply), sameOrConflict](Result<void> done) {
        if (!done) return reply(done.error());
        if (*existed) {
          auto existing = registry_.find(row->identity.accountId, row->identity.region, row->identity.name);
          if (!existing) return reply(Error(ErrorCode::ServiceUnavailable, "The queue is being created; retry."));
          return reply(sameOrConflict(existing));
        }
        auto queue = std::make_shared<Queue>(row->identity, row->settings, row->tags, row->createdAt, row->modifiedAt,
                                             &cachedBodyBytes_);
        registry_.add(queue);
        reply(Output{{"QueueUrl", urlOf(ctx, *queue)}});
      });
}

Result<Output> SqsCore::getQueueUrl(const RequestContext& ctx, const json::object& in) {
  const std::string name = stringOf(in, "QueueName");
  std::string owner = stringOf(in, "QueueOwnerAWSAccountId");
  auto queue = authorizedQueue(ctx, owner.empty() ? ctx.accountId : owner, name);
  if (!queue) return queue.error();
  return Output{{"QueueUrl", urlOf(ctx, **queue)}};
}

Result<Output> SqsCore::listQueues(const RequestContext& ctx, const json::object& in) {
  const std::string prefix = stringOf(in, "QueueNamePrefix");
  const std::string after = stringOf(in, "NextToken");
  auto max = intOf(in, "MaxResults");
  if (max && (*max < 1 || *max > kMaxListResults))
    return Error(ErrorCode::InvalidParameterValue, "Value for parameter MaxResults is invalid. Reason: must be "
                                                   "between 1 and 1000.");
  json::array urls;
  std::string last;
  bool more = false;
  for (const auto& q : registry_.list(ctx.accountId, ctx.region, prefix)) {
    if (!after.empty() && q->identity().name <= after) continue;
    if (static_cast<int64_t>(urls.size()) >= max.value_or(kMaxListResults)) {
      more = true;
      break;
    }
    urls.emplace_back(urlOf(ctx, *q));
    last = q->identity().name;
  }
  Output out;
  if (!urls.empty()) out["QueueUrls"] = std::move(urls);
  if (more && max) out["NextToken"] = last;  // AWS pages only when MaxResults is given
  return out;
}

void SqsCore::deleteQueue(const RequestContext& ctx, const json::object& in, Reply reply) {
  auto queue = queueOf(ctx, in);
  if (!queue) return reply(queue.error());
  const int64_t id = (*queue)->identity().queueId;
  store_.write([id](store::WriteTxn& txn) { return sqs::deleteQueue(txn, id); },
               [this, q = *queue, reply = std::move(reply)](Result<void> done) {
                 if (!done) return reply(done.error());
                 registry_.remove(*q, now());
                 q->clear();
                 wakeWaiters(q);  // long polls on a deleted queue end (empty)
                 reply(Output{});
               });
}

void SqsCore::reset(std::function<void(Result<void>)> done) {
  store_.write(
      [](store::WriteTxn& txn) -> Result<void> {
        for (const char* sql : {"DELETE FROM sqs_move_tasks", "DELETE FROM sqs_messages", "DELETE FROM sqs_queues"})
          if (auto r = txn.exec(sql); !r) return r.error();
        return {};
      },
      [this, done = std::move(done)](Result<void> r) {
        if (!r) return done(r);
        // Queues made after this write committed are still in the store: only those made
        // before are in the registry now (completions run in commit order).
        for (auto& q : registry_.clear()) {
          q->clear();
          wakeWaiters(q);
        }
        {
          std::lock_guard lock(taskMu_);
          moveTasks_.clear();
        }
        {
          std::lock_guard lock(purgeMu_);
          lastPurge_.clear();
        }
        done({});
      });
}

void SqsCore::purgeQueue(const RequestContext& ctx, const json::object& in, Reply reply) {
  auto queue = queueOf(ctx, in);
  if (!queue) return reply(queue.error());
  const int64_t id = (*queue)->identity().queueId;
  const Millis now = toMillis(ctx.now);
  {
    std::lock_guard lock(purgeMu_);
    auto last = lastPurge_.find(id);
    if (last != lastPurge_.end() && now - last->second < kPurgeIntervalMs)
      return reply(Error(ErrorCode::PurgeQueueInProgress, "Only one PurgeQueue operation on " +
                                                              (*queue)->identity().name +
                                                              " is allowed every 60 seconds."));
    lastPurge_[id] = now;
  }
  store_.write([id](store::WriteTxn& txn) { return deleteAllMessages(txn, id); },
               [q = *queue, reply = std::move(reply)](Result<void> done) {
                 if (!done) return reply(done.error());
                 q->clear();
                 reply(Output{});
               });
}

Result<Output> SqsCore::getQueueAttributes(const RequestContext& ctx, const json::object& in) {
  auto queue = queueOf(ctx, in);
  if (!queue) return queue.error();
  const Queue& q = **queue;
  auto counts = q.counts(toMillis(ctx.now));
  QueueFacts facts;
  facts.queueArn = q.arn();
  facts.createdTimestamp = q.createdAt() / 1000;
  facts.lastModifiedTimestamp = q.modifiedAt() / 1000;
  facts.approximateNumberOfMessages = counts.visible;
  facts.approximateNumberOfMessagesNotVisible = counts.inFlight;
  facts.approximateNumberOfMessagesDelayed = counts.delayed;
  auto attributes = renderAttributes(*q.settings(), facts, stringsOf(in, "AttributeNames"));
  if (!attributes) return attributes.error();
  Output out;
  if (!attributes->empty()) out["Attributes"] = mapObject(*attributes);
  return out;
}

void SqsCore::setQueueAttributes(const RequestContext& ctx, const json::object& in, Reply reply) {
  auto queue = queueOf(ctx, in);
  if (!queue) return reply(queue.error());
  auto q = *queue;
  auto settings = applyAttributes(*q->settings(), stringMapOf(in, "Attributes"), /*creating=*/false,
                                  isFifoName(q->identity().name));
  if (!settings) return reply(settings.error());
  if (settings->redrivePolicy != q->settings()->redrivePolicy)
    if (auto ok = checkRedrivePolicy(ctx, *settings, q->arn()); !ok) return reply(ok.error());
  storeSettings(q, std::move(*settings), toMillis(ctx.now), std::move(reply));
}

void SqsCore::storeSettings(const std::shared_ptr<Queue>& q, QueueSettings settings, Millis now, Reply reply) {
  auto tags = q->tags();
  store_.write(
      [id = q->identity().queueId, settings, tags, now](store::WriteTxn& txn) {
        return updateQueue(txn, id, settings, tags, now);
      },
      [q, settings, now, reply = std::move(reply)](Result<void> done) {
        if (!done) return reply(done.error());
        q->setSettings(settings, now);
        reply(Output{});
      });
}

void SqsCore::addPermission(const RequestContext& ctx, const json::object& in, Reply reply) {
  auto queue = queueOf(ctx, in);
  if (!queue) return reply(queue.error());
  auto q = *queue;
  auto accounts = stringsOf(in, "AWSAccountIds");
  auto actions = stringsOf(in, "Actions");
  if (accounts.empty()) return reply(Error(ErrorCode::MissingParameter, "The request must contain the parameter AWSAccountIds."));
  if (actions.empty()) return reply(Error(ErrorCode::MissingParameter, "The request must contain the parameter Actions."));
  for (const auto& a : actions) {
    static constexpr std::string_view kShareable[] = {"*",
                                                      "ChangeMessageVisibility",
                                                      "DeleteMessage",
                                                      "GetQueueAttributes",
                                                      "GetQueueUrl",
                                                      "ListDeadLetterSourceQueues",
                                                      "PurgeQueue",
                                                      "ReceiveMessage",
                                                      "SendMessage"};
    if (std::find(std::begin(kShareable), std::end(kShareable), a) == std::end(kShareable))
      return reply(Error(ErrorCode::InvalidParameterValue,
                         "Value SQS:" + a + " for parameter ActionName is invalid. Reason: Only the queue owner is "
                         "allowed to invoke this action, or it is not an action."));
  }
  QueueSettings settings = *q->settings();
  auto policy = sqs::addPermission(settings.policy, q->arn(), stringOf(in, "Label"), accounts, actions);
  if (!policy) return reply(policy.error());
  settings.policy = std::move(*policy);
  storeSettings(q, std::move(settings), toMillis(ctx.now), std::move(reply));
}

void SqsCore::removePermission(const RequestContext& ctx, const json::object& in, Reply reply) {
  auto queue = queueOf(ctx, in);
  if (!queue) return reply(queue.error());
  auto q = *queue;
  QueueSettings settings = *q->settings();
  auto policy = sqs::removePermission(settings.policy, stringOf(in, "Label"));
  if (!policy) return reply(policy.error());
  settings.policy = std::move(*policy);
  storeSettings(q, std::move(settings), toMillis(ctx.now), std::move(reply));
}

void SqsCore::tagQueue(const RequestContext& ctx, const json::object& in, Reply reply) {
  auto queue = queueOf(ctx, in);
  if (!queue) return reply(queue.error());
  auto q = *queue;
  auto tags = q->tags();
  for (auto& [k, v] : stringMapOf(in, "Tags")) tags[k] = v;
  if (tags.size() > kMaxTagsPerQueue)
    return reply(Error(ErrorCode::InvalidParameterValue, "Too many tags: a queue may have at most 50."));
  storeTags(q, std::move(tags), std::move(reply));
}

void SqsCore::storeTags(const std::shared_ptr<Queue>& q, std::map<std::string, std::string> tags, Reply reply) {
  store_.write(
      [id = q->identity().queueId, s = *q->settings(), tags, m = q->modifiedAt()](store::WriteTxn& txn) {
        return updateQueue(txn, id, s, tags, m);
      },
      [q, tags, reply = std::move(reply)](Result<void> done) {
        if (!done) return reply(done.error());
        q->setTags(tags);
        reply(Output{});
      });
}

void SqsCore::untagQueue(const RequestContext& ctx, const json::object& in, Reply reply) {
  auto queue = queueOf(ctx, in);
  if (!queue) return reply(queue.error());
  auto q = *queue;
  auto tags = q->tags();
  for (const auto& k : stringsOf(in, "TagKeys")) tags.erase(k);
  storeTags(q, std::move(tags), std::move(reply));
}

Result<Output> SqsCore::listQueueTags(const RequestContext& ctx, const json::object& in) {
  auto queue = queueOf(ctx, in);
  if (!queue) return queue.error();
  auto tags = (*queue)->tags();
  Output out;
  if (!tags.empty()) out["Tags"] = mapObject(tags);
  return out;
}

Result<Output> SqsCore::listDeadLetterSourceQueues(const RequestContext& ctx, const json::object& in) {
  auto queue = queueOf(ctx, in);
  if (!queue) return queue.error();
  const std::string arn = (*queue)->arn();
  json::array urls;
  for (const auto& q : registry_.list(ctx.accountId, ctx.region, "")) {
    auto redrive = q->settings()->redrivePolicy;
    if (redrive.empty()) continue;
    auto policy = parseRedrivePolicy(redrive);
    if (policy && policy->deadLetterTargetArn == arn) urls.emplace_back(urlOf(ctx, *q));
  }
  return Output{{"queueUrls", std::move(urls)}};
}

}  // namespace overcast::sqs
