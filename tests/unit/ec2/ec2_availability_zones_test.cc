#include "services/ec2/model/availability_zones.h"

#include <gtest/gtest.h>

#include <set>

namespace overcast::ec2 {
namespace {

std::vector<std::string> ids(const std::vector<Zone>& zones) {
  std::vector<std::string> out;
  for (const auto& z : zones) out.push_back(z.id);
  return out;
}

TEST(AvailabilityZones, NamesAndIdsAsAwsHasThem) {
  auto zones = zonesFor(*findRegion("us-west-1"), "000000000000", true);
  ASSERT_EQ(zones.size(), 2u);
  EXPECT_EQ(zones[0].name, "us-west-1a");
  EXPECT_EQ(zones[1].name, "us-west-1c");
  EXPECT_EQ(ids(zones), (std::vector<std::string>{"usw1-az1", "usw1-az3"}));
  EXPECT_EQ(zonesFor(*findRegion("us-east-1"), "1", true).size(), 6u);
  EXPECT_EQ(zonesFor(*findRegion("eu-west-1"), "1", true)[2].id, "euw1-az3");
}

TEST(AvailabilityZones, MappingIsAPermutationOfTheRegionsIds) {
  for (const auto& region : allRegions()) {
    auto uniform = ids(zonesFor(region, "123456789012", true));
    auto mine = ids(zonesFor(region, "123456789012", false));
    EXPECT_EQ(std::set<std::string>(uniform.begin(), uniform.end()), std::set<std::string>(mine.begin(), mine.end()))
        << region.name;
  }
}

TEST(AvailabilityZones, StableForOneAccount) {
  const auto& r = *findRegion("us-east-1");
  EXPECT_EQ(ids(zonesFor(r, "111111111111", false)), ids(zonesFor(r, "111111111111", false)));
}

TEST(AvailabilityZones, DiffersAcrossAccountsInLegacyRegions) {
  const auto& r = *findRegion("us-east-1");
  int differing = 0;
  auto base = ids(zonesFor(r, "000000000000", false));
  for (int i = 1; i <= 20; ++i) {
    std::string account = std::to_string(100000000000LL + i);
    if (ids(zonesFor(r, account, false)) != base) ++differing;
  }
  EXPECT_GE(differing, 18);  // 720 permutations: nearly all differ
}

TEST(AvailabilityZones, UniformInNewerRegionsAndWithTheFlag) {
  const auto& newer = *findRegion("eu-central-1");
  EXPECT_EQ(ids(zonesFor(newer, "111111111111", false)), ids(zonesFor(newer, "222222222222", false)));
  const auto& old = *findRegion("us-east-1");
  EXPECT_EQ(ids(zonesFor(old, "111111111111", true)), ids(zonesFor(old, "222222222222", true)));
}

}  // namespace
}  // namespace overcast::ec2
