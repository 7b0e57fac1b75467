// Dead-letter queues: the move of a message past its queue's maxReceiveCount, the checks on a
// RedrivePolicy, and message move tasks (Start/List/CancelMessageMoveTask), which bring messages
// back from a dead-letter queue to their source (or to a named destination).
#include <fmt/format.h>

#include "services/sqs/model/names.h"
#include "services/sqs/model/redrive.h"
#include "services/sqs/sqs_core.h"
#include "services/sqs/sqs_store.h"

namespace overcast::sqs {
namespace {

constexpr int64_t kDefaultMoveRate = 500;  // messages per second when the caller names none
constexpr int64_t kMaxMoveRate = 500;      // AWS's limit for MaxNumberOfMessagesPerSecond
constexpr Millis kMoveTickMs = 100;

struct ArnParts {
  std::string region, account, name;
};

std::optional<ArnParts> parseSqsArn(std::string_view arn) {
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    size_t colon = arn.find(':', start);
    parts.emplace_back(arn.substr(start, colon == std::string_view::npos ? arn.npos : colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  if (parts.size() != 6 || parts[0] != "arn" || parts[2] != "sqs") return std::nullopt;
  return ArnParts{parts[3], parts[4], parts[5]};
}

}  // namespace

struct SqsCore::MoveTask {
  std::string handle;
  std::shared_ptr<Queue> source;
  std::shared_ptr<Queue> destination;  // null: each message back to the queue it came from
  std::string sourceArn, destinationArn;
  int64_t rate = kDefaultMoveRate;
  Millis startedAt = 0;
  int64_t toMove = 0;
  std::atomic<int64_t> moved{0};
  Millis pacingFrom = 0;       // when this run (start or resume) began: the rate counts from here
  int64_t movedBeforePacing = 0;
  std::mutex mu;
  std::string status = "RUNNING";  // GUARDED_BY(mu): RUNNING, CANCELLING, CANCELLED, COMPLETED, FAILED
  std::string failureReason;       // GUARDED_BY(mu)

  MoveTaskRow row() {
    std::lock_guard lock(mu);
    return MoveTaskRow{handle, source->identity().accountId, source->identity().queueId,
                       destination ? destination->identity().queueId : 0, sourceArn, destinationArn, rate, status,
                       failureReason, moved.load(), toMove, startedAt};
  }
};

void SqsCore::recordMoveTask(const std::shared_ptr<MoveTask>& task) {
  // Progress is recorded lazily: after a crash the task resumes from what the store last saw,
  // and the messages it moved since stay moved (their own moves are recorded too).
  store_.write([row = task->row()](store::WriteTxn& txn) { return saveMoveTask(txn, row); }, [](Result<void>) {});
}

Result<void> SqsCore::loadMoveTasks(store::ReadTxn& txn) {
  auto rows = sqs::loadMoveTasks(txn);
  if (!rows) return rows.error();
  for (auto& r : *rows) {
    auto source = registry_.findById(r.sourceQueueId);
    if (!source) continue;  // its queue is gone: nothing to report or resume
    auto task = std::make_shared<MoveTask>();
    task->handle = r.handle;
    task->source = source;
    task->destination = r.destinationQueueId ? registry_.findById(r.destinationQueueId) : nullptr;
    task->sourceArn = r.sourceArn;
    task->destinationArn = r.destinationArn;
    task->rate = r.rate;
    task->startedAt = r.startedAt;
    task->toMove = r.toMove;
    task->moved = r.moved;
    task->status = r.status == "CANCELLING" ? "CANCELLED" : r.status;
    task->failureReason = r.failureReason;
    if (r.destinationQueueId && !task->destination) {
      task->status = "FAILED";
      task->failureReason = "The destination queue no longer exists.";
    }
    moveTasks_.push_back(task);
    if (task->status == "RUNNING") scheduler_.post([this, task] { runMoveTask(task); });  // resume
  }
  return {};
}

void SqsCore::transfer(const std::shared_ptr<Queue>& from, const std::shared_ptr<Queue>& to,
                       std::vector<MessageMeta> metas, bool intoDeadLetterQueue) {
  if (metas.empty()) return;
  struct Move {
    int64_t from;
    MessageMeta meta;
  };
  auto moves = std::make_shared<std::vector<Move>>();
  const Millis at = now();
  for (auto& m : metas) {
    Move move{m.sequence, std::move(m)};
    MessageMeta& meta = move.meta;
    meta.sequence = to->nextSequence();
    meta.visibleAt = at;
    meta.nonce = 0;
    meta.deleting = false;
    if (intoDeadLetterQueue) {
      meta.deadLetterSource = from->identity().queueId;  // the count goes along, as in AWS
    } else {
      meta.deadLetterSource = 0;
      meta.receiveCount = 0;
      meta.firstReceiveAt = 0;
    }
    moves->push_back(std::move(move));
  }
  // The move happens in memory at once (a receive right after sees it) and reaches the store
  // in the next group commit. A crash in between leaves the message in its old queue: never lost.
  for (auto& m : *moves) {
    from->finishDelete(m.from, true);
    MessageMeta copy = m.meta;
    if (copy.body && !reserveBody(copy.bodyBytes)) copy.body.reset();
    to->add(std::move(copy));
  }
  wakeWaiters(to);
  store_.write(
      [fromId = from->identity().queueId, toId = to->identity().queueId, moves](store::WriteTxn& txn) -> Result<void> {
        for (const auto& m : *moves)
          if (auto r = moveMessage(txn, fromId, m.from, m.meta, toId); !r) return r;
        return {};
      },
      [](Result<void>) {});
}

void SqsCore::moveToDeadLetterQueue(const std::shared_ptr<Queue>& source, std::vector<MessageMeta> metas) {
  if (metas.empty()) return;
  std::shared_ptr<Queue> dlq;
  if (auto policy = parseRedrivePolicy(source->settings()->redrivePolicy))
    if (auto arn = parseSqsArn(policy->deadLetterTargetArn)) dlq = registry_.find(arn->account, arn->region, arn->name);
  if (!dlq || dlq.get() == source.get()) {  // no such queue (deleted since): the messages stay
    for (const auto& m : metas) source->finishDelete(m.sequence, false);
    return;
  }
  transfer(source, dlq, std::move(metas), /*intoDeadLetterQueue=*/true);
}

Result<void> SqsCore::checkRedrivePolicy(const RequestContext& ctx, const QueueSettings& settings,
                                         const std::string& sourceArn) const {
  if (settings.redrivePolicy.empty()) return {};
  auto invalid = [&](std::string_view reason) {
    return Error(ErrorCode::InvalidParameterValue, "Value " + settings.redrivePolicy +
                                                       " for parameter RedrivePolicy is invalid. Reason: " +
                                                       std::string(reason));
  };
  auto policy = parseRedrivePolicy(settings.redrivePolicy);
  if (!policy) return policy.error();
  auto arn = parseSqsArn(policy->deadLetterTargetArn);
  if (!arn || arn->account != ctx.accountId || arn->region != ctx.region)
    return invalid("Dead-letter target must be a queue in the same account and region.");
  auto dlq = registry_.find(arn->account, arn->region, arn->name);
  if (!dlq) return invalid("Dead-letter target does not exist.");
  if (dlq->settings()->fifoQueue != settings.fifoQueue)
    return invalid(settings.fifoQueue ? "Dead-letter queue of a FIFO queue must be a FIFO queue."
                                      : "Dead-letter queue of a standard queue must be a standard queue.");
  if (auto allow = dlq->settings()->redriveAllowPolicy; !allow.empty())
    if (auto parsed = parseRedriveAllowPolicy(allow); parsed && !parsed->allows(sourceArn))
      return invalid("The dead-letter target's RedriveAllowPolicy does not allow this queue as a source.");
  return {};
}

void SqsCore::startMessageMoveTask(const RequestContext& ctx, const json::object& in, Reply reply) {
  const std::string sourceArn = stringOf(in, "SourceArn");
  const std::string destinationArn = stringOf(in, "DestinationArn");
  auto find = [&](const std::string& arnText) -> std::shared_ptr<Queue> {
    auto arn = parseSqsArn(arnText);
    if (!arn || arn->account != ctx.accountId) return nullptr;
    return registry_.find(arn->account, arn->region, arn->name);
  };
  auto source = find(sourceArn);
  if (!source)
    return reply(Error(ErrorCode::ResourceNotFound, "The resource that you specified for the SourceArn parameter "
                                                    "doesn't exist."));
  bool isDeadLetterQueue = false;
  for (const auto& q : registry_.list(ctx.accountId, source->identity().region, ""))
    if (auto p = parseRedrivePolicy(q->settings()->redrivePolicy); p && p->deadLetterTargetArn == sourceArn)
      isDeadLetterQueue = true;
  if (!isDeadLetterQueue)
    return reply(Error(ErrorCode::InvalidParameterValue, "Source queue must be configured as a Dead Letter Queue."));
  std::shared_ptr<Queue> destination;
  if (!destinationArn.empty() && !(destination = find(destinationArn)))
    return reply(Error(ErrorCode::ResourceNotFound, "The resource that you specified for the DestinationArn "
                                                    "parameter doesn't exist."));
  auto rate = intOf(in, "MaxNumberOfMessagesPerSecond").value_or(kDefaultMoveRate);
  if (rate < 1 || rate > kMaxMoveRate)
    return reply(Error(ErrorCode::InvalidParameterValue, "Value " + std::to_string(rate) +
                                                             " for parameter MaxNumberOfMessagesPerSecond is "
                                                             "invalid. Reason: must be between 1 and 500."));
  auto task = std::make_shared<MoveTask>();
  {
    std::lock_guard lock(taskMu_);
    for (const auto& t : moveTasks_) {
      std::lock_guard l(t->mu);
      if (t->source == source && (t->status == "RUNNING" || t->status == "CANCELLING"))
        return reply(Error(ErrorCode::UnsupportedOperation, "There is already a task running for this source queue."));
    }
    task->handle = ids_.uuid();
    task->source = source;
    task->destination = destination;
    task->sourceArn = sourceArn;
    task->destinationArn = destinationArn;
    task->rate = rate;
    task->startedAt = toMillis(ctx.now);
    task->toMove = source->size();
    moveTasks_.push_back(task);
  }
  // Recorded before the answer, so a task the caller was told about resumes after a crash.
  store_.write([row = task->row()](store::WriteTxn& txn) { return saveMoveTask(txn, row); },
               [this, task, reply = std::move(reply)](Result<void> done) {
                 if (!done) {
                   std::lock_guard lock(taskMu_);
                   std::erase(moveTasks_, task);
                   return reply(done.error());
                 }
                 scheduler_.post([this, task] { runMoveTask(task); });
                 reply(Output{{"TaskHandle", task->handle}});
               });
}

void SqsCore::runMoveTask(const std::shared_ptr<MoveTask>& task) {
  bool finished = false;
  {
    std::lock_guard lock(task->mu);
    if (task->status != "RUNNING") {
      if (task->status == "CANCELLING") task->status = "CANCELLED";
      finished = true;
    }
  }
  if (finished) return recordMoveTask(task);
  // Pace to MaxNumberOfMessagesPerSecond: by now this run may have moved rate * elapsed (+1).
  const Millis at = now();
  if (task->pacingFrom == 0) {
    task->pacingFrom = at;
    task->movedBeforePacing = task->moved.load();
  }
  const int64_t allowed =
      task->rate * (at - task->pacingFrom) / 1000 + 1 - (task->moved.load() - task->movedBeforePacing);
  const int64_t left = task->toMove - task->moved.load();
  if (left > 0 && allowed <= 0) {
    scheduler_.runAfter(std::chrono::milliseconds(kMoveTickMs), [this, task] { runMoveTask(task); });
    return;
  }
  auto batch = left > 0 ? task->source->takeForMove(static_cast<int>(std::min(allowed, left)), at)
                        : std::vector<MessageMeta>{};
  if (batch.empty()) {
    {
      std::lock_guard lock(task->mu);
      task->status = "COMPLETED";
    }
    return recordMoveTask(task);
  }
  // Group by destination: the task's, or each message's source queue.
  std::map<Queue*, std::pair<std::shared_ptr<Queue>, std::vector<MessageMeta>>> byDestination;
  for (auto& m : batch) {
    std::shared_ptr<Queue> to = task->destination ? task->destination : registry_.findById(m.deadLetterSource);
    if (!to) {  // its source queue is gone: the message stays, and the task fails as AWS's does
      task->source->finishDelete(m.sequence, false);
      std::lock_guard lock(task->mu);
      task->status = "FAILED";
      task->failureReason = "The source queue of a message no longer exists.";
      continue;
    }
    auto& slot = byDestination[to.get()];
    slot.first = to;
    slot.second.push_back(std::move(m));
  }
  for (auto& [ptr, slot] : byDestination) {
    task->moved += static_cast<int64_t>(slot.second.size());
    transfer(task->source, slot.first, std::move(slot.second), /*intoDeadLetterQueue=*/false);
  }
  recordMoveTask(task);
  {
    std::lock_guard lock(task->mu);
    if (task->status == "FAILED") return;
  }
  scheduler_.runAfter(std::chrono::milliseconds(kMoveTickMs), [this, task] { runMoveTask(task); });
}

Result<Output> SqsCore::listMessageMoveTasks(const RequestContext& ctx, const json::object& in) {
  const std::string sourceArn = stringOf(in, "SourceArn");
  auto arn = parseSqsArn(sourceArn);
  if (!arn || arn->account != ctx.accountId || !registry_.find(arn->account, arn->region, arn->name))
    return Error(ErrorCode::ResourceNotFound, "The resource that you specified for the SourceArn parameter doesn't "
                                              "exist.");
  auto max = intOf(in, "MaxResults").value_or(1);
  if (max < 1 || max > 10)
    return Error(ErrorCode::InvalidParameterValue, "Value " + std::to_string(max) +
                                                       " for parameter MaxResults is invalid. Reason: must be "
                                                       "between 1 and 10.");
  json::array results;
  std::lock_guard lock(taskMu_);
  for (auto it = moveTasks_.rbegin(); it != moveTasks_.rend() && static_cast<int64_t>(results.size()) < max; ++it) {
    const auto& t = *it;
    if (t->sourceArn != sourceArn) continue;
    std::lock_guard l(t->mu);
    json::object entry{{"Status", t->status},
                       {"SourceArn", t->sourceArn},
                       {"MaxNumberOfMessagesPerSecond", t->rate},
                       {"ApproximateNumberOfMessagesMoved", t->moved.load()},
                       {"ApproximateNumberOfMessagesToMove", t->toMove},
                       {"StartedTimestamp", t->startedAt}};
    if (t->status == "RUNNING") entry["TaskHandle"] = t->handle;  // AWS gives the handle of a running task only
    if (!t->destinationArn.empty()) entry["DestinationArn"] = t->destinationArn;
    if (!t->failureReason.empty()) entry["FailureReason"] = t->failureReason;
    results.push_back(std::move(entry));
  }
  return Output{{"Results", std::move(results)}};
}

Result<Output> SqsCore::cancelMessageMoveTask(const RequestContext& ctx, const json::object& in) {
  const std::string handle = stringOf(in, "TaskHandle");
  std::lock_guard lock(taskMu_);
  for (const auto& t : moveTasks_) {
    if (t->handle != handle || t->source->identity().accountId != ctx.accountId) continue;
    std::lock_guard l(t->mu);
    if (t->status != "RUNNING") break;
    t->status = "CANCELLING";
    return Output{{"ApproximateNumberOfMessagesMoved", t->moved.load()}};
  }
  return Error(ErrorCode::ResourceNotFound, "The task handle does not name a running message move task.");
}

}  // namespace overcast::sqs
