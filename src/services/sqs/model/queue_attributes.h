// Queue attributes: names, AWS's defaults and ranges, validation of CreateQueue and
// SetQueueAttributes input, and rendering for GetQueueAttributes. Pure.
// Reference: the CreateQueue / SetQueueAttributes documentation; aws-reference.md §E1.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace overcast::sqs {

// The settable attributes, parsed and checked. Strings that SQS stores verbatim (Policy,
// RedrivePolicy, RedriveAllowPolicy, KmsMasterKeyId) are kept as given (validated).
struct QueueSettings {
  int64_t visibilityTimeout = 30;                 // 0..43200
  int64_t maximumMessageSize = 1048576;           // 1024..1048576
  int64_t messageRetentionPeriod = 345600;        // 60..1209600
  int64_t delaySeconds = 0;                       // 0..900
  int64_t receiveMessageWaitTimeSeconds = 0;      // 0..20
  std::string policy;                             // JSON text or empty
  std::string redrivePolicy;                      // JSON text or empty
  std::string redriveAllowPolicy;                 // JSON text or empty
  bool fifoQueue = false;                         // creation only
  bool contentBasedDeduplication = false;         // FIFO only
  std::string deduplicationScope = "queue";       // FIFO only: messageGroup | queue
  std::string fifoThroughputLimit = "perQueue";   // FIFO only: perQueue | perMessageGroupId
  std::string kmsMasterKeyId;
  int64_t kmsDataKeyReusePeriodSeconds = 300;     // 60..86400
  bool sqsManagedSseEnabled = true;

  bool operator==(const QueueSettings&) const = default;
};

// Read-only facts rendered by GetQueueAttributes.
struct QueueFacts {
  std::string queueArn;
  int64_t createdTimestamp = 0;       // epoch seconds
  int64_t lastModifiedTimestamp = 0;  // epoch seconds
  int64_t approximateNumberOfMessages = 0;
  int64_t approximateNumberOfMessagesNotVisible = 0;
  int64_t approximateNumberOfMessagesDelayed = 0;
};

using AttributeMap = std::map<std::string, std::string>;

// Applies `attributes` (CreateQueue, when `creating`, or SetQueueAttributes) over `base`.
// Errors: InvalidAttributeName (unknown or read-only name), InvalidAttributeValue (bad value,
// out of range, FifoQueue changed after creation, FIFO-only attribute on a standard queue).
// `isFifoName`: whether the queue name ends in ".fifo" (FifoQueue=true requires it and vice versa).
Result<QueueSettings> applyAttributes(const QueueSettings& base, const AttributeMap& attributes, bool creating,
                                      bool isFifoName);

// The attributes GetQueueAttributes returns for `names` ("All" = every one that applies;
// FIFO-only ones only on FIFO queues; empty optional strings omitted). Error
// InvalidAttributeName for a name that is not an attribute.
Result<AttributeMap> renderAttributes(const QueueSettings& settings, const QueueFacts& facts,
                                      const std::vector<std::string>& names);

// The attributes that CreateQueue compares to decide "same queue" vs QueueAlreadyExists:
// every settable attribute as rendered (so defaults given explicitly compare equal).
AttributeMap comparableAttributes(const QueueSettings& settings);

}  // namespace overcast::sqs
