#include "services/sqs/model/queue_attributes.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string_view>

#include "services/sqs/model/redrive.h"

namespace overcast::sqs {
namespace {

// AWS's ranges (CreateQueue.Attributes doc; aws-reference.md §E1).
struct IntRange {
  int64_t min;
  int64_t max;
};
constexpr IntRange kVisibilityTimeout{0, 43200};
constexpr IntRange kMaximumMessageSize{1024, 1048576};
constexpr IntRange kMessageRetentionPeriod{60, 1209600};
constexpr IntRange kDelaySeconds{0, 900};
constexpr IntRange kReceiveMessageWaitTimeSeconds{0, 20};
constexpr IntRange kKmsDataKeyReusePeriodSeconds{60, 86400};
// More digits than any range above needs, few enough that the value cannot overflow.
constexpr size_t kMaxIntDigits = 12;

// Every name of the model's QueueAttributeName enum except "All".
constexpr std::array<std::string_view, 21> kAllNames = {
    "Policy", "VisibilityTimeout", "MaximumMessageSize", "MessageRetentionPeriod",
    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "CreatedTimestamp",
    "LastModifiedTimestamp", "QueueArn", "ApproximateNumberOfMessagesDelayed", "DelaySeconds",
    "ReceiveMessageWaitTimeSeconds", "RedrivePolicy", "FifoQueue", "ContentBasedDeduplication", "KmsMasterKeyId",
    "KmsDataKeyReusePeriodSeconds", "DeduplicationScope", "FifoThroughputLimit", "RedriveAllowPolicy",
    "SqsManagedSseEnabled"};

constexpr std::array<std::string_view, 15> kSettableNames = {
    "Policy", "VisibilityTimeout", "MaximumMessageSize", "MessageRetentionPeriod", "DelaySeconds",
    "ReceiveMessageWaitTimeSeconds", "RedrivePolicy", "FifoQueue", "ContentBasedDeduplication", "KmsMasterKeyId",
    "KmsDataKeyReusePeriodSeconds", "DeduplicationScope", "FifoThroughputLimit", "RedriveAllowPolicy",
    "SqsManagedSseEnabled"};

template <size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

Error unknownAttribute(std::string_view name) {
  return Error(ErrorCode::InvalidAttributeName, fmt::format("Unknown Attribute {}.", name));
}

Error invalidValue(std::string_view name) {
  return Error(ErrorCode::InvalidAttributeValue, fmt::format("Invalid value for the parameter {}.", name));
}

// Plain decimal only: SQS refuses "1e3", " 30", "+30" and "30s" alike.
Result<int64_t> parseInt(std::string_view name, std::string_view text, IntRange range) {
  if (text.empty() || text.size() > kMaxIntDigits) return invalidValue(name);
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return invalidValue(name);
    value = value * 10 + (c - '0');
  }
  if (value < range.min || value > range.max) return invalidValue(name);
  return value;
}

// SQS reads booleans case-insensitively ("True" from Python's str(True) is common).
Result<bool> parseBool(std::string_view name, std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "true") return true;
  if (lower == "false") return false;
  return invalidValue(name);
}

const char* boolText(bool b) { return b ? "true" : "false"; }

bool isFifoOnly(std::string_view name) {
  return name == "ContentBasedDeduplication" || name == "DeduplicationScope" || name == "FifoThroughputLimit";
}

// One settable attribute onto `s`. FifoQueue and the KMS interplay are handled by the caller.
Result<void> applyOne(QueueSettings& s, std::string_view name, const std::string& value) {
  auto setInt = [&](int64_t& field, IntRange range) -> Result<void> {
    auto r = parseInt(name, value, range);
    if (!r) return r.error();
    field = *r;
    return {};
  };
  if (name == "VisibilityTimeout") return setInt(s.visibilityTimeout, kVisibilityTimeout);
  if (name == "MaximumMessageSize") return setInt(s.maximumMessageSize, kMaximumMessageSize);
  if (name == "MessageRetentionPeriod") return setInt(s.messageRetentionPeriod, kMessageRetentionPeriod);
  if (name == "DelaySeconds") return setInt(s.delaySeconds, kDelaySeconds);
  if (name == "ReceiveMessageWaitTimeSeconds")
    return setInt(s.receiveMessageWaitTimeSeconds, kReceiveMessageWaitTimeSeconds);
  if (name == "KmsDataKeyReusePeriodSeconds")
    return setInt(s.kmsDataKeyReusePeriodSeconds, kKmsDataKeyReusePeriodSeconds);
  if (name == "Policy") {
    if (!value.empty()) {
      boost::system::error_code ec;
      const auto json = boost::json::parse(value, ec);
      if (ec || !json.is_object()) return invalidValue(name);
    }
    s.policy = value;
    return {};
  }
  if (name == "RedrivePolicy") {
    if (!value.empty())
      if (auto r = parseRedrivePolicy(value); !r) return r.error();
    s.redrivePolicy = value;
    return {};
  }
  if (name == "RedriveAllowPolicy") {
    if (!value.empty())
      if (auto r = parseRedriveAllowPolicy(value); !r) return r.error();
    s.redriveAllowPolicy = value;
    return {};
  }
  if (name == "ContentBasedDeduplication") {
    auto r = parseBool(name, value);
    if (!r) return r.error();
    s.contentBasedDeduplication = *r;
    return {};
  }
  if (name == "DeduplicationScope") {
    if (value != "messageGroup" && value != "queue") return invalidValue(name);
    s.deduplicationScope = value;
    return {};
  }
  if (name == "FifoThroughputLimit") {
    if (value != "perQueue" && value != "perMessageGroupId") return invalidValue(name);
    s.fifoThroughputLimit = value;
    return {};
  }
  if (name == "KmsMasterKeyId") {
    s.kmsMasterKeyId = value;
    return {};
  }
  if (name == "SqsManagedSseEnabled") {
    auto r = parseBool(name, value);
    if (!r) return r.error();
    s.sqsManagedSseEnabled = *r;
    return {};
  }
  return unknownAttribute(name);
}

// The rendered value of `name`, or nullopt where GetQueueAttributes leaves it out.
std::optional<std::string> renderOne(const QueueSettings& s, const QueueFacts& f, std::string_view name) {
  if (isFifoOnly(name) || name == "FifoQueue") {
    if (!s.fifoQueue) return std::nullopt;
    if (name == "FifoQueue") return "true";
    if (name == "ContentBasedDeduplication") return boolText(s.contentBasedDeduplication);
    if (name == "DeduplicationScope") return s.deduplicationScope;
    return s.fifoThroughputLimit;
  }
  auto optionalText = [](const std::string& v) { return v.empty() ? std::nullopt : std::optional<std::string>(v); };
  if (name == "Policy") return optionalText(s.policy);
  if (name == "RedrivePolicy") return optionalText(s.redrivePolicy);
  if (name == "RedriveAllowPolicy") return optionalText(s.redriveAllowPolicy);
  if (name == "KmsMasterKeyId") return optionalText(s.kmsMasterKeyId);
  // The reuse period only means something with a KMS key; AWS omits it for SSE-SQS queues.
  if (name == "KmsDataKeyReusePeriodSeconds")
    return s.kmsMasterKeyId.empty() ? std::nullopt : std::optional<std::string>(std::to_string(s.kmsDataKeyReusePeriodSeconds));
  if (name == "VisibilityTimeout") return std::to_string(s.visibilityTimeout);
  if (name == "MaximumMessageSize") return std::to_string(s.maximumMessageSize);
  if (name == "MessageRetentionPeriod") return std::to_string(s.messageRetentionPeriod);
  if (name == "DelaySeconds") return std::to_string(s.delaySeconds);
  if (name == "ReceiveMessageWaitTimeSeconds") return std::to_string(s.receiveMessageWaitTimeSeconds);
  if (name == "SqsManagedSseEnabled") return boolText(s.sqsManagedSseEnabled);
  if (name == "QueueArn") return f.queueArn;
  if (name == "CreatedTimestamp") return std::to_string(f.createdTimestamp);
  if (name == "LastModifiedTimestamp") return std::to_string(f.lastModifiedTimestamp);
  if (name == "ApproximateNumberOfMessages") return std::to_string(f.approximateNumberOfMessages);
  if (name == "ApproximateNumberOfMessagesNotVisible") return std::to_string(f.approximateNumberOfMessagesNotVisible);
  if (name == "ApproximateNumberOfMessagesDelayed") return std::to_string(f.approximateNumberOfMessagesDelayed);
  return std::nullopt;
}

}  // namespace

Result<QueueSettings> applyAttributes(const QueueSettings& base, const AttributeMap& attributes, bool creating,
                                      bool isFifoName) {
  QueueSettings s = base;

  // FifoQueue first: whether the FIFO-only attributes are allowed depends on it.
  if (const auto it = attributes.find("FifoQueue"); it != attributes.end()) {
    auto fifo = parseBool(it->first, it->second);
    if (!fifo) return fifo.error();
    if (!creating && *fifo != base.fifoQueue) return invalidValue(it->first);  // creation-only
    s.fifoQueue = *fifo;
  }
  if (creating) {
    if (s.fifoQueue && !isFifoName)  // AWS answers with the FIFO-name error
      return Error(ErrorCode::InvalidParameterValue,
                   "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, "
                   "must end with .fifo suffix and be 1 to 80 in length.");
    // Without FifoQueue=true a ".fifo" name is a standard name, and '.' is not allowed in those:
    // AWS answers with the standard-name error.
    if (!s.fifoQueue && isFifoName)
      return Error(ErrorCode::InvalidParameterValue,
                   "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
  }

  for (const auto& [name, value] : attributes) {
    if (name == "FifoQueue") continue;
    if (!contains(kSettableNames, name)) return unknownAttribute(name);
    if (isFifoOnly(name) && !s.fifoQueue) {
      // AWS's wording differs per attribute (as mirrored by the emulators that record it).
      if (name == "ContentBasedDeduplication") return unknownAttribute(name);
      return Error(ErrorCode::InvalidAttributeName,
                   fmt::format("You can specify the {} only when FifoQueue is set to true.", name));
    }
    if (auto r = applyOne(s, name, value); !r) return r.error();
  }

  // SSE-SQS and SSE-KMS exclude each other: naming a KMS key turns SSE-SQS off unless the
  // request also turns it on, which is contradictory; turning SSE-SQS on drops the key.
  const auto key = attributes.find("KmsMasterKeyId");
  const auto sse = attributes.find("SqsManagedSseEnabled");
  const bool keyGiven = key != attributes.end() && !key->second.empty();
  if (keyGiven && sse != attributes.end() && s.sqsManagedSseEnabled) return invalidValue("SqsManagedSseEnabled");
  if (keyGiven) s.sqsManagedSseEnabled = false;
  if (!keyGiven && sse != attributes.end() && s.sqsManagedSseEnabled) s.kmsMasterKeyId.clear();
  return s;
}

Result<AttributeMap> renderAttributes(const QueueSettings& settings, const QueueFacts& facts,
                                      const std::vector<std::string>& names) {
  AttributeMap out;
  bool all = false;
  for (const auto& name : names) {
    if (name == "All") {
      all = true;
      continue;
    }
    if (!contains(kAllNames, name)) return unknownAttribute(name);
    if (auto v = renderOne(settings, facts, name)) out[name] = std::move(*v);
  }
  if (all)
    for (auto name : kAllNames)
      if (auto v = renderOne(settings, facts, name)) out[std::string(name)] = std::move(*v);
  return out;
}

AttributeMap comparableAttributes(const QueueSettings& s) {
  // Every settable attribute, unconditionally, so two settings compare equal exactly when a
  // client could not tell them apart.
  return {
      {"Policy", s.policy},
      {"VisibilityTimeout", std::to_string(s.visibilityTimeout)},
      {"MaximumMessageSize", std::to_string(s.maximumMessageSize)},
      {"MessageRetentionPeriod", std::to_string(s.messageRetentionPeriod)},
      {"DelaySeconds", std::to_string(s.delaySeconds)},
      {"ReceiveMessageWaitTimeSeconds", std::to_string(s.receiveMessageWaitTimeSeconds)},
      {"RedrivePolicy", s.redrivePolicy},
      {"FifoQueue", boolText(s.fifoQueue)},
      {"ContentBasedDeduplication", boolText(s.contentBasedDeduplication)},
      {"KmsMasterKeyId", s.kmsMasterKeyId},
      {"KmsDataKeyReusePeriodSeconds", std::to_string(s.kmsDataKeyReusePeriodSeconds)},
      {"DeduplicationScope", s.deduplicationScope},
      {"FifoThroughputLimit", s.fifoThroughputLimit},
      {"RedriveAllowPolicy", s.redriveAllowPolicy},
      {"SqsManagedSseEnabled", boolText(s.sqsManagedSseEnabled)},
  };
}

}  // namespace overcast::sqs
