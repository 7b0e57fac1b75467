#include "services/sns/model/sns_rules.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>

namespace overcast::sns {
namespace json = boost::json;
namespace {

Error invalid(std::string_view what) { return Error(ErrorCode::InvalidParameter, fmt::format("Invalid parameter: {}", what)); }

bool isNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

bool isTrueOrFalse(std::string_view v) { return v == "true" || v == "false"; }

std::optional<json::object> jsonObject(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.get_object());
}

std::optional<int64_t> intField(const json::object& o, std::string_view name) {
  auto* v = o.if_contains(name);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  return std::nullopt;
}

// The healthyRetryPolicy object's limits (aws-reference.md §D4).
Result<void> validateRetryPolicy(const json::object& p, std::string_view attribute) {
  auto bad = [&](std::string_view why) { return invalid(fmt::format("Attributes Reason: {}: {}", attribute, why)); };
  auto numRetries = intField(p, "numRetries").value_or(3);
  auto minDelay = intField(p, "minDelayTarget").value_or(20);
  auto maxDelay = intField(p, "maxDelayTarget").value_or(20);
  if (numRetries < 0 || numRetries > 100) return bad("numRetries must be between 0 and 100");
  if (minDelay < 1) return bad("minDelayTarget must be at least 1");
  if (maxDelay < minDelay || maxDelay > 3600) return bad("maxDelayTarget must be between minDelayTarget and 3600");
  for (const char* name : {"numNoDelayRetries", "numMinDelayRetries", "numMaxDelayRetries"})
    if (intField(p, name).value_or(0) < 0) return bad(fmt::format("{} must not be negative", name));
  if (auto* f = p.if_contains("backoffFunction")) {
    static constexpr std::array kFunctions = {"linear", "arithmetic", "geometric", "exponential"};
    if (!f->is_string() || std::find(kFunctions.begin(), kFunctions.end(), std::string_view(f->get_string())) ==
                               kFunctions.end())
      return bad("backoffFunction must be linear, arithmetic, geometric or exponential");
  }
  return {};
}

RetryPolicy retryPolicyOf(const json::object& p) {
  RetryPolicy r;
  r.numRetries = static_cast<int>(intField(p, "numRetries").value_or(r.numRetries));
  r.minDelaySeconds = static_cast<int>(intField(p, "minDelayTarget").value_or(r.minDelaySeconds));
  r.maxDelaySeconds = static_cast<int>(intField(p, "maxDelayTarget").value_or(r.maxDelaySeconds));
  r.numNoDelayRetries = static_cast<int>(intField(p, "numNoDelayRetries").value_or(0));
  r.numMinDelayRetries = static_cast<int>(intField(p, "numMinDelayRetries").value_or(0));
  r.numMaxDelayRetries = static_cast<int>(intField(p, "numMaxDelayRetries").value_or(0));
  if (auto* f = p.if_contains("backoffFunction"); f && f->is_string()) r.backoffFunction = f->get_string();
  return r;
}

}  // namespace

bool isValidTopicName(std::string_view name, bool fifo) {
  if (name.empty() || name.size() > 256) return false;
  std::string_view base = name;
  if (fifo) {
    if (!name.ends_with(".fifo") || name.size() == 5) return false;
    base = name.substr(0, name.size() - 5);
  }
  return std::all_of(base.begin(), base.end(), isNameChar);
}

std::string topicArnOf(std::string_view region, std::string_view account, std::string_view name) {
  return fmt::format("arn:aws:sns:{}:{}:{}", region, account, name);
}

std::optional<ArnParts> parseArn(std::string_view arn, std::string_view service) {
  const std::string prefix = fmt::format("arn:aws:{}:", service);
  if (!arn.starts_with(prefix)) return std::nullopt;
  std::string_view rest = arn.substr(prefix.size());
  auto regionEnd = rest.find(':');
  if (regionEnd == std::string_view::npos || regionEnd == 0) return std::nullopt;
  auto accountEnd = rest.find(':', regionEnd + 1);
  if (accountEnd == std::string_view::npos) return std::nullopt;
  ArnParts parts{std::string(rest.substr(0, regionEnd)), std::string(rest.substr(regionEnd + 1, accountEnd - regionEnd - 1)),
                 std::string(rest.substr(accountEnd + 1))};
  if (parts.account.size() != 12 || !std::all_of(parts.account.begin(), parts.account.end(), ::isdigit))
    return std::nullopt;
  if (parts.resource.empty() || parts.resource.find(':') != std::string::npos) return std::nullopt;
  return parts;
}

std::optional<std::string> topicArnOfSubscription(std::string_view subscriptionArn) {
  auto colon = subscriptionArn.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string topic(subscriptionArn.substr(0, colon));
  if (!parseArn(topic, "sns") || colon + 1 == subscriptionArn.size()) return std::nullopt;
  return topic;
}

std::optional<Protocol> parseProtocol(std::string_view text) {
  if (text == "http") return Protocol::Http;
  if (text == "https") return Protocol::Https;
  if (text == "email") return Protocol::Email;
  if (text == "email-json") return Protocol::EmailJson;
  if (text == "sqs") return Protocol::Sqs;
  return std::nullopt;
}

std::string_view toString(Protocol p) {
  switch (p) {
    case Protocol::Http: return "http";
    case Protocol::Https: return "https";
    case Protocol::Email: return "email";
    case Protocol::EmailJson: return "email-json";
    case Protocol::Sqs: return "sqs";
  }
  return "";
}

bool needsConfirmation(Protocol p) { return p != Protocol::Sqs; }

Result<void> validateEndpoint(Protocol p, std::string_view endpoint) {
  switch (p) {
    case Protocol::Http:
      if (!endpoint.starts_with("http://") || endpoint.size() <= 7) return invalid("Endpoint must match the specified protocol");
      break;
    case Protocol::Https:
      if (!endpoint.starts_with("https://") || endpoint.size() <= 8) return invalid("Endpoint must match the specified protocol");
      break;
    case Protocol::Email:
    case Protocol::EmailJson: {
      auto at = endpoint.find('@');
      if (at == std::string_view::npos || at == 0 || at + 1 == endpoint.size() ||
          endpoint.find_first_of(" \r\n<>,;") != std::string_view::npos)
        return invalid("Email address");
      break;
    }
    case Protocol::Sqs:
      if (!parseArn(endpoint, "sqs")) return invalid("SQS endpoint ARN");
      break;
  }
  return {};
}

Result<void> validateTopicAttribute(std::string_view name, std::string_view value, bool creating, bool fifo) {
  if (name == "DisplayName") {
    if (value.size() > 100) return invalid("DisplayName must be at most 100 characters");
    return {};
  }
  if (name == "Policy") {
    if (!jsonObject(value)) return invalid("Policy: the policy is not valid JSON");
    return {};
  }
  if (name == "DeliveryPolicy") {
    auto o = jsonObject(value);
    if (!o) return invalid("DeliveryPolicy: Invalid JSON");
    if (auto* http = o->if_contains("http"); http && http->is_object())
      if (auto* p = http->get_object().if_contains("defaultHealthyRetryPolicy"); p && p->is_object())
        return validateRetryPolicy(p->get_object(), "DeliveryPolicy");
    return {};
  }
  if (name == "SignatureVersion") {
    if (value != "1" && value != "2") return invalid("Attributes Reason: SignatureVersion must be 1 or 2");
    return {};
  }
  if (name == "FifoTopic") {
    if (!creating) return invalid("AttributeName");  // set at creation only
    if (!isTrueOrFalse(value)) return invalid("Attributes Reason: FifoTopic must be true or false");
    return {};
  }
  if (name == "ContentBasedDeduplication") {
    if (!isTrueOrFalse(value)) return invalid("Attributes Reason: ContentBasedDeduplication must be true or false");
    if (!fifo && value == "true")
      return invalid("Attributes Reason: Content-based deduplication can only be set for FIFO topics");
    return {};
  }
  if (name == "FifoThroughputScope") {
    if (!fifo) return invalid("Attributes Reason: FifoThroughputScope can only be set for FIFO topics");
    if (value != "Topic" && value != "MessageGroup") return invalid("Attributes Reason: FifoThroughputScope must be Topic or MessageGroup");
    return {};
  }
  if (name == "TracingConfig") {
    if (value != "PassThrough" && value != "Active") return invalid("Attributes Reason: TracingConfig must be PassThrough or Active");
    return {};
  }
  static constexpr std::array kStored = {
      "KmsMasterKeyId", "ArchivePolicy", "DataProtectionPolicy",
      "ApplicationSuccessFeedbackRoleArn", "ApplicationSuccessFeedbackSampleRate", "ApplicationFailureFeedbackRoleArn",
      "HTTPSuccessFeedbackRoleArn", "HTTPSuccessFeedbackSampleRate", "HTTPFailureFeedbackRoleArn",
      "LambdaSuccessFeedbackRoleArn", "LambdaSuccessFeedbackSampleRate", "LambdaFailureFeedbackRoleArn",
      "SQSSuccessFeedbackRoleArn", "SQSSuccessFeedbackSampleRate", "SQSFailureFeedbackRoleArn",
      "FirehoseSuccessFeedbackRoleArn", "FirehoseSuccessFeedbackSampleRate", "FirehoseFailureFeedbackRoleArn"};
  if (std::find(kStored.begin(), kStored.end(), name) != kStored.end()) return {};
  return invalid("AttributeName");
}

Result<void> validateSubscriptionAttribute(std::string_view name, std::string_view value, Protocol protocol) {
  if (name == "RawMessageDelivery") {
    if (!isTrueOrFalse(value)) return invalid("Attributes Reason: RawMessageDelivery: Invalid value [" + std::string(value) + "]. Must be true or false.");
    if (value == "true" && protocol != Protocol::Sqs && protocol != Protocol::Http && protocol != Protocol::Https)
      return invalid("Attributes Reason: Delivery protocol [" + std::string(toString(protocol)) +
                     "] does not support raw message delivery.");
    return {};
  }
  if (name == "FilterPolicy") return {};  // the filter-policy engine checks it
  if (name == "FilterPolicyScope") {
    if (value != "MessageAttributes" && value != "MessageBody")
      return invalid("Attributes Reason: FilterPolicyScope: Invalid value [" + std::string(value) +
                     "]. Please use either MessageBody or MessageAttributes");
    return {};
  }
  if (name == "RedrivePolicy") {
    auto o = jsonObject(value);
    if (!o) return invalid("RedrivePolicy: Redrive policy is not a valid JSON");
    auto* target = o->if_contains("deadLetterTargetArn");
    if (!target || !target->is_string() || !parseArn(target->get_string(), "sqs"))
      return invalid("RedrivePolicy: deadLetterTargetArn is missing or is not an SQS queue ARN");
    return {};
  }
  if (name == "DeliveryPolicy") {
    if (protocol != Protocol::Http && protocol != Protocol::Https)
      return invalid("DeliveryPolicy: Delivery policy can only be set for HTTP/S subscriptions");
    auto o = jsonObject(value);
    if (!o) return invalid("DeliveryPolicy: Invalid JSON");
    if (auto* p = o->if_contains("healthyRetryPolicy"); p && p->is_object())
      return validateRetryPolicy(p->get_object(), "DeliveryPolicy");
    return {};
  }
  if (name == "SubscriptionRoleArn" || name == "ReplayPolicy") return {};
  return invalid("AttributeName");
}

std::string queryEncode(std::string_view value) {
  std::string out;
  out.reserve(value.size() * 3 / 2);
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string defaultTopicPolicy(std::string_view topicArn, std::string_view account) {
  json::object statement{
      {"Sid", "__default_statement_ID"},
      {"Effect", "Allow"},
      {"Principal", json::object{{"AWS", "*"}}},
      {"Action", json::array{"SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
                             "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic",
                             "SNS:Publish"}},
      {"Resource", topicArn},
      {"Condition", json::object{{"StringEquals", json::object{{"AWS:SourceOwner", account}}}}}};
  json::object policy{{"Version", "2008-10-17"},
                      {"Id", "__default_policy_ID"},
                      {"Statement", json::array{std::move(statement)}}};
  return json::serialize(policy);
}

std::string defaultHttpDeliveryPolicy() {
  return R"({"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,)"
         R"("numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},)"
         R"("disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}})";
}

RetryPolicy httpRetryPolicy(std::string_view subscriptionPolicy, std::string_view topicPolicy) {
  std::optional<json::object> topic = topicPolicy.empty() ? std::nullopt : jsonObject(topicPolicy);
  const json::object* topicHttp = nullptr;
  if (topic)
    if (auto* http = topic->if_contains("http"); http && http->is_object()) topicHttp = &http->get_object();
  bool overridesDisabled = false;
  if (topicHttp)
    if (auto* d = topicHttp->if_contains("disableSubscriptionOverrides"); d && d->is_bool()) overridesDisabled = d->get_bool();
  if (!overridesDisabled && !subscriptionPolicy.empty())
    if (auto sub = jsonObject(subscriptionPolicy))
      if (auto* p = sub->if_contains("healthyRetryPolicy"); p && p->is_object()) return retryPolicyOf(p->get_object());
  if (topicHttp)
    if (auto* p = topicHttp->if_contains("defaultHealthyRetryPolicy"); p && p->is_object())
      return retryPolicyOf(p->get_object());
  return RetryPolicy{};
}

int retryDelaySeconds(const RetryPolicy& p, int retry) {
  if (retry <= p.numNoDelayRetries) return 0;
  retry -= p.numNoDelayRetries;
  if (retry <= p.numMinDelayRetries) return p.minDelaySeconds;
  retry -= p.numMinDelayRetries;
  const int backoff = std::max(0, p.numRetries - p.numNoDelayRetries - p.numMinDelayRetries - p.numMaxDelayRetries);
  if (retry > backoff) return p.maxDelaySeconds;
  // The backoff phase climbs from minDelay to maxDelay over `backoff` retries.
  const double lo = p.minDelaySeconds, hi = p.maxDelaySeconds;
  const double t = backoff <= 1 ? 1.0 : static_cast<double>(retry - 1) / (backoff - 1);
  double d = lo + (hi - lo) * t;  // linear
  if (p.backoffFunction == "arithmetic") d = lo + (hi - lo) * t * t;
  if (p.backoffFunction == "geometric" || p.backoffFunction == "exponential") d = lo * std::pow(hi / lo, t);
  return static_cast<int>(std::lround(std::clamp(d, lo, hi)));
}

}  // namespace overcast::sns
