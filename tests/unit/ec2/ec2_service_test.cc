#include "services/ec2/ec2_service.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "unit/ec2/ec2_fixture.h"
#include "services/sts/sts_service.h"

namespace overcast::ec2 {
namespace {

namespace json = boost::json;

TEST_F(Ec2Test, DescribeRegionsFilters) {
  auto all = call("DescribeRegions", "{}", "000000000000", "us-east-1");
  ASSERT_TRUE(all);
  EXPECT_GE(all->at("Regions").as_array().size(), 17u);
  auto some = call("DescribeRegions", R"({"Filters":[{"Name":"region-name","Values":["eu-*"]}]})", "000000000000", "us-east-1");
  ASSERT_TRUE(some);
  for (const auto& r : some->at("Regions").as_array())
    EXPECT_EQ(r.at("RegionName").as_string().subview().substr(0, 3), "eu-");
  auto byEndpoint = call("DescribeRegions", R"({"Filters":[{"Name":"endpoint","Values":["ec2.sa-east-1.amazonaws.com"]}]})", "000000000000", "us-east-1");
  ASSERT_TRUE(byEndpoint);
  ASSERT_EQ(byEndpoint->at("Regions").as_array().size(), 1u);
  auto bad = call("DescribeRegions", R"({"RegionNames":["mars-1"]})", "0", "us-east-1");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::InvalidParameterValue);
}

TEST_F(Ec2Test, DescribeAvailabilityZonesByRegionAndFilter) {
  auto zones = call("DescribeAvailabilityZones", "{}", "000000000000", "eu-west-1");
  ASSERT_TRUE(zones);
  const auto& list = zones->at("AvailabilityZones").as_array();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].at("RegionName").as_string(), "eu-west-1");
  EXPECT_EQ(list[0].at("State").as_string(), "available");
  auto one = call("DescribeAvailabilityZones", R"({"Filters":[{"Name":"zone-name","Values":["eu-west-1b"]}]})", "000000000000", "eu-west-1");
  ASSERT_TRUE(one);
  ASSERT_EQ(one->at("AvailabilityZones").as_array().size(), 1u);
  auto missing = call("DescribeAvailabilityZones", R"({"ZoneNames":["eu-west-1z"]})", "000000000000", "eu-west-1");
  ASSERT_FALSE(missing);
}

// STS has no folder of its own yet.
TEST(StsService, CallerIsTheAccountRoot) {
  auto sts = sts::makeStsService();
  RequestContext ctx;
  ctx.action = "GetCallerIdentity";
  ctx.region = "us-east-1";
  ctx.accountId = "123456789012";
  std::optional<Result<json::object>> me;
  sts->invoke(ctx, {}, [&](Result<json::object> r) { me.emplace(std::move(r)); });
  ASSERT_TRUE(me.has_value());
  ASSERT_TRUE(*me);
  EXPECT_EQ((*me)->at("Account").as_string(), "123456789012");
  EXPECT_EQ((*me)->at("Arn").as_string(), "arn:aws:iam::123456789012:root");
}

}  // namespace
}  // namespace overcast::ec2
