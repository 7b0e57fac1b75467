// SendMessage and SendMessageBatch: a message is durable before the answer.
#include <openssl/evp.h>

#include "core/digest_algorithms.h"
#include "core/hex.h"
#include "services/sqs/model/message_rules.h"
#include "services/sqs/model/names.h"
#include "services/sqs/model/policy.h"
#include "services/sqs/sqs_core.h"
#include "services/sqs/sqs_store.h"

namespace overcast::sqs {
namespace {

constexpr int64_t kMaxDelaySeconds = 900;

Error invalid(std::string message) { return Error(ErrorCode::InvalidParameterValue, std::move(message)); }

// MessageAttributes / MessageSystemAttributes input -> attributes; AWS's messages.
Result<MessageAttributes> parseAttributes(const json::object& in, std::string_view member) {
  MessageAttributes out;
  auto* v = in.if_contains(member);
  if (!v || !v->is_object()) return out;
  for (const auto& [key, value] : v->get_object()) {
    std::string name(key);
    if (!value.is_object()) return invalid("The message attribute '" + name + "' is invalid.");
    const auto& a = value.get_object();
    MessageAttribute attr;
    attr.dataType = stringOf(a, "DataType");
    if (attr.dataType.empty())
      return invalid("The message attribute '" + name + "' must contain non-empty message attribute type.");
    const bool binary = attr.binary();
    const char* field = binary ? "BinaryValue" : "StringValue";
    auto* raw = a.if_contains(field);
    if (!raw || !raw->is_string() || raw->get_string().empty())
      return invalid("The message attribute '" + name + "' must contain non-empty message attribute value for "
                     "message attribute type '" + attr.dataType.substr(0, attr.dataType.find('.')) + "'.");
    attr.value = std::string(raw->get_string());
    out.emplace(std::move(name), std::move(attr));
  }
  return out;
}

}  // namespace

// Everything about one message that can be checked before it is stored.
struct PreparedMessage {
  StoredMessage stored;
  std::string md5OfSystemAttributes;
  size_t size = 0;
  bool fifo = false;
  std::string dedupKey;  // FIFO: what deduplication compares (scope, then id or body hash)
  std::optional<std::pair<Bytes16, int64_t>> duplicateOf;  // FIFO: an earlier message it repeats
};

static std::string sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  const unsigned int n = digestInto(sha256Algorithm(), data, digest);
  return toHex(std::span<const unsigned char>(digest, n));
}

static Result<PreparedMessage> prepare(SqsCore& core, const RequestContext& ctx, const Queue& queue,
                                       const QueueSettings& settings, const json::object& in) {
  const std::string body = stringOf(in, "MessageBody");
  if (body.empty()) return invalid("The request must contain the parameter MessageBody.");
  if (auto ok = validateBody(body); !ok) return ok.error();
  auto attributes = parseAttributes(in, "MessageAttributes");
  if (!attributes) return attributes.error();
  if (auto ok = validateMessageAttributes(*attributes); !ok) return ok.error();
  auto system = parseAttributes(in, "MessageSystemAttributes");
  if (!system) return system.error();
  for (const auto& [name, a] : *system) {
    if (name != "AWSTraceHeader") return invalid("Message system attribute name '" + name + "' is invalid.");
    if (a.dataType != "String")
      return invalid("The message system attribute 'AWSTraceHeader' must be of type 'String'.");
  }

  PreparedMessage p;
  p.size = messageSize(body, *attributes);
  if (static_cast<int64_t>(p.size) > settings.maximumMessageSize)
    return invalid("One or more parameters are invalid. Reason: Message must be shorter than " +
                   std::to_string(settings.maximumMessageSize) + " bytes.");

  const bool fifo = settings.fifoQueue;
  auto delay = intOf(in, "DelaySeconds");
  if (delay && (*delay < 0 || *delay > kMaxDelaySeconds))
    return invalid("Value " + std::to_string(*delay) + " for parameter DelaySeconds is invalid. Reason: must be "
                   "between 0 and 900, if provided.");
  if (fifo && delay)
    return invalid("Value " + std::to_string(*delay) + " for parameter DelaySeconds is invalid. Reason: The request "
                   "include parameter that is not valid for this queue type.");
  const std::string groupId = stringOf(in, "MessageGroupId");
  const std::string dedupId = stringOf(in, "MessageDeduplicationId");
  if (fifo && groupId.empty())
    return Error(ErrorCode::MissingParameter, "The request must contain the parameter MessageGroupId.");
  if (!fifo && !dedupId.empty())
    return invalid("The request include parameter that is not valid for this queue type");
  if (fifo && dedupId.empty() && !settings.contentBasedDeduplication)
    return invalid("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId "
                   "provided explicitly");

  const Millis now = toMillis(ctx.now);
  MessageMeta& m = p.stored.meta;
  m.sequence = const_cast<Queue&>(queue).nextSequence();
  if (auto id = parseMessageId(core.ids().uuid())) m.messageId = *id;
  m.sentAt = now;
  m.visibleAt = now + delay.value_or(settings.delaySeconds) * 1000;
  m.bodyBytes = static_cast<uint32_t>(body.size());
  m.md5OfBody = md5OfBodyBytes(body);
  if (!attributes->empty()) {
    m.hasAttributes = true;
    if (auto md5 = parseHex16(md5OfAttributes(*attributes))) m.md5OfAttributes = *md5;
    m.attributes = std::make_shared<const MessageAttributes>(std::move(*attributes));
  }
  if (!system->empty()) {
    p.md5OfSystemAttributes = md5OfAttributes(*system);
    if (auto trace = system->find("AWSTraceHeader"); trace != system->end()) m.traceHeader = trace->second.value;
  }
  m.senderId = ctx.accountId;
  m.groupId = groupId;
  m.body = std::make_shared<const std::string>(body);
  p.fifo = fifo;
  if (fifo) {
    // Content-based deduplication hashes the body only (not the attributes), as AWS does.
    m.dedupId = dedupId.empty() ? sha256Hex(body) : dedupId;
    p.dedupKey = m.dedupId;
    if (settings.deduplicationScope == "messageGroup") p.dedupKey = groupId + '\n' + p.dedupKey;
    p.duplicateOf = const_cast<Queue&>(queue).claimDeduplication(p.dedupKey, now, m.messageId, m.sequence);
  }
  return p;
}

static json::object sendResult(const PreparedMessage& p) {
  const MessageMeta& m = p.stored.meta;
  // A FIFO duplicate is accepted but not delivered twice: the answer names the original.
  const Bytes16& id = p.duplicateOf ? p.duplicateOf->first : m.messageId;
  json::object out{{"MessageId", messageIdText(id)}, {"MD5OfMessageBody", hexText(m.md5OfBody)}};
  if (p.fifo) out["SequenceNumber"] = fifoSequenceNumber(p.duplicateOf ? p.duplicateOf->second : m.sequence);
  if (m.hasAttributes) out["MD5OfMessageAttributes"] = hexText(m.md5OfAttributes);
  if (!p.md5OfSystemAttributes.empty()) out["MD5OfMessageSystemAttributes"] = p.md5OfSystemAttributes;
  return out;
}

void SqsCore::sendMessage(const RequestContext& ctx, const json::object& in, Reply reply) {
  auto queue = queueOf(ctx, in);
  if (!queue) return reply(queue.error());
  sendToQueue(ctx, *queue, in, std::move(reply));
}

Result<std::shared_ptr<Queue>> SqsCore::topicTarget(const TopicDelivery& d) const {
  auto address = parseQueueArn(d.queueArn);
  if (!address) return address.error();
  auto queue = registry_.find(address->account, address->region, address->name);
  if (!queue) return Error(ErrorCode::QueueDoesNotExist, "The specified queue does not exist.");
  if (address->account != d.topicOwner) {
    // Another account's queue takes the topic's messages only where its policy lets SNS in
    // for this topic (as AWS requires).
    PolicyRequest request{"", "sns.amazonaws.com", "sqs:SendMessage", queue->arn(), d.topicArn, d.topicOwner};
    if (evaluatePolicy(queue->settings()->policy, request) != PolicyDecision::Allow)
      return Error(ErrorCode::AccessDenied, "The queue's policy does not allow the topic " + d.topicArn + ".");
  }
  return queue;
}

void SqsCore::deliverFromTopic(std::vector<TopicDelivery> deliveries, std::function<void(std::vector<Result<void>>)> done) {
  struct Copy {
    size_t index;
    std::shared_ptr<Queue> queue;
    PreparedMessage message;
  };
  auto results = std::make_shared<std::vector<Result<void>>>(deliveries.size());
  auto copies = std::make_shared<std::vector<Copy>>();
  copies->reserve(deliveries.size());
  for (size_t i = 0; i < deliveries.size(); ++i) {
    const TopicDelivery& d = deliveries[i];
    auto queue = topicTarget(d);
    if (!queue) {
      (*results)[i] = queue.error();
      continue;
    }
    RequestContext ctx;
    ctx.accountId = d.topicOwner;
    ctx.now = d.now;
    ctx.ids = &ids_;
    auto prepared = prepare(*this, ctx, **queue, *(*queue)->settings(), d.input);
    if (!prepared) {
      (*results)[i] = prepared.error();
      continue;
    }
    if (prepared->duplicateOf) continue;  // FIFO: delivered before
    copies->push_back(Copy{i, std::move(*queue), std::move(*prepared)});
  }
  if (copies->empty()) return done(std::move(*results));
  // Every copy of one publish in one transaction: one commit, one completion.
  store_.write(
      [copies](store::WriteTxn& txn) -> Result<void> {
        for (const auto& c : *copies)
          if (auto r = insertMessage(txn, c.queue->identity().queueId, c.message.stored); !r) return r;
        return {};
      },
      [this, copies, results, done = std::move(done)](Result<void> written) {
        for (const auto& c : *copies) {
          if (!written) {
            if (!c.message.dedupKey.empty()) c.queue->releaseDeduplication(c.message.dedupKey, c.message.stored.meta.sequence);
            (*results)[c.index] = written;
            continue;
          }
          MessageMeta meta = c.message.stored.meta;
          if (!reserveBody(meta.bodyBytes)) meta.body.reset();
          c.queue->add(std::move(meta));
        }
        done(std::move(*results));
        if (written)
          for (const auto& c : *copies) wakeWaiters(c.queue);
      });
}

void SqsCore::sendToQueue(const RequestContext& ctx, const std::shared_ptr<Queue>& q, const json::object& in,
                          Reply reply) {
  auto prepared = prepare(*this, ctx, *q, *q->settings(), in);
  if (!prepared) return reply(prepared.error());
  auto p = std::make_shared<PreparedMessage>(std::move(*prepared));
  if (p->duplicateOf) return reply(sendResult(*p));
  store_.write([id = q->identity().queueId, p](store::WriteTxn& txn) { return insertMessage(txn, id, p->stored); },
               [this, q, p, reply = std::move(reply)](Result<void> done) {
                 if (!done) {
                   if (!p->dedupKey.empty()) q->releaseDeduplication(p->dedupKey, p->stored.meta.sequence);
                   return reply(done.error());
                 }
                 // Indexed before the answer: a receive sent after it must find the message.
                 MessageMeta meta = p->stored.meta;
                 if (!reserveBody(meta.bodyBytes)) meta.body.reset();
                 q->add(std::move(meta));
                 reply(sendResult(*p));
                 wakeWaiters(q);
               });
}

void SqsCore::sendMessageBatch(const RequestContext& ctx, const json::object& in, Reply reply) {
  auto queue = queueOf(ctx, in);
  if (!queue) return reply(queue.error());
  auto q = *queue;
  auto entries = batchEntries(in, "SendMessageBatchRequestEntry");
  if (!entries) return reply(entries.error());
  const auto& list = **entries;
  const auto settingsSnapshot = q->settings();  // held: the reference below must not dangle
  const QueueSettings& settings = *settingsSnapshot;
  struct Entry {
    std::string id;
    PreparedMessage message;
  };
  auto ok = std::make_shared<std::vector<Entry>>();
  json::array failed;
  size_t total = 0;
  for (const auto& e : list) {
    const auto& entry = e.get_object();
    auto prepared = prepare(*this, ctx, *q, settings, entry);
    if (!prepared) {
      failed.push_back(json::object{{"Id", stringOf(entry, "Id")},
                                    {"SenderFault", true},
                                    {"Code", prepared.error().wireCode()},
                                    {"Message", prepared.error().message()}});
      continue;
    }
    total += prepared->size;
    ok->push_back(Entry{stringOf(entry, "Id"), std::move(*prepared)});
  }
  if (static_cast<int64_t>(total) > settings.maximumMessageSize)
    return reply(Error(ErrorCode::BatchRequestTooLong, "Batch requests cannot be longer than " +
                                                           std::to_string(settings.maximumMessageSize) + " bytes. You "
                                                           "have sent " + std::to_string(total) + " bytes."));
  auto answer = [ok, failed = std::move(failed)]() {
    json::array successful;
    for (const auto& e : *ok) {
      auto r = sendResult(e.message);
      r["Id"] = e.id;
      successful.push_back(std::move(r));
    }
    return Output{{"Successful", std::move(successful)}, {"Failed", failed}};
  };
  if (ok->empty()) return reply(answer());
  store_.write(
      [id = q->identity().queueId, ok](store::WriteTxn& txn) -> Result<void> {
        for (const auto& e : *ok)
          if (!e.message.duplicateOf)
            if (auto r = insertMessage(txn, id, e.message.stored); !r) return r;
        return {};
      },
      [this, q, ok, answer, reply = std::move(reply)](Result<void> done) {
        if (!done) {
          for (const auto& e : *ok)
            if (!e.message.dedupKey.empty() && !e.message.duplicateOf)
              q->releaseDeduplication(e.message.dedupKey, e.message.stored.meta.sequence);
          return reply(done.error());
        }
        for (const auto& e : *ok) {
          if (e.message.duplicateOf) continue;
          MessageMeta meta = e.message.stored.meta;
          if (!reserveBody(meta.bodyBytes)) meta.body.reset();
          q->add(std::move(meta));
        }
        reply(answer());
        wakeWaiters(q);
      });
}

}  // namespace overcast::sqs
