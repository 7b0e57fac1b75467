#include "sns.h"

#include <array>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "setup_exchange.h"

namespace overcast::bench {

namespace json = boost::json;
using boost::system::error_code;

namespace {

constexpr std::string_view kForm = "application/x-www-form-urlencoded; charset=utf-8";
constexpr auto kSetupTimeout = std::chrono::seconds(60);

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

std::string& scratchBody() {
  thread_local std::string body;
  body.clear();
  return body;
}

std::string_view jsonString(const json::object& object, std::string_view key) {
  auto it = object.find(key);
  if (it == object.end() || !it->value().is_string()) return {};
  return it->value().get_string();
}

std::string describe(int status, const std::string& body) {
  return status == 0 ? body : fmt::format("HTTP {}: {}", status, body.substr(0, 300));
}

}  // namespace

SnsRequests::SnsRequests(std::string host, bool sign, std::string accessKey,
                         std::string secretKey, std::string region)
    : host_(std::move(host)),
      sign_(sign),
      signer_(std::move(accessKey), std::move(secretKey), std::move(region), "sns") {}

void SnsRequests::finish(const std::string& body, std::string& out) const {
  out.clear();
  out.append("POST / HTTP/1.1\r\nHost: ").append(host_).append("\r\nContent-Type: ");
  out.append(kForm).append("\r\n");
  if (sign_) signer_.appendAuthHeaders(host_, kForm, {}, body, out);
  fmt::format_to(std::back_inserter(out), "Content-Length: {}\r\n\r\n", body.size());
  out.append(body);
}

void SnsRequests::createTopic(std::string_view name, std::string& out) const {
  std::string& b = scratchBody();
  b.append("Action=CreateTopic&Version=2010-03-31&Name=");
  appendFormEncoded(name, b);
  finish(b, out);
}

void SnsRequests::subscribeQueue(std::string_view topicArn, std::string_view queueArn, bool raw,
                                 std::string& out) const {
  std::string& b = scratchBody();
  b.append("Action=Subscribe&Version=2010-03-31&TopicArn=");
  appendFormEncoded(topicArn, b);
  b.append("&Protocol=sqs&Endpoint=");
  appendFormEncoded(queueArn, b);
  if (raw)
    b.append("&Attributes.entry.1.key=RawMessageDelivery&Attributes.entry.1.value=true");
  finish(b, out);
}

void SnsRequests::publish(std::string_view topicArn, std::string_view message,
                          std::string& out) const {
  std::string& b = scratchBody();
  b.append("Action=Publish&Version=2010-03-31&TopicArn=");
  appendFormEncoded(topicArn, b);
  b.append("&Message=");
  appendFormEncoded(message, b);
  finish(b, out);
}

std::string_view snsPublishMessageId(std::string_view body) {
  constexpr std::string_view kOpen = "<MessageId>", kClose = "</MessageId>";
  auto start = body.find(kOpen);
  if (start == std::string_view::npos) return {};
  start += kOpen.size();
  auto end = body.find(kClose, start);
  if (end == std::string_view::npos) return {};
  return body.substr(start, end - start);
}

std::optional<SnsFanout> snsSetUpFanout(const boost::asio::ip::tcp::endpoint& endpoint,
                                        const SnsRequests& sns, const SqsRequests& sqs,
                                        std::string_view name, int n, bool raw,
                                        std::string& error) {
  SnsFanout f;
  std::string request;
  sns.createTopic(name, request);
  auto [status, body] = sqsExchange(endpoint, request, kSetupTimeout);
  f.topicArn = status == 200 ? firstElementText(body, "TopicArn") : std::string();
  if (f.topicArn.empty()) {
    error = fmt::format("CreateTopic: {}", describe(status, body));
    return std::nullopt;
  }
  static constexpr std::array<std::string_view, 1> kArn = {"QueueArn"};
  for (int i = 0; i < n; ++i) {
    std::string queueName = fmt::format("{}-{}", name, i);
    SqsRequests queue = sqs;
    std::string why;
    queue.setQueueUrl(sqsCreateQueue(endpoint, queue, queueName, &why));
    if (!why.empty()) {
      error = fmt::format("CreateQueue {}: {}", queueName, why);
      return std::nullopt;
    }
    queue.getQueueAttributes(kArn, request);
    auto [aStatus, aBody] = sqsExchange(endpoint, request, kSetupTimeout);
    std::string arn = aStatus == 200 ? queue.parseAttribute(aBody, "QueueArn") : std::string();
    if (arn.empty()) {
      error = fmt::format("GetQueueAttributes QueueArn of {}: {}", queueName, describe(aStatus, aBody));
      return std::nullopt;
    }
    sns.subscribeQueue(f.topicArn, arn, raw, request);
    auto [sStatus, sBody] = sqsExchange(endpoint, request, kSetupTimeout);
    std::string subscription = sStatus == 200 ? firstElementText(sBody, "SubscriptionArn") : "";
    if (subscription.empty() || subscription == "pending confirmation" ||
        subscription == "PendingConfirmation") {
      error = fmt::format("Subscribe {} to {}: {}", arn, f.topicArn,
                          subscription.empty() ? describe(sStatus, sBody)
                                               : "pending confirmation (no copy would arrive)");
      return std::nullopt;
    }
    f.queues.push_back(std::move(queue));
    f.queueArns.push_back(std::move(arn));
    f.subscriptionArns.push_back(std::move(subscription));
  }
  return f;
}

std::vector<long> sqsCountMessages(const boost::asio::ip::tcp::endpoint& endpoint,
                                   const std::vector<SqsRequests>& queues, std::string& error) {
  static constexpr std::array<std::string_view, 3> kNames = {
      "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
      "ApproximateNumberOfMessagesDelayed"};
  std::vector<long> counts;
  std::string request;
  for (const auto& queue : queues) {
    queue.getQueueAttributes(kNames, request);
    auto [status, body] = sqsExchange(endpoint, request, kSetupTimeout);
    long total = 0;
    bool any = false;
    for (auto name : kNames) {
      std::string value = status == 200 ? queue.parseAttribute(body, name) : std::string();
      if (value.empty()) continue;
      total += std::strtol(value.c_str(), nullptr, 10);
      any = true;
    }
    if (!any) {
      if (error.empty())
        error = fmt::format("GetQueueAttributes of {}: {}", queue.queueUrl(), describe(status, body));
      total = -1;
    }
    counts.push_back(total);
  }
  return counts;
}

std::optional<SnsEnvelope> parseSnsEnvelope(std::string_view body) {
  error_code ec;
  json::value value = json::parse(body, ec);
  if (ec || !value.is_object()) return std::nullopt;
  const auto& o = value.get_object();
  SnsEnvelope e;
  e.type = jsonString(o, "Type");
  e.messageId = jsonString(o, "MessageId");
  e.topicArn = jsonString(o, "TopicArn");
  e.message = jsonString(o, "Message");
  return e;
}

// ---- sessions

namespace {

constexpr int kSeqShift = 40;  // as Connection: the connection id in the high bits

class PublishSession : public Session {
 public:
  PublishSession(const SnsRequests& requests, const std::string& topicArn, SnsTally& tally,
                 std::uint64_t limit, std::uint32_t id, MeasureWindow window)
      : requests_(requests),
        topicArn_(topicArn),
        tally_(tally),
        limit_(limit),
        window_(window),
        seq_(static_cast<std::uint64_t>(id) << kSeqShift) {}

  // After the window (or the limit): nothing more is sent; the connection asks only once its
  // answer is in.
  bool finished() const override {
    if (limit_ > 0 && tally_.sent.load(std::memory_order_relaxed) >= limit_) return true;
    return std::chrono::steady_clock::now() >= window_.end;
  }

  void next(std::string& out) override {
    tally_.sent.fetch_add(1, std::memory_order_relaxed);
    sqsMessageBody(seq_++, message_);
    requests_.publish(topicArn_, message_, out);
  }

  void onResponse(int status, std::string_view body, bool inWindow, Stats& stats) override {
    if (status != 200) {
      tally_.failed.fetch_add(1, std::memory_order_relaxed);
    } else if (snsPublishMessageId(body).empty()) {
      tally_.noId.fetch_add(1, std::memory_order_relaxed);
    } else {
      tally_.acked.fetch_add(1, std::memory_order_relaxed);
      if (inWindow) ++stats.messages;
    }
  }

 private:
  const SnsRequests& requests_;
  const std::string& topicArn_;
  SnsTally& tally_;
  std::uint64_t limit_;
  MeasureWindow window_;
  std::uint64_t seq_;
  std::string message_;
};

}  // namespace

std::unique_ptr<Session> SnsSessions::make(std::uint32_t id, MeasureWindow window) {
  return std::make_unique<PublishSession>(requests_, topicArn_, tally_, limit_, id, window);
}

}  // namespace overcast::bench
