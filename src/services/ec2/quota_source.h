// QuotaSource: where EC2 reads an account's quotas (the Service Quotas service keeps them;
// `overcast admin quota set` and RequestServiceQuotaIncrease raise them). Thread-safe.
#pragma once

#include <string_view>

namespace overcast::ec2 {

// Quota codes EC2 consults (service code "ec2").
// vCPUs of running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances (--quota-model vcpus).
inline constexpr std::string_view kStandardVcpuQuota = "L-1216C47A";
// Running On-Demand instances per region, the limit before vCPU quotas (--quota-model instances);
// DescribeAccountAttributes max-instances. overcast's own code: AWS retired this limit.
inline constexpr std::string_view kInstanceCountQuota = "L-OVERCAST-INSTANCES";

inline constexpr double kDefaultInstanceCountQuota = 20;
inline constexpr double kDefaultStandardVcpuQuota = 32;

class QuotaSource {
 public:
  virtual ~QuotaSource() = default;
  // The quota's value for the account in the region (its default if never raised).
  virtual double ec2Quota(std::string_view account, std::string_view region, std::string_view quotaCode) const = 0;
};

}  // namespace overcast::ec2
