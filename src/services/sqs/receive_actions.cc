// ReceiveMessage, with long polling: a receive that finds nothing waits (WaitTimeSeconds, or
// the queue's ReceiveMessageWaitTimeSeconds) as a Waiter, woken when a send commits or a
// message becomes visible, and answered empty at its deadline. A waiting receive holds no
// thread: only a timer.
#include <fmt/format.h>

#include "services/sqs/model/receipt_handle.h"
#include "services/sqs/model/redrive.h"
#include "services/sqs/sqs_core.h"
#include "services/sqs/sqs_store.h"

namespace overcast::sqs {
namespace {

constexpr int64_t kMaxVisibilitySeconds = 43200;
constexpr int64_t kMaxWaitSeconds = 20;

bool wants(const std::vector<std::string>& names, std::string_view name) {
  for (const auto& n : names)
    if (n == "All" || n == name) return true;
  return false;
}

bool wantsAttribute(const std::vector<std::string>& names, std::string_view name) {
  for (const auto& n : names) {
    if (n == "All" || n == ".*" || n == name) return true;
    if (n.size() > 2 && n.ends_with(".*") && name.starts_with(std::string_view(n).substr(0, n.size() - 1)))
      return true;
  }
  return false;
}

}  // namespace

void SqsCore::receiveMessage(const RequestContext& ctx, json::object in, Reply reply) {
  auto queue = queueOf(ctx, in);
  if (!queue) return reply(queue.error());
  auto q = *queue;
  const auto settingsSnapshot = q->settings();  // held: the reference below must not dangle
  const QueueSettings& settings = *settingsSnapshot;
  auto max = intOf(in, "MaxNumberOfMessages").value_or(1);
  if (max < 1 || max > 10)
    return reply(Error(ErrorCode::InvalidParameterValue,
                       "Value " + std::to_string(max) + " for parameter MaxNumberOfMessages is invalid. Reason: "
                       "Must be between 1 and 10, if provided."));
  auto visibility = intOf(in, "VisibilityTimeout").value_or(settings.visibilityTimeout);
  if (visibility < 0 || visibility > kMaxVisibilitySeconds)
    return reply(Error(ErrorCode::InvalidParameterValue,
                       "Value " + std::to_string(visibility) + " for parameter VisibilityTimeout is invalid. Reason: "
                       "Must be between 0 and 43200, if provided."));
  auto wait = intOf(in, "WaitTimeSeconds").value_or(settings.receiveMessageWaitTimeSeconds);
  if (wait < 0 || wait > kMaxWaitSeconds)
    return reply(Error(ErrorCode::InvalidParameterValue,
                       "Value " + std::to_string(wait) + " for parameter WaitTimeSeconds is invalid. Reason: Must be "
                       ">= 0 and <= 20, if provided."));

  auto w = std::make_shared<Waiter>();
  w->ctx = ctx;
  w->input = std::move(in);
  w->queue = q;
  w->max = static_cast<int>(max);
  w->visibilityMs = visibility * 1000;
  w->deadline = toMillis(ctx.now) + wait * 1000;
  w->reply = std::move(reply);
  if (tryServe(w)) return;
  if (wait == 0) return finishWaiter(w, Output{});
  {
    std::lock_guard lock(waitMu_);
    waiters_[q->identity().queueId].push_back(w);
  }
  scheduler_.runAfter(std::chrono::milliseconds(wait * 1000), [this, w] {
    finishWaiter(w, Output{});
    std::lock_guard lock(waitMu_);
    auto it = waiters_.find(w->queue->identity().queueId);
    if (it == waiters_.end()) return;
    it->second.remove(w);
    if (it->second.empty()) waiters_.erase(it);
  });
  if (auto next = q->nextVisibleAt(now()); next && *next < w->deadline) scheduleCheck(q, *next);
}

bool SqsCore::tryServe(const std::shared_ptr<Waiter>& w) {
  std::unique_lock lock(w->mu);
  if (w->done) return true;
  std::optional<int64_t> maxReceiveCount;
  if (auto redrive = w->queue->settings()->redrivePolicy; !redrive.empty())
    if (auto policy = parseRedrivePolicy(redrive)) maxReceiveCount = policy->maxReceiveCount;
  auto outcome = w->queue->receive(
      w->max, now(), w->visibilityMs, [this] { return std::stoull(ids_.randomHex(8), nullptr, 16); },
      maxReceiveCount);
  forgetExpired(w->queue, std::move(outcome.expired));
  moveToDeadLetterQueue(w->queue, std::move(outcome.deadLetters));
  auto& received = outcome.received;
  if (received.empty()) return false;
  w->done = true;
  lock.unlock();
  // Receives are recorded lazily: a crash before this commits only makes them visible early.
  for (const auto& r : received) visibility_.record(w->queue->identity().queueId, r.meta);
  w->reply(buildReceiveOutput(w->ctx, *w->queue, w->input, received));
  return true;
}

void SqsCore::finishWaiter(const std::shared_ptr<Waiter>& w, Result<Output> result) {
  {
    std::lock_guard lock(w->mu);
    if (w->done) return;
    w->done = true;
  }
  w->reply(std::move(result));
}

void SqsCore::wakeWaiters(const std::shared_ptr<Queue>& queue) {
  const int64_t id = queue->identity().queueId;
  std::vector<std::shared_ptr<Waiter>> waiting;
  {
    std::lock_guard lock(waitMu_);
    auto it = waiters_.find(id);
    if (it == waiters_.end()) return;
    waiting.assign(it->second.begin(), it->second.end());
  }
  for (const auto& w : waiting)
    if (!tryServe(w)) break;  // the queue has nothing visible: later waiters would find nothing too
  bool remaining = false;
  {
    std::lock_guard lock(waitMu_);
    auto it = waiters_.find(id);
    if (it != waiters_.end()) {
      it->second.remove_if([](const std::shared_ptr<Waiter>& w) {
        std::lock_guard l(w->mu);
        return w->done;
      });
      remaining = !it->second.empty();
      if (!remaining) waiters_.erase(it);
    }
  }
  if (remaining)
    if (auto next = queue->nextVisibleAt(now())) scheduleCheck(queue, *next);
}

void SqsCore::scheduleCheck(const std::shared_ptr<Queue>& queue, Millis at) {
  const Millis delay = std::max<Millis>(0, at - now());
  std::weak_ptr<Queue> weak = queue;
  scheduler_.runAfter(std::chrono::milliseconds(delay + 1), [this, weak] {
    if (auto q = weak.lock()) wakeWaiters(q);
  });
}

void SqsCore::forgetExpired(const std::shared_ptr<Queue>& queue, std::vector<int64_t> expired) {
  if (expired.empty()) return;
  auto seqs = std::make_shared<std::vector<int64_t>>(std::move(expired));
  store_.write(
      [id = queue->identity().queueId, seqs](store::WriteTxn& txn) -> Result<void> {
        for (int64_t s : *seqs)
          if (auto r = sqs::deleteMessage(txn, id, s); !r) return r;
        return {};
      },
      [queue, seqs](Result<void> done) {
        for (int64_t s : *seqs) queue->finishDelete(s, done.ok());
      });
}

Result<Output> SqsCore::buildReceiveOutput(const RequestContext& ctx, const Queue& queue, const json::object& in,
                                           std::vector<Received>& received) {
  auto systemNames = stringsOf(in, "AttributeNames");
  for (auto& n : stringsOf(in, "MessageSystemAttributeNames")) systemNames.push_back(std::move(n));
  const auto attributeNames = stringsOf(in, "MessageAttributeNames");
  const bool fifo = queue.settings()->fifoQueue;
  json::array messages;
  for (auto& r : received) {
    const MessageMeta& m = r.meta;
    std::shared_ptr<const std::string> body = m.body;
    std::shared_ptr<const MessageAttributes> attributes = m.attributes;
    if (!body) {  // evicted from memory: read it back
      std::optional<std::pair<std::string, MessageAttributes>> stored;
      auto read = store_.read([&](store::ReadTxn& txn) -> Result<void> {
        auto b = readBody(txn, queue.identity().queueId, m.sequence);
        if (!b) return b.error();
        stored = std::move(*b);
        return {};
      });
      if (!read) return read.error();
      if (!stored) continue;  // deleted meanwhile
      body = std::make_shared<const std::string>(std::move(stored->first));
      attributes = std::make_shared<const MessageAttributes>(std::move(stored->second));
    }
    json::object msg{{"MessageId", messageIdText(m.messageId)},
                     {"ReceiptHandle", encodeReceiptHandle({queue.identity().queueId, m.sequence, m.receiveCount,
                                                            fmt::format("{:016x}", m.nonce)})},
                     {"MD5OfBody", hexText(m.md5OfBody)},
                     {"Body", *body}};
    json::object system;
    if (wants(systemNames, "SenderId")) system["SenderId"] = m.senderId;
    if (wants(systemNames, "SentTimestamp")) system["SentTimestamp"] = std::to_string(m.sentAt);
    if (wants(systemNames, "ApproximateReceiveCount")) system["ApproximateReceiveCount"] = std::to_string(m.receiveCount);
    if (wants(systemNames, "ApproximateFirstReceiveTimestamp"))
      system["ApproximateFirstReceiveTimestamp"] = std::to_string(m.firstReceiveAt);
    if (fifo && wants(systemNames, "MessageGroupId")) system["MessageGroupId"] = m.groupId;
    if (fifo && wants(systemNames, "SequenceNumber")) system["SequenceNumber"] = fifoSequenceNumber(m.sequence);
    if (fifo && wants(systemNames, "MessageDeduplicationId") && !m.dedupId.empty())
      system["MessageDeduplicationId"] = m.dedupId;
    if (!m.traceHeader.empty() && wants(systemNames, "AWSTraceHeader")) system["AWSTraceHeader"] = m.traceHeader;
    if (m.deadLetterSource && wants(systemNames, "DeadLetterQueueSourceArn"))
      if (auto source = registry_.findById(m.deadLetterSource)) system["DeadLetterQueueSourceArn"] = source->arn();
    if (!system.empty()) msg["Attributes"] = std::move(system);
    if (attributes && !attributes->empty() && !attributeNames.empty()) {
      MessageAttributes selected;
      for (const auto& [name, a] : *attributes)
        if (wantsAttribute(attributeNames, name)) selected.emplace(name, a);
      if (!selected.empty()) {
        json::object out;
        for (const auto& [name, a] : selected)
          out[name] = json::object{{"DataType", a.dataType}, {a.binary() ? "BinaryValue" : "StringValue", a.value}};
        msg["MessageAttributes"] = std::move(out);
        msg["MD5OfMessageAttributes"] = md5OfAttributes(selected);
      }
    }
    messages.push_back(std::move(msg));
  }
  (void)ctx;
  Output out;
  if (!messages.empty()) out["Messages"] = std::move(messages);
  return out;
}

}  // namespace overcast::sqs
