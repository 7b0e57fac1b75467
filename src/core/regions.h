// The AWS commercial regions overcast serves, with their Availability Zones as AWS has them.
// Shared by routing (is this credential-scope region real?) and EC2 (DescribeRegions/-Zones).
#pragma once

#include <span>
#include <string_view>

namespace overcast {

struct RegionInfo {
  std::string_view name;          // "us-east-1"
  std::string_view zoneLetters;   // the zone name suffixes, e.g. "abcdef"
  std::string_view zoneIdNumbers; // the zone-id numbers, e.g. "13" -> usw1-az1, usw1-az3
  std::string_view zoneIdPrefix;  // "use1" -> zone ids use1-az1, use1-az2, ...
  bool optIn;                     // an opt-in region (launched after March 2019)
  // Regions launched before November 2012 mapped zone names to physical zones per account
  // (https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html).
  bool perAccountZoneMapping;
};

std::span<const RegionInfo> allRegions();
const RegionInfo* findRegion(std::string_view name);

}  // namespace overcast
