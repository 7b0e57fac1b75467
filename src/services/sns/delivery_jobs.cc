// Delivery jobs: one per (message, HTTP(S) or mail subscription), and the confirmation
// messages. Run on worker threads (they block on the network). A job reads everything it sends
// from its payload, so a retry after a restart sends the same document (same MessageId).
#include <future>

#include <boost/json/parse.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "api/input.h"

#include "services/sns/sns_core.h"
#include "services/sns/sns_store.h"

namespace overcast::sns {
namespace {

constexpr int kMailAttempts = 50;                       // AWS's policy for customer-managed endpoints
constexpr std::chrono::seconds kMailRetryDelay{10};

std::string field(const json::object& o, std::string_view k) { return api::stringOf(o, k); }

std::string confirmationMail(const json::object& payload) {
  if (field(payload, "type") == "SubscriptionConfirmation")
    return fmt::format("You have chosen to subscribe to the topic:\n{}\n\nTo confirm this subscription, click or visit "
                       "the link below (If this was in error no action is necessary):\n{}\n",
                       field(payload, "topicArn"), field(payload, "subscribeUrl"));
  return fmt::format("You have chosen to deactivate a subscription to the topic:\n{}\n\nTo restore it, click or visit "
                     "the link below:\n{}\n", field(payload, "topicArn"), field(payload, "subscribeUrl"));
}

}  // namespace

Result<void> SnsCore::sendAndWait(const std::string& queueArn, const std::string& topicArn,
                                  const std::string& topicOwner, const std::string& body) {
  std::promise<Result<void>> sent;
  sqs_.deliverOne(sqs::TopicDelivery{queueArn, topicArn, topicOwner, json::object{{"MessageBody", body}}, clock_.now()},
                  [&sent](Result<void> r) { sent.set_value(std::move(r)); });
  return sent.get_future().get();
}

jobs::JobOutcome SnsCore::runDelivery(const jobs::Job& job) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(job.payload, ec);
  if (ec || !parsed.is_object()) return jobs::Fail{"sns: unreadable delivery payload"};
  const auto& payload = parsed.get_object();
  const std::string type = field(payload, "type");
  const std::string subscriptionArn = field(payload, "subscription");
  const auto protocol = parseProtocol(field(payload, "protocol"));
  const std::string endpoint = field(payload, "endpoint");
  const std::string document = field(payload, "document");
  if (!protocol) return jobs::Fail{"sns: unknown protocol in delivery payload"};

  auto subscription = registry_.subscription(subscriptionArn);
  if (!subscription) {
    // A worker can claim a job as soon as its transaction commits, before the completion that
    // puts a new subscription in memory has run: the store, written in that transaction, knows.
    std::optional<Subscription> stored;
    auto read = store_.read([&](store::ReadTxn& txn) -> Result<void> {
      auto s = loadSubscription(txn, subscriptionArn);
      if (!s) return s.error();
      stored = std::move(*s);
      return {};
    });
    if (!read) return jobs::Retry{std::nullopt, read.error().message()};
    if (stored) subscription = std::make_shared<const Subscription>(std::move(*stored));
  }
  if (type == "Expire") {  // three days after Subscribe: gone unless confirmed
    if (!subscription || (*subscription)->confirmed) return jobs::Done{};
    auto removed = store_.writeSync([&](store::WriteTxn& txn) { return deleteSubscriptionRow(txn, subscriptionArn); });
    if (!removed) return jobs::Retry{std::nullopt, removed.error().message()};
    registry_.removeSubscription(subscriptionArn);
    return jobs::Done{};
  }
  // A notification for a subscription that is gone (or not confirmed) is dropped, as on AWS.
  if (type == "Notification" && (!subscription || !(*subscription)->confirmed)) return jobs::Done{};
  if (type == "SubscriptionConfirmation" && (!subscription || (*subscription)->confirmed)) return jobs::Done{};
  auto topic = registry_.topic(field(payload, "topicArn"));

  if (*protocol == Protocol::Http || *protocol == Protocol::Https) {
    HttpHeaderList headers{{"x-amz-sns-message-type", type},
                           {"x-amz-sns-message-id", field(payload, "messageId")},
                           {"x-amz-sns-topic-arn", field(payload, "topicArn")},
                           {"Content-Type", "text/plain; charset=UTF-8"}};
    if (type != "SubscriptionConfirmation") headers.emplace_back("x-amz-sns-subscription-arn", subscriptionArn);
    if (auto* raw = payload.if_contains("raw"); raw && raw->is_bool() && raw->get_bool())
      headers.emplace_back("x-amz-sns-rawdelivery", "true");
    auto result = poster_.post(endpoint, headers, document);
    if (result.delivered()) return jobs::Done{};
    const std::string why = result.error.empty() ? fmt::format("HTTP {}", result.status) : result.error;
    const RetryPolicy policy = httpRetryPolicy(subscription ? (*subscription)->attribute("DeliveryPolicy") : std::string(),
                                               topic ? (*topic)->attribute("DeliveryPolicy") : std::string());
    if (job.attempts <= policy.numRetries)
      return jobs::Retry{std::chrono::seconds(retryDelaySeconds(policy, static_cast<int>(job.attempts))), why};
    // Out of retries: to the subscription's dead-letter queue, if it has one.
    if (type == "Notification" && subscription) {
      const std::string redrive = (*subscription)->attribute("RedrivePolicy");
      if (!redrive.empty()) {
        boost::system::error_code pe;
        auto p = boost::json::parse(redrive, pe);
        if (!pe && p.is_object()) {
          const std::string dlq = field(p.get_object(), "deadLetterTargetArn");
          auto r = sendAndWait(dlq, field(payload, "topicArn"), topic ? (*topic)->account : std::string(), document);
          if (r) return jobs::Done{};
          return jobs::Fail{fmt::format("{}; and the dead-letter queue refused it: {}", why, r.error().message())};
        }
      }
    }
    return jobs::Fail{fmt::format("gave up after {} attempts: {}", job.attempts, why)};
  }

  if (*protocol == Protocol::Email || *protocol == Protocol::EmailJson) {
    Mail mail;
    mail.to = endpoint;
    // AWS sends from the topic's DisplayName, or from "AWS Notifications".
    mail.fromName = field(payload, "displayName");
    if (mail.fromName.empty()) mail.fromName = "AWS Notifications";
    if (type == "Notification") {
      mail.subject = field(payload, "subject");
      mail.textBody = document;
      if (*protocol == Protocol::Email)
        mail.textBody += fmt::format("\n\n--\nIf you wish to stop receiving notifications from this topic, please click "
                                     "or visit the link below to unsubscribe:\n{}\n", field(payload, "unsubscribeUrl"));
    } else {
      mail.subject = type == "SubscriptionConfirmation" ? "AWS Notification - Subscription Confirmation"
                                                        : "AWS Notification - Unsubscribe Confirmation";
      mail.textBody = *protocol == Protocol::EmailJson ? document : confirmationMail(payload);
    }
    mail.extraHeaders.emplace_back("X-Amz-Sns-Message-Id", field(payload, "messageId"));
    mail.extraHeaders.emplace_back("X-Amz-Sns-Topic-Arn", field(payload, "topicArn"));
    auto sent = mailer_.send(mail);
    if (sent) return jobs::Done{};
    if (job.attempts < kMailAttempts) return jobs::Retry{kMailRetryDelay, sent.error().message()};
    return jobs::Fail{fmt::format("gave up after {} attempts: {}", job.attempts, sent.error().message())};
  }

  // A queue of another account: its confirmation message goes into the queue.
  auto r = sendAndWait(endpoint, field(payload, "topicArn"), topic ? (*topic)->account : std::string(), document);
  if (r) return jobs::Done{};
  return jobs::Retry{std::nullopt, r.error().message()};
}

}  // namespace overcast::sns
