// The SQS tables (schema migration 2; docs/formats.md): queues and their messages. Plain
// functions over store transactions; the service decides when they run (durably before an
// answer for sends, deletes and queue changes; lazily for receives and visibility changes).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "services/sqs/queue.h"
#include "store/store.h"

namespace overcast::sqs {

struct QueueRow {
  QueueIdentity identity;  // queueId 0 = not stored yet
  QueueSettings settings;
  std::map<std::string, std::string> tags;
  Millis createdAt = 0;
  Millis modifiedAt = 0;
};

// A message as stored: its metadata plus body and attributes.
struct StoredMessage {
  MessageMeta meta;  // body/attributes pointers set
};

Result<int64_t> insertQueue(store::WriteTxn& txn, const QueueRow& row);
Result<void> updateQueue(store::WriteTxn& txn, int64_t queueId, const QueueSettings& settings,
                         const std::map<std::string, std::string>& tags, Millis modifiedAt);
Result<void> deleteQueue(store::WriteTxn& txn, int64_t queueId);

Result<void> insertMessage(store::WriteTxn& txn, int64_t queueId, const StoredMessage& message);
Result<void> deleteMessage(store::WriteTxn& txn, int64_t queueId, int64_t sequence);
Result<void> deleteAllMessages(store::WriteTxn& txn, int64_t queueId);
// Moves one message to another queue (dead-letter or move task): it keeps its id, body,
// attributes and sent time; sequence, visibility, receive counts and dead-letter source are
// `to`'s.
Result<void> moveMessage(store::WriteTxn& txn, int64_t fromQueue, int64_t fromSequence, const MessageMeta& to,
                         int64_t toQueue);
// Records a receive or a visibility change (lazily: see queue.h).
Result<void> recordVisibility(store::WriteTxn& txn, int64_t queueId, const MessageMeta& meta);

// A message move task as stored (migration 4): written when it starts, then as it progresses.
struct MoveTaskRow {
  std::string handle;
  std::string accountId;
  int64_t sourceQueueId = 0;
  int64_t destinationQueueId = 0;  // 0: each message back to the queue it came from
  std::string sourceArn, destinationArn;
  int64_t rate = 0;
  std::string status;
  std::string failureReason;
  int64_t moved = 0, toMove = 0;
  Millis startedAt = 0;
};

Result<void> saveMoveTask(store::WriteTxn& txn, const MoveTaskRow& row);
Result<std::vector<MoveTaskRow>> loadMoveTasks(store::ReadTxn& txn);

Result<std::vector<QueueRow>> loadQueues(store::ReadTxn& txn);
// Calls `each` for every message of the queue, in sequence order, with the body cached only
// while `keepBody(bytes)` says so.
Result<void> loadMessages(store::ReadTxn& txn, int64_t queueId, const std::function<bool(size_t)>& keepBody,
                          const std::function<void(MessageMeta&&)>& each);
// Body and attributes of one stored message.
Result<std::optional<std::pair<std::string, MessageAttributes>>> readBody(store::ReadTxn& txn, int64_t queueId,
                                                                          int64_t sequence);

// The attribute encoding in the `attributes` column (length-prefixed; see docs/formats.md).
std::string encodeAttributes(const MessageAttributes& attributes);
std::optional<MessageAttributes> decodeAttributes(std::string_view bytes);

}  // namespace overcast::sqs
