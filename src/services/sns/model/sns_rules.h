// SNS names, ARNs, endpoints and attribute rules: pure functions with AWS's error codes and
// messages (aws-reference.md §D). The service layer (src/services/sns) calls them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace overcast::sns {

using AttributeMap = std::map<std::string, std::string, std::less<>>;

constexpr size_t kMaxMessageBytes = 262144;  // Publish: Message, UTF-8 bytes (256 KiB)

// 1-256 of [A-Za-z0-9_-]; a FIFO topic's name ends in ".fifo" (counted in the 256).
bool isValidTopicName(std::string_view name, bool fifo);

std::string topicArnOf(std::string_view region, std::string_view account, std::string_view name);

struct ArnParts {
  std::string region;
  std::string account;
  std::string resource;  // topic or queue name
};
// "arn:aws:<service>:<region>:<account>:<name>", name without ':'.
std::optional<ArnParts> parseArn(std::string_view arn, std::string_view service);
// A subscription ARN is "<topic ARN>:<uuid>": the topic ARN part, or nullopt.
std::optional<std::string> topicArnOfSubscription(std::string_view subscriptionArn);

enum class Protocol { Http, Https, Email, EmailJson, Sqs };
std::optional<Protocol> parseProtocol(std::string_view text);
std::string_view toString(Protocol p);
// Whether a subscription of `p` starts as pending confirmation (every one but a same-account
// queue; the caller decides that part).
bool needsConfirmation(Protocol p);

// Checks the endpoint for the protocol. Error InvalidParameter, AWS's messages.
Result<void> validateEndpoint(Protocol p, std::string_view endpoint);

// CreateTopic / SetTopicAttributes: checks one attribute. `creating` allows FifoTopic; `fifo`
// says whether the topic is (or is being made) FIFO. Error InvalidParameter.
Result<void> validateTopicAttribute(std::string_view name, std::string_view value, bool creating, bool fifo);
// Subscribe / SetSubscriptionAttributes: the names AWS accepts and their simple value rules
// (FilterPolicy's own rules are the filter-policy engine's). Error InvalidParameter.
Result<void> validateSubscriptionAttribute(std::string_view name, std::string_view value, Protocol protocol);

// A query-string value, percent-encoded (RFC 3986 unreserved characters kept): ARNs and tokens
// in SubscribeURL and UnsubscribeURL.
std::string queryEncode(std::string_view value);

// The topic policy AWS gives a new topic (every principal of the owner account may act on it).
std::string defaultTopicPolicy(std::string_view topicArn, std::string_view account);

// SNS's default HTTP delivery policy (3 retries, 20 s apart), as EffectiveDeliveryPolicy shows it.
std::string defaultHttpDeliveryPolicy();

struct RetryPolicy {
  int numRetries = 3;
  int minDelaySeconds = 20;
  int maxDelaySeconds = 20;
  int numNoDelayRetries = 0;
  int numMinDelayRetries = 0;
  int numMaxDelayRetries = 0;
  std::string backoffFunction = "linear";
};
// The healthy retry policy in force for an HTTP(S) subscription: its own DeliveryPolicy, else
// the topic's "http.defaultHealthyRetryPolicy", else AWS's default.
RetryPolicy httpRetryPolicy(std::string_view subscriptionPolicy, std::string_view topicPolicy);
// The delay before retry number `retry` (1-based) under `policy`, in seconds.
int retryDelaySeconds(const RetryPolicy& policy, int retry);

}  // namespace overcast::sns
