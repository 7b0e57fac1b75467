#include "services/ec2/model/availability_zones.h"

#include <openssl/sha.h>

#include <array>
#include <numeric>

namespace overcast::ec2 {

std::vector<Zone> zonesFor(const RegionInfo& region, std::string_view accountId, bool uniformMapping) {
  const size_t n = region.zoneLetters.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  if (region.perAccountZoneMapping && !uniformMapping) {
    // Seeded by (account, region) so it is stable across restarts and differs across accounts.
    std::string seed = std::string(accountId) + "/" + std::string(region.name);
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(seed.data()), seed.size(), digest.data());
    for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[digest[i] % i]);  // Fisher-Yates
  }
  std::vector<Zone> zones;
  zones.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    Zone z;
    z.name = std::string(region.name) + region.zoneLetters[i];
    z.id = std::string(region.zoneIdPrefix) + "-az" + region.zoneIdNumbers[order[i]];
    zones.push_back(std::move(z));
  }
  return zones;
}

}  // namespace overcast::ec2
