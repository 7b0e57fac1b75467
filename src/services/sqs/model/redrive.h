// RedrivePolicy and RedriveAllowPolicy attribute values. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace overcast::sqs {

struct RedrivePolicy {
  std::string deadLetterTargetArn;
  int64_t maxReceiveCount = 10;  // 1..1000
};

// {"deadLetterTargetArn":"arn:aws:sqs:...","maxReceiveCount":5} (maxReceiveCount may be a
// number or a numeric string, as the console sends). Error InvalidAttributeValue.
Result<RedrivePolicy> parseRedrivePolicy(std::string_view json);

struct RedriveAllowPolicy {
  std::string redrivePermission = "allowAll";  // allowAll | denyAll | byQueue
  std::vector<std::string> sourceQueueArns;    // byQueue: 1..10
  bool allows(std::string_view sourceQueueArn) const;
};

// Error InvalidAttributeValue.
Result<RedriveAllowPolicy> parseRedriveAllowPolicy(std::string_view json);

}  // namespace overcast::sqs
