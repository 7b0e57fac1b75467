// DeleteMessage(Batch) and ChangeMessageVisibility(Batch). Deletes are durable before the
// answer; visibility changes are recorded lazily (a crash can only make a message visible early).
#include <charconv>

#include <fmt/format.h>

#include "services/sqs/model/receipt_handle.h"
#include "services/sqs/sqs_core.h"
#include "services/sqs/sqs_store.h"

namespace overcast::sqs {
namespace {

constexpr int64_t kMaxVisibilitySeconds = 43200;

struct Handle {
  int64_t sequence;
  int64_t receiveCount;
  uint64_t nonce;
};

Result<Handle> handleFor(const Queue& queue, const std::string& text) {
  auto invalid = [&] {
    return Error(ErrorCode::ReceiptHandleIsInvalid,
                 "The input receipt handle \"" + text + "\" is not a valid receipt handle.");
  };
  auto h = decodeReceiptHandle(text);
  if (!h) return h.error();
  if (h->queueId != queue.identity().queueId || h->nonce.size() != 16) return invalid();
  uint64_t nonce = 0;
  const char* end = h->nonce.data() + h->nonce.size();
  if (auto [ptr, ec] = std::from_chars(h->nonce.data(), end, nonce, 16); ec != std::errc() || ptr != end)
    return invalid();
  return Handle{h->sequence, h->receiveCount, nonce};
}

json::object failure(const std::string& id, const Error& e) {
  return json::object{{"Id", id}, {"SenderFault", true}, {"Code", e.wireCode()}, {"Message", e.message()}};
}

}  // namespace

void SqsCore::deleteMessage(const RequestContext& ctx, const json::object& in, Reply reply) {
  auto queue = queueOf(ctx, in);
  if (!queue) return reply(queue.error());
  auto q = *queue;
  auto handle = handleFor(*q, stringOf(in, "ReceiptHandle"));
  if (!handle) return reply(handle.error());
  // A handle from an earlier receive "succeeds but the message might not be deleted" (AWS):
  // only the live receive's handle deletes. An already deleted message: success.
  if (q->check(handle->sequence, handle->receiveCount, handle->nonce) != Queue::HandleState::Current ||
      !q->beginDelete(handle->sequence))
    return reply(Output{});
  const int64_t seq = handle->sequence;
  visibility_.forget(q->identity().queueId, seq);
  store_.write([id = q->identity().queueId, seq](store::WriteTxn& txn) { return sqs::deleteMessage(txn, id, seq); },
               [q, seq, reply = std::move(reply)](Result<void> done) {
                 q->finishDelete(seq, done.ok());
                 reply(done ? Result<Output>(Output{}) : Result<Output>(done.error()));
               });
}

void SqsCore::deleteMessageBatch(const RequestContext& ctx, const json::object& in, Reply reply) {
  auto queue = queueOf(ctx, in);
  if (!queue) return reply(queue.error());
  auto q = *queue;
  auto entries = batchEntries(in, "DeleteMessageBatchRequestEntry");
  if (!entries) return reply(entries.error());
  json::array failed;
  auto succeeded = std::make_shared<std::vector<std::string>>();
  auto deleting = std::make_shared<std::vector<int64_t>>();
  for (const auto& e : **entries) {
    const auto& entry = e.get_object();
    const std::string id = stringOf(entry, "Id");
    auto handle = handleFor(*q, stringOf(entry, "ReceiptHandle"));
    if (!handle) {
      failed.push_back(failure(id, handle.error()));
      continue;
    }
    succeeded->push_back(id);
    if (q->check(handle->sequence, handle->receiveCount, handle->nonce) == Queue::HandleState::Current &&
        q->beginDelete(handle->sequence)) {
      visibility_.forget(q->identity().queueId, handle->sequence);
      deleting->push_back(handle->sequence);
    }
  }
  auto answer = [succeeded, failed = std::move(failed)] {
    json::array ok;
    for (const auto& id : *succeeded) ok.push_back(json::object{{"Id", id}});
    return Output{{"Successful", std::move(ok)}, {"Failed", failed}};
  };
  if (deleting->empty()) return reply(answer());
  store_.write(
      [id = q->identity().queueId, deleting](store::WriteTxn& txn) -> Result<void> {
        for (int64_t seq : *deleting)
          if (auto r = sqs::deleteMessage(txn, id, seq); !r) return r;
        return {};
      },
      [q, deleting, answer, reply = std::move(reply)](Result<void> done) {
        for (int64_t seq : *deleting) q->finishDelete(seq, done.ok());
        if (!done) return reply(done.error());
        reply(answer());
      });
}

namespace {

// Checks and applies one visibility change; returns the new metadata to record.
Result<MessageMeta> changeOne(Queue& q, const std::string& receiptHandle, std::optional<int64_t> seconds, Millis now) {
  auto handle = handleFor(q, receiptHandle);
  if (!handle) return handle.error();
  if (!seconds) return Error(ErrorCode::MissingParameter, "The request must contain the parameter VisibilityTimeout.");
  if (*seconds < 0 || *seconds > kMaxVisibilitySeconds)
    return Error(ErrorCode::InvalidParameterValue, "Value " + std::to_string(*seconds) +
                                                       " for parameter VisibilityTimeout is invalid. Reason: Must be "
                                                       "between 0 and 43200.");
  if (q.check(handle->sequence, handle->receiveCount, handle->nonce) != Queue::HandleState::Current)
    return Error(ErrorCode::InvalidParameterValue,
                 "Value " + receiptHandle + " for parameter ReceiptHandle is invalid. Reason: Message does not exist "
                 "or is not available for visibility timeout change.");
  auto meta = q.find(handle->sequence);
  if (!meta) return Error(ErrorCode::InvalidParameterValue, "Message does not exist.");
  if (meta->visibleAt <= now)
    return Error(ErrorCode::MessageNotInflight, "Message is not in flight: it must be received and not yet visible.");
  const Millis visibleAt = now + *seconds * 1000;
  if (visibleAt - meta->receivedAt > kMaxVisibilitySeconds * 1000)
    return Error(ErrorCode::InvalidParameterValue,
                 "Value " + std::to_string(*seconds) + " for parameter VisibilityTimeout is invalid. Reason: Total "
                 "VisibilityTimeout for the message is beyond the limit [43200 seconds]");
  if (!q.changeVisibility(handle->sequence, visibleAt))
    return Error(ErrorCode::InvalidParameterValue, "Message does not exist.");
  meta->visibleAt = visibleAt;
  return *meta;
}

}  // namespace

Result<Output> SqsCore::changeMessageVisibility(const RequestContext& ctx, const json::object& in) {
  auto queue = queueOf(ctx, in);
  if (!queue) return queue.error();
  auto changed = changeOne(**queue, stringOf(in, "ReceiptHandle"), intOf(in, "VisibilityTimeout"), now());
  if (!changed) return changed.error();
  visibility_.record((*queue)->identity().queueId, *changed);
  if (changed->visibleAt <= now()) wakeWaiters(*queue);
  return Output{};
}

Result<Output> SqsCore::changeMessageVisibilityBatch(const RequestContext& ctx, const json::object& in) {
  auto queue = queueOf(ctx, in);
  if (!queue) return queue.error();
  auto entries = batchEntries(in, "ChangeMessageVisibilityBatchRequestEntry");
  if (!entries) return entries.error();
  json::array ok, failed;
  std::vector<MessageMeta> metas;
  for (const auto& e : **entries) {
    const auto& entry = e.get_object();
    const std::string id = stringOf(entry, "Id");
    auto changed = changeOne(**queue, stringOf(entry, "ReceiptHandle"), intOf(entry, "VisibilityTimeout"), now());
    if (!changed) {
      failed.push_back(failure(id, changed.error()));
      continue;
    }
    metas.push_back(std::move(*changed));
    ok.push_back(json::object{{"Id", id}});
  }
  if (!metas.empty()) {
    for (const auto& m : metas) visibility_.record((*queue)->identity().queueId, m);
    wakeWaiters(*queue);
  }
  return Output{{"Successful", std::move(ok)}, {"Failed", std::move(failed)}};
}

}  // namespace overcast::sqs
