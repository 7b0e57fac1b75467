#include "core/regions.h"

#include <array>

namespace overcast {
namespace {

// Zone letters and zone-id numbers: the Availability Zones an account sees in each region
// (AWS, 2026; e.g. us-west-1 has usw1-az1 and usw1-az3 only).
constexpr std::array kRegions = {
    RegionInfo{"us-east-1", "abcdef", "123456", "use1", false, true},
    RegionInfo{"us-east-2", "abc", "123", "use2", false, false},
    RegionInfo{"us-west-1", "ac", "13", "usw1", false, true},
    RegionInfo{"us-west-2", "abcd", "1234", "usw2", false, true},
    RegionInfo{"af-south-1", "abc", "123", "afs1", true, false},
    RegionInfo{"ap-east-1", "abc", "123", "ape1", true, false},
    RegionInfo{"ap-south-1", "abc", "123", "aps1", false, false},
    RegionInfo{"ap-south-2", "abc", "123", "aps2", true, false},
    RegionInfo{"ap-southeast-1", "abc", "123", "apse1", false, true},
    RegionInfo{"ap-southeast-2", "abc", "123", "apse2", false, false},
    RegionInfo{"ap-southeast-3", "abc", "123", "apse3", true, false},
    RegionInfo{"ap-southeast-4", "abc", "123", "apse4", true, false},
    RegionInfo{"ap-southeast-5", "abc", "123", "apse5", true, false},
    RegionInfo{"ap-southeast-7", "abc", "123", "apse7", true, false},
    RegionInfo{"ap-northeast-1", "acd", "124", "apne1", false, true},
    RegionInfo{"ap-northeast-2", "abcd", "1234", "apne2", false, false},
    RegionInfo{"ap-northeast-3", "abc", "123", "apne3", false, false},
    RegionInfo{"ca-central-1", "abd", "124", "cac1", false, false},
    RegionInfo{"ca-west-1", "abc", "123", "caw1", true, false},
    RegionInfo{"eu-central-1", "abc", "123", "euc1", false, false},
    RegionInfo{"eu-central-2", "abc", "123", "euc2", true, false},
    RegionInfo{"eu-west-1", "abc", "123", "euw1", false, true},
    RegionInfo{"eu-west-2", "abc", "123", "euw2", false, false},
    RegionInfo{"eu-west-3", "abc", "123", "euw3", false, false},
    RegionInfo{"eu-south-1", "abc", "123", "eus1", true, false},
    RegionInfo{"eu-south-2", "abc", "123", "eus2", true, false},
    RegionInfo{"eu-north-1", "abc", "123", "eun1", false, false},
    RegionInfo{"il-central-1", "abc", "123", "ilc1", true, false},
    RegionInfo{"me-south-1", "abc", "123", "mes1", true, false},
    RegionInfo{"me-central-1", "abc", "123", "mec1", true, false},
    RegionInfo{"mx-central-1", "abc", "123", "mxc1", true, false},
    RegionInfo{"sa-east-1", "abc", "123", "sae1", false, true},
};

}  // namespace

std::span<const RegionInfo> allRegions() { return kRegions; }

const RegionInfo* findRegion(std::string_view name) {
  for (const auto& r : kRegions)
    if (r.name == name) return &r;
  return nullptr;
}

}  // namespace overcast
