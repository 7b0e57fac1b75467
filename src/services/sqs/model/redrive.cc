#include "services/sqs/model/redrive.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <vector>

#include "services/sqs/model/names.h"

namespace overcast::sqs {
namespace {

constexpr int64_t kMinMaxReceiveCount = 1;
constexpr int64_t kMaxMaxReceiveCount = 1000;
constexpr size_t kMaxSourceQueueArns = 10;

// AWS reports a bad redrive value as InvalidParameterValue with this framing (the code every
// emulator mirrors, e.g. ElasticMQ and sqslite), not as InvalidAttributeValue.
Error invalid(std::string_view parameter, std::string_view json, std::string_view reason) {
  return Error(ErrorCode::InvalidParameterValue,
               fmt::format("Value {} for parameter {} is invalid. Reason: {}", json, parameter, reason));
}

std::optional<boost::json::object> parseObject(std::string_view json) {
  boost::system::error_code ec;
  auto value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

// "arn:<partition>:sqs:<region>:<12 digits>:<queue name>".
bool isSqsArn(std::string_view arn) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (parts.size() < 5) {
    const auto colon = arn.find(':', start);
    if (colon == std::string_view::npos) return false;
    parts.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  parts.push_back(arn.substr(start));
  const auto& account = parts[4];
  return parts[0] == "arn" && parts[1].starts_with("aws") && parts[2] == "sqs" && !parts[3].empty() &&
         account.size() == 12 && std::all_of(account.begin(), account.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         validateQueueName(parts[5]).ok();
}

// maxReceiveCount as a JSON integer, or as a string of decimal digits (the console sends "5").
std::optional<int64_t> readCount(const boost::json::value& v) {
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64()) return v.as_uint64() > static_cast<uint64_t>(INT64_MAX) ? std::nullopt
                                                                         : std::optional<int64_t>(v.as_uint64());
  if (v.is_string()) {
    const auto& s = v.as_string();
    int64_t n = 0;
    const auto* end = s.data() + s.size();
    auto [ptr, ec] = std::from_chars(s.data(), end, n);
    if (s.empty() || ec != std::errc() || ptr != end) return std::nullopt;
    return n;
  }
  return std::nullopt;
}

}  // namespace

Result<RedrivePolicy> parseRedrivePolicy(std::string_view json) {
  constexpr std::string_view kParam = "RedrivePolicy";
  const auto object = parseObject(json);
  if (!object) return invalid(kParam, json, "Redrive policy is not a valid JSON map.");
  for (const auto& [key, value] : *object)
    if (key != "deadLetterTargetArn" && key != "maxReceiveCount")
      return invalid(kParam, json, "Only following attributes are supported: [deadLetterTargetArn, maxReceiveCount].");
  const auto* arn = object->if_contains("deadLetterTargetArn");
  const auto* count = object->if_contains("maxReceiveCount");
  // AWS requires both keys even though the documentation gives maxReceiveCount a default.
  if (!count) return invalid(kParam, json, "Redrive policy does not contain mandatory attribute: maxReceiveCount.");
  if (!arn) return invalid(kParam, json, "Redrive policy does not contain mandatory attribute: deadLetterTargetArn.");
  if (!arn->is_string() || !isSqsArn(arn->as_string()))
    return invalid(kParam, json, "Invalid value for deadLetterTargetArn.");
  const auto n = readCount(*count);
  if (!n || *n < kMinMaxReceiveCount || *n > kMaxMaxReceiveCount)
    return invalid(kParam, json,
                   fmt::format("Invalid value for maxReceiveCount: {}, valid values are from {} to {} both inclusive.",
                               boost::json::serialize(*count), kMinMaxReceiveCount, kMaxMaxReceiveCount));
  return RedrivePolicy{std::string(arn->as_string()), *n};
}

bool RedriveAllowPolicy::allows(std::string_view sourceQueueArn) const {
  if (redrivePermission == "allowAll") return true;
  if (redrivePermission == "byQueue")
    return std::find(sourceQueueArns.begin(), sourceQueueArns.end(), sourceQueueArn) != sourceQueueArns.end();
  return false;
}

Result<RedriveAllowPolicy> parseRedriveAllowPolicy(std::string_view json) {
  constexpr std::string_view kParam = "RedriveAllowPolicy";
  const auto object = parseObject(json);
  if (!object) return invalid(kParam, json, "Redrive allow policy is not a valid JSON map.");
  for (const auto& [key, value] : *object)
    if (key != "redrivePermission" && key != "sourceQueueArns")
      return invalid(kParam, json, "Only following attributes are supported: [redrivePermission, sourceQueueArns].");
  const auto* permission = object->if_contains("redrivePermission");
  if (!permission) return invalid(kParam, json, "Redrive allow policy does not contain mandatory attribute: redrivePermission.");
  if (!permission->is_string() ||
      (permission->as_string() != "allowAll" && permission->as_string() != "denyAll" &&
       permission->as_string() != "byQueue"))
    return invalid(kParam, json, "Invalid value for redrivePermission. Valid values are allowAll, denyAll, byQueue.");

  RedriveAllowPolicy policy;
  policy.redrivePermission = std::string(permission->as_string());
  const auto* sources = object->if_contains("sourceQueueArns");
  if (policy.redrivePermission != "byQueue") {
    if (sources)
      return invalid(kParam, json, "sourceQueueArns can be specified only when redrivePermission is byQueue.");
    return policy;
  }
  if (!sources || !sources->is_array() || sources->as_array().empty())
    return invalid(kParam, json, "sourceQueueArns must be specified when redrivePermission is byQueue.");
  if (sources->as_array().size() > kMaxSourceQueueArns)
    return invalid(kParam, json, fmt::format("At most {} sourceQueueArns can be specified.", kMaxSourceQueueArns));
  for (const auto& source : sources->as_array()) {
    if (!source.is_string() || !isSqsArn(source.as_string()))
      return invalid(kParam, json, "Invalid value for sourceQueueArns.");
    policy.sourceQueueArns.emplace_back(source.as_string());
  }
  return policy;
}

}  // namespace overcast::sqs
