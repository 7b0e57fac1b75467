// Publish and PublishBatch: a message goes to every confirmed subscription whose filter policy
// matches. Copies for queues are stored through SQS before the answer; copies for HTTP(S) and
// mail are delivery jobs, written in one transaction before the answer (delivery_jobs.cc).
#include <openssl/evp.h>

#include <set>

#include <boost/asio/post.hpp>

#include <boost/json/parse.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/digest_algorithms.h"
#include "core/hex.h"
#include "protocol/value_conversions.h"
#include "services/sns/sns_core.h"

namespace overcast::sns {
namespace {

constexpr size_t kMaxBatchEntries = 10;
constexpr size_t kMaxRawQueueAttributes = 10;

Error invalid(std::string_view what) { return Error(ErrorCode::InvalidParameter, fmt::format("Invalid parameter: {}", what)); }

struct Attribute {
  std::string dataType;
  std::string value;  // StringValue, or BinaryValue as the client sent it (base64)
  bool binary = false;
};

// One message, checked and ready to fan out.
struct Prepared {
  std::string messageId;
  std::optional<std::string> subject;
  std::string message;  // the default text
  std::map<std::string, std::string> perProtocol;  // MessageStructure=json: "sqs", "http", "email"...
  std::map<std::string, Attribute> attributes;
  std::string groupId;
  std::string dedupId;
  int64_t sequence = 0;
  bool fifo = false;

  const std::string& textFor(Protocol p) const {
    auto it = perProtocol.find(std::string(toString(p)));
    return it == perProtocol.end() ? message : it->second;
  }
};

Result<std::map<std::string, Attribute>> parseAttributes(const json::object& in, size_t& bytes) {
  std::map<std::string, Attribute> out;
  auto* v = in.if_contains("MessageAttributes");
  if (!v || !v->is_object()) return out;
  for (const auto& [key, value] : v->get_object()) {
    std::string name(key);
    if (name.empty() || name.size() > 256 || !value.is_object())
      return invalid(fmt::format("The message attribute '{}' is invalid.", name));
    const auto& a = value.get_object();
    Attribute attr;
    attr.dataType = stringOf(a, "DataType");
    const std::string base = attr.dataType.substr(0, attr.dataType.find('.'));
    const bool array = attr.dataType == "String.Array" || attr.dataType.starts_with("String.Array.");
    if (base != "String" && base != "Number" && base != "Binary")
      return invalid(fmt::format("The message attribute '{}' has an invalid message attribute type, the set of "
                                 "supported type prefixes is Binary, Number, and String.", name));
    attr.binary = base == "Binary";
    attr.value = stringOf(a, attr.binary ? "BinaryValue" : "StringValue");
    if (attr.value.empty())
      return invalid(fmt::format("The message attribute '{}' must contain non-empty message attribute value for "
                                 "message attribute type '{}'.", name, base));
    if (base == "Number") {
      double d = 0;
      if (std::sscanf(attr.value.c_str(), "%lf", &d) != 1)
        return invalid(fmt::format("Value {} for parameter MessageAttributes is invalid. Reason: An error occurred "
                                   "when parsing a number.", attr.value));
    }
    if (array) {
      boost::system::error_code ec;
      auto parsed = boost::json::parse(attr.value, ec);
      if (ec || !parsed.is_array())
        return invalid(fmt::format("The message attribute '{}' with type 'String.Array' has an invalid value.", name));
    }
    bytes += name.size() + attr.dataType.size() + attr.value.size();
    out.emplace(std::move(name), std::move(attr));
  }
  return out;
}

bool isValidSubject(std::string_view s) {
  if (s.empty() || s.size() > 100) return false;
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e) return false;  // printable ASCII, no line breaks
  return true;
}

std::string sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  const unsigned int n = digestInto(sha256Algorithm(), data, digest);
  return toHex(std::span<const unsigned char>(digest, n));
}

Result<Prepared> prepare(SnsCore& core, const Topic& topic, const json::object& in) {
  Prepared p;
  p.message = stringOf(in, "Message");
  if (p.message.empty()) return invalid("Empty message");
  size_t bytes = p.message.size();
  if (auto* subject = in.if_contains("Subject"); subject && subject->is_string()) {
    if (!isValidSubject(subject->get_string())) return invalid("Subject");
    p.subject = std::string(subject->get_string());
  }
  const std::string structure = stringOf(in, "MessageStructure");
  if (!structure.empty()) {
    if (structure != "json") return invalid("MessageStructure");
    boost::system::error_code ec;
    auto parsed = boost::json::parse(p.message, ec);
    if (ec || !parsed.is_object()) return invalid("Message Structure - JSON message body failed to parse");
    const auto& o = parsed.get_object();
    auto* def = o.if_contains("default");
    if (!def || !def->is_string()) return invalid("Message Structure - No default entry in JSON message body");
    for (const auto& [k, v] : o)
      if (v.is_string() && k != "default") p.perProtocol[std::string(k)] = std::string(v.get_string());
    p.message = std::string(def->get_string());
  }
  auto attributes = parseAttributes(in, bytes);
  if (!attributes) return attributes.error();
  p.attributes = std::move(*attributes);
  if (bytes > kMaxMessageBytes) return invalid("Message too long");

  p.fifo = topic.fifo();
  p.groupId = stringOf(in, "MessageGroupId");
  p.dedupId = stringOf(in, "MessageDeduplicationId");
  if (p.fifo) {
    if (p.groupId.empty()) return invalid("The MessageGroupId parameter is required for FIFO topics");
    if (p.dedupId.empty()) {
      if (topic.attribute("ContentBasedDeduplication") != "true")
        return invalid("The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId "
                       "provided explicitly");
      p.dedupId = sha256Hex(p.message);
    }
    p.sequence = core.nextSequence();
  } else if (!p.dedupId.empty()) {
    return invalid("MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not "
                   "valid for this topic type");
  }
  p.messageId = core.ids().uuid();
  return p;
}

FilterAttributes filterAttributesOf(const Prepared& p) {
  FilterAttributes out;
  for (const auto& [name, a] : p.attributes) out.emplace(name, FilterAttribute{a.dataType, a.value});
  return out;
}

bool matches(const Subscription& s, const Prepared& p, const FilterAttributes& attributes) {
  if (!s.filter) return true;
  if (s.filter->scope() == FilterScope::MessageBody) return s.filter->matchesBody(p.message);
  return s.filter->matchesAttributes(attributes);
}

// What one publish sends: queue copies now, job rows for the rest.
struct FanOut {
  std::vector<sqs::TopicDelivery> queues;
  std::vector<std::pair<SubscriptionPtr, json::object>> jobs;
};

// Signs once per distinct text: the signature covers Message, MessageId, Subject, Timestamp,
// TopicArn and Type, not the per-subscription UnsubscribeURL.
class DocumentMaker {
 public:
  DocumentMaker(SnsCore& core, const Topic& topic, const Prepared& p, const RequestContext& ctx)
      : core_(core), p_(p), base_(core.baseUrl(ctx)) {
    m_.type = SnsMessageType::Notification;
    m_.messageId = p.messageId;
    m_.topicArn = topic.arn;
    m_.subject = p.subject;
    m_.timestamp = formatTimestamp(ctx.now);
    m_.signatureVersion = topic.attribute("SignatureVersion") == "2" ? SignatureVersion::V2 : SignatureVersion::V1;
    m_.signingCertUrl = core.signingCertUrl(ctx);
    // The document carries binary values in base64, as AWS writes them.
    for (const auto& [name, a] : p.attributes)
      m_.messageAttributes[name] =
          SnsMessageAttribute{a.dataType, a.binary ? protocol::detail::base64Encode(a.value) : a.value};
  }

  Result<std::string> documentFor(const Subscription& s) {
    m_.message = p_.textFor(s.protocol);
    m_.unsubscribeUrl = fmt::format("{}/?Action=Unsubscribe&SubscriptionArn={}", base_, queryEncode(s.arn));
    auto& signature = signatures_[m_.message];
    if (signature.empty()) {
      auto signedText = core_.identity().sign(m_.signatureVersion, stringToSign(m_));
      if (!signedText) return signedText.error();
      signature = std::move(*signedText);
    }
    return toJson(m_, signature);
  }

 private:
  SnsCore& core_;
  const Prepared& p_;
  const std::string base_;
  SnsMessage m_;
  std::map<std::string, std::string> signatures_;
};

Result<void> plan(SnsCore& core, const RequestContext& ctx, const Topic& topic, const Prepared& p, FanOut& out) {
  // Built on first need: most topics filter nothing, and raw deliveries sign nothing.
  std::optional<FilterAttributes> attributes;
  std::optional<DocumentMaker> maker;
  auto documents = [&]() -> DocumentMaker& {
    if (!maker) maker.emplace(core, topic, p, ctx);
    return *maker;
  };
  for (const auto& s : core.registry().subscriptionsOf(topic.arn)) {
    if (!s->confirmed) continue;
    if (s->filter) {
      if (!attributes) attributes = filterAttributesOf(p);
      if (!matches(*s, p, *attributes)) continue;
    }
    if (s->protocol == Protocol::Sqs) {
      json::object input;
      if (s->raw()) {
        input["MessageBody"] = p.textFor(Protocol::Sqs);
        json::object attrs;
        for (const auto& [name, a] : p.attributes) {
          if (attrs.size() == kMaxRawQueueAttributes) break;
          json::object v{{"DataType", a.dataType}};
          v[a.binary ? "BinaryValue" : "StringValue"] = a.value;
          attrs[name] = std::move(v);
        }
        if (!attrs.empty()) input["MessageAttributes"] = std::move(attrs);
      } else {
        auto doc = documents().documentFor(*s);
        if (!doc) return doc.error();
        input["MessageBody"] = std::move(*doc);
      }
      if (p.fifo) {
        input["MessageGroupId"] = p.groupId;
        input["MessageDeduplicationId"] = p.dedupId;
      }
      out.queues.push_back(sqs::TopicDelivery{s->endpoint, topic.arn, topic.account, std::move(input), ctx.now});
      continue;
    }
    json::object payload{{"type", "Notification"}, {"messageId", p.messageId}, {"topicArn", topic.arn}};
    const bool mail = s->protocol == Protocol::Email || s->protocol == Protocol::EmailJson;
    if (s->protocol == Protocol::Email) {
      payload["document"] = p.textFor(Protocol::Email);
    } else if (s->raw()) {
      payload["document"] = p.textFor(s->protocol);
      payload["raw"] = true;
    } else {
      auto doc = documents().documentFor(*s);
      if (!doc) return doc.error();
      payload["document"] = std::move(*doc);
    }
    if (mail) {
      payload["subject"] = p.subject.value_or("AWS Notification Message");
      payload["displayName"] = topic.attribute("DisplayName");
      payload["unsubscribeUrl"] = fmt::format("{}/?Action=Unsubscribe&SubscriptionArn={}", core.baseUrl(ctx), queryEncode(s->arn));
    }
    out.jobs.emplace_back(s, std::move(payload));
  }
  return {};
}

// Sends a planned fan-out; `done` once every queue copy is stored and the jobs are written.
void send(SnsCore& core, std::shared_ptr<FanOut> fanOut, TimePoint now, std::function<void(Result<void>)> done) {
  struct State {
    std::mutex mu;
    size_t remaining = 0;
    Result<void> result;
    std::function<void(Result<void>)> done;
  };
  auto state = std::make_shared<State>();
  state->remaining = (fanOut->queues.empty() ? 0 : 1) + (fanOut->jobs.empty() ? 0 : 1) + 1;
  state->done = std::move(done);
  auto finishOne = [state](Result<void> r) {
    std::function<void(Result<void>)> call;
    Result<void> result;
    {
      std::lock_guard lock(state->mu);
      if (!r && state->result) state->result = r;
      if (--state->remaining != 0) return;
      call = std::move(state->done);
      result = state->result;
    }
    call(result);
  };
  if (!fanOut->queues.empty()) {
    std::vector<std::string> arns;
    for (const auto& q : fanOut->queues) arns.push_back(q.queueArn);
    core.sqs().deliverFromTopic(std::move(fanOut->queues),
                                [finishOne, arns = std::move(arns)](std::vector<Result<void>> results) {
                                  // A queue that is gone or refuses the topic loses its copy, as on
                                  // AWS; the publish stands.
                                  for (size_t i = 0; i < results.size(); ++i)
                                    if (!results[i])
                                      spdlog::warn("sns: no copy for {}: {}", arns[i], results[i].error().message());
                                  finishOne(Result<void>{});
                                });
  }
  if (!fanOut->jobs.empty()) {
    core.store().write(
        [&core, fanOut, now](store::WriteTxn& txn) -> Result<void> {
          for (auto& [s, payload] : fanOut->jobs)
            if (auto r = core.enqueueDelivery(txn, *s, payload, now); !r) return r;
          return {};
        },
        [&core, finishOne](Result<void> r) {
          if (r) core.wakeJobs();
          finishOne(r);
        });
  }
  finishOne(Result<void>{});
}

Result<TopicPtr> publishTopic(SnsCore& core, const RequestContext& ctx, const json::object& in) {
  if (!stringOf(in, "PhoneNumber").empty()) return invalid("PhoneNumber Reason: overcast does not send SMS");
  std::string arn = stringOf(in, "TopicArn");
  if (arn.empty()) arn = stringOf(in, "TargetArn");
  if (arn.empty()) return invalid("TopicArn or TargetArn Reason: no value for required parameter");
  return core.authorizedTopic(ctx, arn, "Publish");
}

}  // namespace

void SnsCore::publish(const RequestContext& ctx, const json::object& in, Reply reply) {
  auto topic = publishTopic(*this, ctx, in);
  if (!topic) return reply(topic.error());
  auto prepared = prepare(*this, **topic, in);
  if (!prepared) return reply(prepared.error());
  auto p = std::make_shared<Prepared>(std::move(*prepared));
  offloadSigning(**topic, [this, ctx, t = *topic, p, reply = std::move(reply)]() mutable {
    auto fanOut = std::make_shared<FanOut>();
    if (auto planned = plan(*this, ctx, *t, *p, *fanOut); !planned) return reply(planned.error());
    Output out{{"MessageId", p->messageId}};
    if (p->fifo) out["SequenceNumber"] = fmt::format("{:020}", p->sequence);
    send(*this, fanOut, ctx.now, [out = std::move(out), reply = std::move(reply)](Result<void> r) mutable {
      if (!r) return reply(r.error());
      reply(std::move(out));
    });
  });
}

void SnsCore::publishBatch(const RequestContext& ctx, const json::object& in, Reply reply) {
  auto topic = publishTopic(*this, ctx, in);
  if (!topic) return reply(topic.error());
  auto* entries = in.if_contains("PublishBatchRequestEntries");
  if (!entries || !entries->is_array() || entries->get_array().empty())
    return reply(Error(ErrorCode::EmptyBatchRequest, "The batch request doesn't contain any entries"));
  const auto& list = entries->get_array();
  if (list.size() > kMaxBatchEntries)
    return reply(Error(ErrorCode::TooManyEntriesInBatchRequest, "The batch request contains more entries than permissible"));
  std::set<std::string> ids;
  size_t total = 0;
  for (const auto& e : list) {
    const std::string id = e.is_object() ? stringOf(e.get_object(), "Id") : std::string();
    if (id.empty() || id.size() > 80 ||
        !std::all_of(id.begin(), id.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; }))
      return reply(Error(ErrorCode::InvalidBatchEntryId, "The Id of a batch entry in a batch request doesn't abide by the specification"));
    if (!ids.insert(id).second)
      return reply(Error(ErrorCode::BatchEntryIdsNotDistinct, "Two or more batch entries in the request have the same Id"));
    total += stringOf(e.get_object(), "Message").size();
  }
  if (total > kMaxMessageBytes)
    return reply(Error(ErrorCode::BatchRequestTooLong, "The length of all the messages put together is more than the limit"));
  // A copy on the default memory resource: the input lives on the request's arena, which may be
  // gone by the time the signer threads let go of this.
  boost::json::array copy(list, boost::json::storage_ptr());
  offloadSigning(**topic, [this, ctx, t = *topic, entries = std::move(copy), reply = std::move(reply)]() mutable {
    publishEntries(ctx, *t, entries, std::move(reply));
  });
}

void SnsCore::publishEntries(const RequestContext& ctx, const Topic& topic, const json::array& list, Reply reply) {
  auto fanOut = std::make_shared<FanOut>();
  json::array successful, failed;
  for (const auto& e : list) {
    const auto& entry = e.get_object();
    const std::string id = stringOf(entry, "Id");
    auto prepared = prepare(*this, topic, entry);
    Result<void> planned = prepared ? plan(*this, ctx, topic, *prepared, *fanOut) : Result<void>(prepared.error());
    if (!planned) {
      failed.push_back(json::object{{"Id", id}, {"Code", planned.error().wireCode()}, {"Message", planned.error().message()},
                                    {"SenderFault", true}});
      continue;
    }
    json::object ok{{"Id", id}, {"MessageId", prepared->messageId}};
    if (prepared->fifo) ok["SequenceNumber"] = fmt::format("{:020}", prepared->sequence);
    successful.push_back(std::move(ok));
  }
  Output out{{"Successful", std::move(successful)}, {"Failed", std::move(failed)}};
  send(*this, fanOut, ctx.now, [out = std::move(out), reply = std::move(reply)](Result<void> r) mutable {
    if (!r) return reply(r.error());
    reply(std::move(out));
  });
}

void SnsCore::offloadSigning(const Topic& topic, std::function<void()> work) {
  // A FIFO topic's copies must reach their queues in SequenceNumber order: one thread.
  if (topic.fifo()) return work();
  // Only documents are signed: raw copies and plain mail carry none.
  bool signs = false;
  for (const auto& s : registry_.subscriptionsOf(topic.arn))
    if (s->confirmed && !s->raw() && s->protocol != Protocol::Email) signs = true;
  if (!signs) return work();
  boost::asio::post(signer_, std::move(work));
}

}  // namespace overcast::sns
