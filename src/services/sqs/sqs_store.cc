#include "services/sqs/sqs_store.h"

#include <boost/json.hpp>

#include "services/sqs/model/names.h"

namespace overcast::sqs {

namespace json = boost::json;
using store::Blob;
using store::SqlValue;

namespace {

std::string mapToJson(const std::map<std::string, std::string>& m) {
  json::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return json::serialize(o);
}

std::map<std::string, std::string> jsonToMap(const std::string& text) {
  std::map<std::string, std::string> out;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& [k, val] : v.get_object())
    if (val.is_string()) out[std::string(k)] = std::string(val.get_string());
  return out;
}

void putU32(std::string& out, size_t n) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xff));
}

bool getU32(std::string_view& in, size_t& n) {
  if (in.size() < 4) return false;
  n = 0;
  for (int i = 0; i < 4; ++i) n = (n << 8) | static_cast<unsigned char>(in[static_cast<size_t>(i)]);
  in.remove_prefix(4);
  return true;
}

bool getString(std::string_view& in, std::string& out) {
  size_t n;
  if (!getU32(in, n) || in.size() < n) return false;
  out.assign(in.substr(0, n));
  in.remove_prefix(n);
  return true;
}

Bytes16 bytes16(const std::string& s) {
  Bytes16 out{};
  if (s.size() == out.size()) std::copy(s.begin(), s.end(), out.begin());
  return out;
}

std::string blobOf(const Bytes16& b) { return std::string(b.begin(), b.end()); }

// The stored form of a queue's settings: every field by name (not re-validated on load, so a
// later change of the rules cannot make a stored queue unreadable).
std::string settingsToJson(const QueueSettings& s) {
  return json::serialize(json::object{{"VisibilityTimeout", s.visibilityTimeout},
                                      {"MaximumMessageSize", s.maximumMessageSize},
                                      {"MessageRetentionPeriod", s.messageRetentionPeriod},
                                      {"DelaySeconds", s.delaySeconds},
                                      {"ReceiveMessageWaitTimeSeconds", s.receiveMessageWaitTimeSeconds},
                                      {"Policy", s.policy},
                                      {"RedrivePolicy", s.redrivePolicy},
                                      {"RedriveAllowPolicy", s.redriveAllowPolicy},
                                      {"FifoQueue", s.fifoQueue},
                                      {"ContentBasedDeduplication", s.contentBasedDeduplication},
                                      {"DeduplicationScope", s.deduplicationScope},
                                      {"FifoThroughputLimit", s.fifoThroughputLimit},
                                      {"KmsMasterKeyId", s.kmsMasterKeyId},
                                      {"KmsDataKeyReusePeriodSeconds", s.kmsDataKeyReusePeriodSeconds},
                                      {"SqsManagedSseEnabled", s.sqsManagedSseEnabled}});
}

Result<QueueSettings> settingsFromJson(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return Error(ErrorCode::InternalFailure, "stored queue settings are not a JSON object");
  const auto& o = v.get_object();
  QueueSettings s;
  auto integer = [&](const char* k, int64_t& out) {
    if (auto* p = o.if_contains(k); p && p->is_int64()) out = p->get_int64();
  };
  auto text_ = [&](const char* k, std::string& out) {
    if (auto* p = o.if_contains(k); p && p->is_string()) out = std::string(p->get_string());
  };
  auto boolean = [&](const char* k, bool& out) {
    if (auto* p = o.if_contains(k); p && p->is_bool()) out = p->get_bool();
  };
  integer("VisibilityTimeout", s.visibilityTimeout);
  integer("MaximumMessageSize", s.maximumMessageSize);
  integer("MessageRetentionPeriod", s.messageRetentionPeriod);
  integer("DelaySeconds", s.delaySeconds);
  integer("ReceiveMessageWaitTimeSeconds", s.receiveMessageWaitTimeSeconds);
  text_("Policy", s.policy);
  text_("RedrivePolicy", s.redrivePolicy);
  text_("RedriveAllowPolicy", s.redriveAllowPolicy);
  boolean("FifoQueue", s.fifoQueue);
  boolean("ContentBasedDeduplication", s.contentBasedDeduplication);
  text_("DeduplicationScope", s.deduplicationScope);
  text_("FifoThroughputLimit", s.fifoThroughputLimit);
  text_("KmsMasterKeyId", s.kmsMasterKeyId);
  integer("KmsDataKeyReusePeriodSeconds", s.kmsDataKeyReusePeriodSeconds);
  boolean("SqsManagedSseEnabled", s.sqsManagedSseEnabled);
  return s;
}

}  // namespace

std::string encodeAttributes(const MessageAttributes& attributes) {
  std::string out;
  putU32(out, attributes.size());
  for (const auto& [name, a] : attributes) {
    putU32(out, name.size());
    out += name;
    putU32(out, a.dataType.size());
    out += a.dataType;
    putU32(out, a.value.size());
    out += a.value;
  }
  return out;
}

std::optional<MessageAttributes> decodeAttributes(std::string_view in) {
  MessageAttributes out;
  size_t n;
  if (!getU32(in, n)) return std::nullopt;
  for (size_t i = 0; i < n; ++i) {
    std::string name;
    MessageAttribute a;
    if (!getString(in, name) || !getString(in, a.dataType) || !getString(in, a.value)) return std::nullopt;
    out.emplace(std::move(name), std::move(a));
  }
  if (!in.empty()) return std::nullopt;
  return out;
}

Result<int64_t> insertQueue(store::WriteTxn& txn, const QueueRow& row) {
  auto r = txn.exec(
      "INSERT INTO sqs_queues (account_id, region, name, settings, tags, created_at, modified_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {row.identity.accountId, row.identity.region, row.identity.name, settingsToJson(row.settings),
       mapToJson(row.tags), row.createdAt, row.modifiedAt});
  if (!r) return r.error();
  auto id = txn.queryOne("SELECT queue_id FROM sqs_queues WHERE account_id = ? AND region = ? AND name = ?",
                         {row.identity.accountId, row.identity.region, row.identity.name});
  if (!id) return id.error();
  if (!*id) return Error(ErrorCode::InternalFailure, "queue row vanished after insert");
  return (*id)->integer(0);
}

Result<void> updateQueue(store::WriteTxn& txn, int64_t queueId, const QueueSettings& settings,
                         const std::map<std::string, std::string>& tags, Millis modifiedAt) {
  auto r = txn.exec("UPDATE sqs_queues SET settings = ?, tags = ?, modified_at = ? WHERE queue_id = ?",
                    {settingsToJson(settings), mapToJson(tags), modifiedAt, queueId});
  if (!r) return r.error();
  return {};
}

Result<void> deleteQueue(store::WriteTxn& txn, int64_t queueId) {
  if (auto r = deleteAllMessages(txn, queueId); !r) return r;
  auto r = txn.exec("DELETE FROM sqs_queues WHERE queue_id = ?", {queueId});
  if (!r) return r.error();
  return {};
}

Result<void> insertMessage(store::WriteTxn& txn, int64_t queueId, const StoredMessage& m) {
  const MessageMeta& meta = m.meta;
  SqlValue attributes, md5Attributes, group, dedup, trace;
  if (meta.attributes && !meta.attributes->empty()) {
    attributes = Blob{encodeAttributes(*meta.attributes)};
    md5Attributes = Blob{blobOf(meta.md5OfAttributes)};
  }
  if (!meta.groupId.empty()) group = meta.groupId;
  if (!meta.dedupId.empty()) dedup = meta.dedupId;
  if (!meta.traceHeader.empty()) trace = meta.traceHeader;
  auto r = txn.exec(
      "INSERT INTO sqs_messages (queue_id, seq, message_id, body, attributes, md5_body, md5_attributes, sender_id, "
      "sent_at, visible_at, receive_count, first_receive_at, group_id, dedup_id, dlq_source, trace_header) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {queueId, meta.sequence, Blob{blobOf(meta.messageId)}, Blob{meta.body ? *meta.body : std::string()},
       attributes, Blob{blobOf(meta.md5OfBody)}, md5Attributes, meta.senderId, meta.sentAt, meta.visibleAt,
       static_cast<int64_t>(meta.receiveCount), meta.firstReceiveAt, group, dedup, meta.deadLetterSource, trace});
  if (!r) return r.error();
  return {};
}

Result<void> deleteMessage(store::WriteTxn& txn, int64_t queueId, int64_t sequence) {
  auto r = txn.exec("DELETE FROM sqs_messages WHERE queue_id = ? AND seq = ?", {queueId, sequence});
  if (!r) return r.error();
  return {};
}

Result<void> deleteAllMessages(store::WriteTxn& txn, int64_t queueId) {
  auto r = txn.exec("DELETE FROM sqs_messages WHERE queue_id = ?", {queueId});
  if (!r) return r.error();
  return {};
}

Result<void> moveMessage(store::WriteTxn& txn, int64_t fromQueue, int64_t fromSequence, const MessageMeta& to,
                         int64_t toQueue) {
  auto copied = txn.exec(
      "INSERT INTO sqs_messages (queue_id, seq, message_id, body, attributes, md5_body, md5_attributes, sender_id, "
      "sent_at, visible_at, receive_count, first_receive_at, group_id, dedup_id, dlq_source, trace_header) "
      "SELECT ?, ?, message_id, body, attributes, md5_body, md5_attributes, sender_id, sent_at, ?, ?, ?, group_id, "
      "dedup_id, ?, trace_header FROM sqs_messages WHERE queue_id = ? AND seq = ?",
      {toQueue, to.sequence, to.visibleAt, static_cast<int64_t>(to.receiveCount), to.firstReceiveAt,
       to.deadLetterSource, fromQueue, fromSequence});
  if (!copied) return copied.error();
  return deleteMessage(txn, fromQueue, fromSequence);
}

Result<void> recordVisibility(store::WriteTxn& txn, int64_t queueId, const MessageMeta& meta) {
  auto r = txn.exec(
      "UPDATE sqs_messages SET visible_at = ?, receive_count = ?, first_receive_at = ? WHERE queue_id = ? AND seq = ?",
      {meta.visibleAt, static_cast<int64_t>(meta.receiveCount), meta.firstReceiveAt, queueId, meta.sequence});
  if (!r) return r.error();
  return {};
}

Result<void> saveMoveTask(store::WriteTxn& txn, const MoveTaskRow& r) {
  auto done = txn.exec(
      "INSERT INTO sqs_move_tasks (handle, account_id, source_queue_id, destination_queue_id, source_arn, "
      "destination_arn, rate, status, failure_reason, moved, to_move, started_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (handle) DO UPDATE SET status = excluded.status, failure_reason = excluded.failure_reason, "
      "moved = excluded.moved",
      {r.handle, r.accountId, r.sourceQueueId, r.destinationQueueId, r.sourceArn, r.destinationArn, r.rate, r.status,
       r.failureReason, r.moved, r.toMove, r.startedAt});
  if (!done) return done.error();
  return {};
}

Result<std::vector<MoveTaskRow>> loadMoveTasks(store::ReadTxn& txn) {
  auto rows = txn.query(
      "SELECT handle, account_id, source_queue_id, destination_queue_id, source_arn, destination_arn, rate, status, "
      "failure_reason, moved, to_move, started_at FROM sqs_move_tasks ORDER BY started_at, handle");
  if (!rows) return rows.error();
  std::vector<MoveTaskRow> out;
  for (const auto& r : *rows)
    out.push_back(MoveTaskRow{r.text(0), r.text(1), r.integer(2), r.integer(3), r.text(4), r.text(5), r.integer(6),
                              r.text(7), r.text(8), r.integer(9), r.integer(10), r.integer(11)});
  return out;
}

Result<std::vector<QueueRow>> loadQueues(store::ReadTxn& txn) {
  auto rows = txn.query(
      "SELECT queue_id, account_id, region, name, settings, tags, created_at, modified_at FROM sqs_queues "
      "ORDER BY queue_id");
  if (!rows) return rows.error();
  std::vector<QueueRow> out;
  for (const auto& r : *rows) {
    QueueRow q;
    q.identity = {r.integer(0), r.text(1), r.text(2), r.text(3)};
    auto settings = settingsFromJson(r.text(4));
    if (!settings)
      return Error(ErrorCode::InternalFailure,
                   "stored queue " + r.text(3) + " has unreadable settings: " + settings.error().message());
    q.settings = std::move(*settings);
    q.tags = jsonToMap(r.text(5));
    q.createdAt = r.integer(6);
    q.modifiedAt = r.integer(7);
    out.push_back(std::move(q));
  }
  return out;
}

Result<void> loadMessages(store::ReadTxn& txn, int64_t queueId, const std::function<bool(size_t)>& keepBody,
                          const std::function<void(MessageMeta&&)>& each) {
  auto rows = txn.query(
      "SELECT seq, message_id, length(body), md5_body, md5_attributes, sender_id, sent_at, visible_at, "
      "receive_count, first_receive_at, group_id, attributes IS NOT NULL, dedup_id, dlq_source, trace_header "
      "FROM sqs_messages "
      "WHERE queue_id = ? "
      "ORDER BY seq",
      {queueId});
  if (!rows) return rows.error();
  for (const auto& r : *rows) {
    MessageMeta m;
    m.sequence = r.integer(0);
    m.messageId = bytes16(r.text(1));
    m.bodyBytes = static_cast<uint32_t>(r.integer(2));
    m.md5OfBody = bytes16(r.text(3));
    m.hasAttributes = r.integer(11) != 0;
    if (m.hasAttributes) m.md5OfAttributes = bytes16(r.text(4));
    m.senderId = r.text(5);
    m.sentAt = r.integer(6);
    m.visibleAt = r.integer(7);
    m.receiveCount = static_cast<int32_t>(r.integer(8));
    m.firstReceiveAt = r.integer(9);
    m.groupId = r.text(10);
    m.dedupId = r.text(12);
    m.deadLetterSource = r.integer(13);
    m.traceHeader = r.text(14);
    // A receive recorded lazily may be older than the crash: such messages are simply visible
    // again (visible_at is in the past), never lost.
    if (keepBody(m.bodyBytes)) {
      auto body = readBody(txn, queueId, m.sequence);
      if (!body) return body.error();
      if (*body) {
        m.body = std::make_shared<const std::string>(std::move((*body)->first));
        if (m.hasAttributes) m.attributes = std::make_shared<const MessageAttributes>(std::move((*body)->second));
      }
    }
    each(std::move(m));
  }
  return {};
}

Result<std::optional<std::pair<std::string, MessageAttributes>>> readBody(store::ReadTxn& txn, int64_t queueId,
                                                                          int64_t sequence) {
  auto row = txn.queryOne("SELECT body, attributes FROM sqs_messages WHERE queue_id = ? AND seq = ?",
                          {queueId, sequence});
  if (!row) return row.error();
  if (!*row) return std::optional<std::pair<std::string, MessageAttributes>>();
  MessageAttributes attributes;
  if (!(*row)->isNull(1)) {
    auto decoded = decodeAttributes((*row)->text(1));
    if (!decoded) return Error(ErrorCode::InternalFailure, "unreadable stored message attributes");
    attributes = std::move(*decoded);
  }
  return std::optional(std::pair((*row)->text(0), std::move(attributes)));
}

}  // namespace overcast::sqs
