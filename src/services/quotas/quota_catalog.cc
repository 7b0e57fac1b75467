#include "services/quotas/quota_catalog.h"

#include <array>

#include "services/ec2/quota_source.h"

namespace overcast::quotas {
namespace {

constexpr std::array<ServiceInfo, 1> kServices{{
    {"ec2", "Amazon Elastic Compute Cloud (Amazon EC2)"},
}};

// By service code, then quota code (the order lists use).
constexpr std::array<QuotaInfo, 2> kQuotas{{
    {"ec2", ec2::kStandardVcpuQuota, "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances",
     ec2::kDefaultStandardVcpuQuota, ec2::kDefaultStandardVcpuQuota * kDefaultCeilingFactor},
    {"ec2", ec2::kInstanceCountQuota, "Running On-Demand instances", ec2::kDefaultInstanceCountQuota,
     ec2::kDefaultInstanceCountQuota * kDefaultCeilingFactor},
}};

}  // namespace

std::span<const ServiceInfo> knownServices() { return kServices; }

const ServiceInfo* findService(std::string_view serviceCode) {
  for (const auto& s : kServices)
    if (s.code == serviceCode) return &s;
  return nullptr;
}

std::span<const QuotaInfo> quotasOf(std::string_view serviceCode) {
  size_t first = 0;
  while (first < kQuotas.size() && kQuotas[first].serviceCode != serviceCode) ++first;
  size_t last = first;
  while (last < kQuotas.size() && kQuotas[last].serviceCode == serviceCode) ++last;
  return std::span<const QuotaInfo>(kQuotas).subspan(first, last - first);
}

const QuotaInfo* findQuota(std::string_view serviceCode, std::string_view quotaCode) {
  for (const auto& q : quotasOf(serviceCode))
    if (q.quotaCode == quotaCode) return &q;
  return nullptr;
}

std::string quotaArn(std::string_view region, std::string_view account, std::string_view serviceCode,
                     std::string_view quotaCode) {
  std::string arn = "arn:aws:servicequotas:";
  arn += region;
  arn += ':';
  arn += account;
  arn += ':';
  arn += serviceCode;
  arn += '/';
  arn += quotaCode;
  return arn;
}

}  // namespace overcast::quotas
