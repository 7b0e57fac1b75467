#include "sqs.h"

#include "setup_exchange.h"

#include <array>

#include <boost/asio/buffer.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>

#include "response_parser.h"

namespace overcast::bench {

namespace asio = boost::asio;
namespace json = boost::json;
using boost::system::error_code;

namespace {

constexpr std::string_view kForm = "application/x-www-form-urlencoded; charset=utf-8";
constexpr std::string_view kJson = "application/x-amz-json-1.0";
constexpr std::string_view kBodyPrefix = "overcast-bench-";

void appendFormEncoded(std::string_view value, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : value) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[static_cast<unsigned char>(c) >> 4];
      out += kHex[static_cast<unsigned char>(c) & 0xF];
    }
  }
}

void appendJsonString(std::string_view value, std::string& out) {
  out += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<int>(c));
    } else {
      out += c;
    }
  }
  out += '"';
}

// Minimal XML text decoding: the five named entities and numeric references (ASCII only).
std::string xmlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    auto semi = text.find(';', i);
    if (semi == std::string_view::npos) {
      out += text.substr(i);
      break;
    }
    std::string_view entity = text.substr(i + 1, semi - i - 1);
    if (entity == "amp") out += '&';
    else if (entity == "lt") out += '<';
    else if (entity == "gt") out += '>';
    else if (entity == "quot") out += '"';
    else if (entity == "apos") out += '\'';
    else if (!entity.empty() && entity[0] == '#') {
      bool hex = entity.size() > 1 && (entity[1] == 'x' || entity[1] == 'X');
      unsigned long code = std::strtoul(std::string(entity.substr(hex ? 2 : 1)).c_str(), nullptr,
                                        hex ? 16 : 10);
      out += static_cast<char>(code);
    } else {
      out.append(text.substr(i, semi - i + 1));
    }
    i = semi;
  }
  return out;
}

// The text of the first <name>...</name> inside `xml`, undecoded, and where it ends.
std::string_view xmlElement(std::string_view xml, std::string_view name, std::size_t* end = nullptr) {
  std::string open = fmt::format("<{}>", name), close = fmt::format("</{}>", name);
  auto start = xml.find(open);
  if (start == std::string_view::npos) return {};
  start += open.size();
  auto stop = xml.find(close, start);
  if (stop == std::string_view::npos) return {};
  if (end != nullptr) *end = stop + close.size();
  return xml.substr(start, stop - start);
}

std::size_t countOf(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string_view::npos;
       at = haystack.find(needle, at + needle.size()))
    ++n;
  return n;
}

std::string_view jsonString(const json::object& object, std::string_view key) {
  auto it = object.find(key);
  if (it == object.end() || !it->value().is_string()) return {};
  return it->value().get_string();
}

// Per-thread scratch for request bodies (one SqsRequests may serve several threads).
std::string& scratchBody() {
  thread_local std::string body;
  body.clear();
  return body;
}

}  // namespace

void sqsMessageBody(std::uint64_t seq, std::string& out) {
  out.clear();
  fmt::format_to(std::back_inserter(out), "{}{:016x}-", kBodyPrefix, seq);
  out.append(kSqsBodyBytes - out.size(), 'x');
}

std::optional<std::uint64_t> sqsMessageSeq(std::string_view body) {
  if (body.size() < kBodyPrefix.size() + 16 || body.substr(0, kBodyPrefix.size()) != kBodyPrefix)
    return std::nullopt;
  std::uint64_t seq = 0;
  for (char c : body.substr(kBodyPrefix.size(), 16)) {
    int digit = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
    if (digit < 0) return std::nullopt;
    seq = seq << 4 | static_cast<std::uint64_t>(digit);
  }
  return seq;
}

SqsRequests::SqsRequests(SqsProtocol protocol, std::string host, bool sign, std::string accessKey,
                         std::string secretKey, std::string region)
    : protocol_(protocol),
      host_(std::move(host)),
      sign_(sign),
      signer_(std::move(accessKey), std::move(secretKey), std::move(region), "sqs") {}

void SqsRequests::finish(std::string_view operation, std::string& body, std::string& out) const {
  out.clear();
  out.append("POST / HTTP/1.1\r\nHost: ").append(host_).append("\r\nContent-Type: ");
  std::string target;
  if (protocol_ == SqsProtocol::kJson) {
    target = fmt::format("AmazonSQS.{}", operation);
    out.append(kJson).append("\r\nX-Amz-Target: ").append(target);
  } else {
    out.append(kForm);
  }
  out.append("\r\n");
  if (sign_)
    signer_.appendAuthHeaders(host_, protocol_ == SqsProtocol::kJson ? kJson : kForm, target, body,
                              out);
  fmt::format_to(std::back_inserter(out), "Content-Length: {}\r\n\r\n", body.size());
  out.append(body);
}

void SqsRequests::createQueue(std::string_view name, std::string& out) const {
  std::string& b = scratchBody();
  if (protocol_ == SqsProtocol::kJson) {
    b.append("{\"QueueName\":");
    appendJsonString(name, b);
    b.append("}");
  } else {
    b.append("Action=CreateQueue&Version=2012-11-05&QueueName=");
    appendFormEncoded(name, b);
  }
  finish("CreateQueue", b, out);
}

void SqsRequests::sendMessage(std::string_view body, std::string& out) const {
  std::string& b = scratchBody();
  if (protocol_ == SqsProtocol::kJson) {
    b.append("{\"QueueUrl\":");
    appendJsonString(queueUrl_, b);
    b.append(",\"MessageBody\":");
    appendJsonString(body, b);
    b.append("}");
  } else {
    b.append("Action=SendMessage&Version=2012-11-05&QueueUrl=");
    appendFormEncoded(queueUrl_, b);
    b.append("&MessageBody=");
    appendFormEncoded(body, b);
  }
  finish("SendMessage", b, out);
}

void SqsRequests::sendMessageBatch(std::span<const std::string> bodies, std::string& out) const {
  std::string& b = scratchBody();
  if (protocol_ == SqsProtocol::kJson) {
    b.append("{\"QueueUrl\":");
    appendJsonString(queueUrl_, b);
    b.append(",\"Entries\":[");
    for (std::size_t i = 0; i < bodies.size(); ++i) {
      fmt::format_to(std::back_inserter(b), "{}{{\"Id\":\"{}\",\"MessageBody\":", i ? "," : "", i);
      appendJsonString(bodies[i], b);
      b.append("}");
    }
    b.append("]}");
  } else {
    b.append("Action=SendMessageBatch&Version=2012-11-05&QueueUrl=");
    appendFormEncoded(queueUrl_, b);
    for (std::size_t i = 0; i < bodies.size(); ++i) {
      fmt::format_to(std::back_inserter(b),
                     "&SendMessageBatchRequestEntry.{0}.Id={1}"
                     "&SendMessageBatchRequestEntry.{0}.MessageBody=",
                     i + 1, i);
      appendFormEncoded(bodies[i], b);
    }
  }
  finish("SendMessageBatch", b, out);
}

void SqsRequests::receiveMessage(int max, int waitSeconds, std::string& out) const {
  std::string& b = scratchBody();
  if (protocol_ == SqsProtocol::kJson) {
    b.append("{\"QueueUrl\":");
    appendJsonString(queueUrl_, b);
    fmt::format_to(std::back_inserter(b), ",\"MaxNumberOfMessages\":{},\"WaitTimeSeconds\":{}}}",
                   max, waitSeconds);
  } else {
    b.append("Action=ReceiveMessage&Version=2012-11-05&QueueUrl=");
    appendFormEncoded(queueUrl_, b);
    fmt::format_to(std::back_inserter(b), "&MaxNumberOfMessages={}&WaitTimeSeconds={}", max,
                   waitSeconds);
  }
  finish("ReceiveMessage", b, out);
}

void SqsRequests::deleteMessage(std::string_view receiptHandle, std::string& out) const {
  std::string& b = scratchBody();
  if (protocol_ == SqsProtocol::kJson) {
    b.append("{\"QueueUrl\":");
    appendJsonString(queueUrl_, b);
    b.append(",\"ReceiptHandle\":");
    appendJsonString(receiptHandle, b);
    b.append("}");
  } else {
    b.append("Action=DeleteMessage&Version=2012-11-05&QueueUrl=");
    appendFormEncoded(queueUrl_, b);
    b.append("&ReceiptHandle=");
    appendFormEncoded(receiptHandle, b);
  }
  finish("DeleteMessage", b, out);
}

void SqsRequests::deleteMessageBatch(std::span<const SqsMessage> messages, std::string& out) const {
  std::string& b = scratchBody();
  if (protocol_ == SqsProtocol::kJson) {
    b.append("{\"QueueUrl\":");
    appendJsonString(queueUrl_, b);
    b.append(",\"Entries\":[");
    for (std::size_t i = 0; i < messages.size(); ++i) {
      fmt::format_to(std::back_inserter(b), "{}{{\"Id\":\"{}\",\"ReceiptHandle\":", i ? "," : "", i);
      appendJsonString(messages[i].receiptHandle, b);
      b.append("}");
    }
    b.append("]}");
  } else {
    b.append("Action=DeleteMessageBatch&Version=2012-11-05&QueueUrl=");
    appendFormEncoded(queueUrl_, b);
    for (std::size_t i = 0; i < messages.size(); ++i) {
      fmt::format_to(std::back_inserter(b),
                     "&DeleteMessageBatchRequestEntry.{0}.Id={1}"
                     "&DeleteMessageBatchRequestEntry.{0}.ReceiptHandle=",
                     i + 1, i);
      appendFormEncoded(messages[i].receiptHandle, b);
    }
  }
  finish("DeleteMessageBatch", b, out);
}

void SqsRequests::getQueueAttributes(std::span<const std::string_view> names,
                                     std::string& out) const {
  std::string& b = scratchBody();
  if (protocol_ == SqsProtocol::kJson) {
    b.append("{\"QueueUrl\":");
    appendJsonString(queueUrl_, b);
    b.append(",\"AttributeNames\":[");
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (i) b += ',';
      appendJsonString(names[i], b);
    }
    b.append("]}");
  } else {
    b.append("Action=GetQueueAttributes&Version=2012-11-05&QueueUrl=");
    appendFormEncoded(queueUrl_, b);
    for (std::size_t i = 0; i < names.size(); ++i) {
      fmt::format_to(std::back_inserter(b), "&AttributeName.{}=", i + 1);
      appendFormEncoded(names[i], b);
    }
  }
  finish("GetQueueAttributes", b, out);
}

std::string SqsRequests::parseAttribute(std::string_view body, std::string_view name) const {
  if (protocol_ == SqsProtocol::kQuery) {
    std::size_t end = 0;
    for (std::string_view rest = body;;) {
      std::string_view attribute = xmlElement(rest, "Attribute", &end);
      if (attribute.empty()) return {};
      if (xmlElement(attribute, "Name") == name) return xmlDecode(xmlElement(attribute, "Value"));
      rest = rest.substr(end);
    }
  }
  error_code ec;
  json::value value = json::parse(body, ec);
  if (ec || !value.is_object()) return {};
  auto it = value.get_object().find("Attributes");
  if (it == value.get_object().end() || !it->value().is_object()) return {};
  return std::string(jsonString(it->value().get_object(), name));
}

std::string SqsRequests::parseQueueUrl(std::string_view body) const {
  if (protocol_ == SqsProtocol::kQuery) return xmlDecode(xmlElement(body, "QueueUrl"));
  error_code ec;
  json::value value = json::parse(body, ec);
  if (ec || !value.is_object()) return {};
  return std::string(jsonString(value.get_object(), "QueueUrl"));
}

void SqsRequests::parseReceive(std::string_view body, std::vector<SqsMessage>& out) const {
  out.clear();
  if (protocol_ == SqsProtocol::kQuery) {
    std::size_t end = 0;
    for (std::string_view rest = body;;) {
      std::string_view message = xmlElement(rest, "Message", &end);
      if (message.empty()) break;
      out.push_back({xmlDecode(xmlElement(message, "ReceiptHandle")),
                     xmlDecode(xmlElement(message, "Body")),
                     xmlDecode(xmlElement(message, "MessageId"))});
      rest = rest.substr(end);
    }
    return;
  }
  error_code ec;
  json::value value = json::parse(body, ec);
  if (ec || !value.is_object()) return;
  auto it = value.get_object().find("Messages");
  if (it == value.get_object().end() || !it->value().is_array()) return;
  for (const auto& m : it->value().get_array()) {
    if (!m.is_object()) continue;
    const auto& o = m.get_object();
    out.push_back({std::string(jsonString(o, "ReceiptHandle")), std::string(jsonString(o, "Body")),
                   std::string(jsonString(o, "MessageId"))});
  }
}

std::string_view SqsRequests::parseSendMessageId(std::string_view body) const {
  if (protocol_ == SqsProtocol::kQuery) return xmlElement(body, "MessageId");
  constexpr std::string_view kKey = "\"MessageId\"";
  auto at = body.find(kKey);
  if (at == std::string_view::npos) return {};
  auto open = body.find('"', at + kKey.size());
  if (open == std::string_view::npos) return {};
  auto close = body.find('"', open + 1);
  if (close == std::string_view::npos) return {};
  return body.substr(open + 1, close - open - 1);
}

int SqsRequests::parseBatchSuccesses(std::string_view body) const {
  if (protocol_ == SqsProtocol::kQuery)
    return static_cast<int>(countOf(body, "<SendMessageBatchResultEntry>") +
                            countOf(body, "<DeleteMessageBatchResultEntry>"));
  error_code ec;
  json::value value = json::parse(body, ec);
  if (ec || !value.is_object()) return 0;
  auto it = value.get_object().find("Successful");
  if (it == value.get_object().end() || !it->value().is_array()) return 0;
  return static_cast<int>(it->value().get_array().size());
}

std::pair<int, std::string> sqsExchange(const asio::ip::tcp::endpoint& endpoint,
                                        std::string_view request,
                                        std::chrono::milliseconds timeout) {
  auto r = exchangeOnce(endpoint, request, timeout, /*fullBody=*/true);
  if (!r.ok) return {0, r.error};
  return {r.status, std::move(r.body)};
}

std::string sqsCreateQueue(const asio::ip::tcp::endpoint& endpoint, const SqsRequests& requests,
                           std::string_view name, std::string* error) {
  std::string request;
  requests.createQueue(name, request);
  auto [status, body] = sqsExchange(endpoint, request, std::chrono::seconds(60));
  std::string url = status == 200 ? requests.parseQueueUrl(body) : std::string();
  if (url.empty()) {
    if (error != nullptr)
      *error = status == 0 ? body : fmt::format("HTTP {}: {}", status, body.substr(0, 300));
    url = fmt::format("http://{}:{}/000000000000/{}", endpoint.address().to_string(),
                      endpoint.port(), name);
  }
  return url;
}

// ---- correctness tally

namespace {
std::uint64_t idHash(std::string_view id) {
  return id.empty() ? 0 : std::hash<std::string_view>{}(id) | 1;  // 0: no id known
}
}  // namespace

void SqsTally::sent(std::uint64_t seq, std::string_view messageId) {
  std::uint64_t hash = idHash(messageId);
  std::lock_guard lock(mutex_);
  Entry& e = state_[seq];
  e.sent = true;
  e.idHash = hash;
  // Another connection may have received it before this answer was read.
  if (e.receipts > 0 && hash != 0 && e.firstReceiptHash != hash) ++idMismatch_;
}

void SqsTally::received(std::uint64_t seq, std::string_view messageId) {
  std::uint64_t hash = idHash(messageId);
  std::lock_guard lock(mutex_);
  Entry& e = state_[seq];
  if (e.receipts++ == 0) e.firstReceiptHash = hash;
  if (e.sent && e.idHash != 0 && e.idHash != hash) ++idMismatch_;
}

SqsTally::Result SqsTally::result() const {
  std::lock_guard lock(mutex_);
  Result r;
  r.foreign = foreign_;
  r.idMismatch = idMismatch_;
  for (const auto& [seq, entry] : state_) {
    bool wasSent = entry.sent;
    std::uint32_t count = entry.receipts;
    if (wasSent) ++r.sent;
    r.received += count;
    if (wasSent && count == 0) ++r.lost;
    if (count > 1) r.duplicated += count - 1;
    if (!wasSent && count > 0) ++r.unconfirmed;
  }
  return r;
}

// ---- sessions

namespace {

constexpr int kSeqShift = 40;  // as Connection: the connection id in the high bits
constexpr int kCycleSends = 10;

class SendSession : public Session {
 public:
  SendSession(const SqsRequests& requests, std::uint32_t id)
      : requests_(requests), seq_(static_cast<std::uint64_t>(id) << kSeqShift) {}
  bool finished() const override { return false; }
  void next(std::string& out) override {
    sqsMessageBody(seq_++, message_);
    requests_.sendMessage(message_, out);
  }
  void onResponse(int, std::string_view, bool, Stats&) override {}

 private:
  const SqsRequests& requests_;
  std::uint64_t seq_;
  std::string message_;
};

// 10 x SendMessage, ReceiveMessage(10), DeleteMessageBatch of what came back; after the window,
// ReceiveMessage + DeleteMessageBatch until a receive comes back empty.
class CycleSession : public Session {
 public:
  CycleSession(const SqsRequests& requests, SqsTally& tally, std::uint32_t id, MeasureWindow window)
      : requests_(requests),
        tally_(tally),
        window_(window),
        seq_(static_cast<std::uint64_t>(id) << kSeqShift) {}

  bool finished() const override { return finished_; }

  void next(std::string& out) override {
    if (!draining_ && step_ < kCycleSends && std::chrono::steady_clock::now() >= window_.end) {
      draining_ = true;
      step_ = kCycleSends;
    }
    if (step_ < kCycleSends) {
      sqsMessageBody(seq_, message_);
      requests_.sendMessage(message_, out);
    } else if (step_ == kCycleSends) {
      requests_.receiveMessage(10, 0, out);
    } else {
      requests_.deleteMessageBatch(held_, out);
    }
  }

  void onResponse(int status, std::string_view body, bool inWindow, Stats& stats) override {
    if (step_ < kCycleSends) {
      if (status == 200) tally_.sent(seq_, requests_.parseSendMessageId(body));
      ++seq_;
      ++step_;
    } else if (step_ == kCycleSends) {
      held_.clear();
      if (status == 200) requests_.parseReceive(body, held_);
      for (const auto& m : held_) {
        if (auto seq = sqsMessageSeq(m.body)) tally_.received(*seq, m.messageId);
        else tally_.foreignBody();
      }
      if (!held_.empty()) step_ = kCycleSends + 1;
      else if (draining_) finished_ = true;
      else step_ = 0;
    } else {
      if (status == 200 && inWindow)
        stats.messages += static_cast<std::uint64_t>(requests_.parseBatchSuccesses(body));
      held_.clear();
      step_ = draining_ ? kCycleSends : 0;
    }
  }

 private:
  const SqsRequests& requests_;
  SqsTally& tally_;
  MeasureWindow window_;
  std::uint64_t seq_;
  int step_ = 0;
  bool draining_ = false;
  bool finished_ = false;
  std::string message_;
  std::vector<SqsMessage> held_;
};

}  // namespace

SqsSessions::SqsSessions(const Scenario& scenario, const SqsRequests& requests)
    : mode_(scenario.sqs), requests_(requests) {}

std::unique_ptr<Session> SqsSessions::make(std::uint32_t id, MeasureWindow window) {
  if (mode_ == SqsMode::kCycle) return std::make_unique<CycleSession>(requests_, tally_, id, window);
  return std::make_unique<SendSession>(requests_, id);
}

}  // namespace overcast::bench
