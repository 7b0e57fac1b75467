// The quotas overcast knows (Service Quotas' service and quota codes), their names, defaults and
// default ceilings. Pure: constant data and ARN spelling.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace overcast::quotas {

struct ServiceInfo {
  std::string_view code;  // "ec2"
  std::string_view name;  // "Amazon Elastic Compute Cloud (Amazon EC2)"
};

struct QuotaInfo {
  std::string_view serviceCode;  // "ec2"
  std::string_view quotaCode;    // "L-1216C47A"
  std::string_view quotaName;    // AWS's name of the quota
  double defaultValue;           // what every account has until it is raised
  // The highest value RequestServiceQuotaIncrease grants at once until an admin sets another
  // (`overcast admin quota ceiling`); higher requests are DENIED.
  double defaultCeiling;
};

// A quota value's bounds (the model's QuotaValue shape).
inline constexpr double kMaxQuotaValue = 10000000000.0;
// Default ceilings are this many times the default value.
inline constexpr double kDefaultCeilingFactor = 4;

// The services, by code.
std::span<const ServiceInfo> knownServices();
const ServiceInfo* findService(std::string_view serviceCode);
// The quotas of a service, by quota code (empty for an unknown service).
std::span<const QuotaInfo> quotasOf(std::string_view serviceCode);
const QuotaInfo* findQuota(std::string_view serviceCode, std::string_view quotaCode);

// "arn:aws:servicequotas:<region>:<account>:<service>/<quota>"; an empty account gives the ARN
// of the AWS default quota (GetAWSDefaultServiceQuota), as AWS writes it.
std::string quotaArn(std::string_view region, std::string_view account, std::string_view serviceCode,
                     std::string_view quotaCode);

}  // namespace overcast::quotas
