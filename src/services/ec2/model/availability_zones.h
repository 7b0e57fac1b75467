// Availability Zones of a region as one account sees them. Zone ids (use1-az1) name the
// same physical zone for everyone; in the regions AWS opened before November 2012, zone
// *names* mapped to ids per account ("my us-east-1d is not your us-east-1d"). overcast keeps
// that: a stable per-account permutation, or the identity with uniform mapping (as AWS does
// for accounts created since late 2025). Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/regions.h"

namespace overcast::ec2 {

struct Zone {
  std::string name;  // "us-east-1a"
  std::string id;    // "use1-az4"
};

std::vector<Zone> zonesFor(const RegionInfo& region, std::string_view accountId, bool uniformMapping);

}  // namespace overcast::ec2
