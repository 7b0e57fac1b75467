#include "services/ec2/ec2_service.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "services/sts/sts_service.h"

namespace overcast {
namespace {

namespace json = boost::json;

Result<json::object> call(api::Service& service, const std::string& action, const std::string& region,
                          const std::string& account, json::object input) {
  RequestContext ctx;
  ctx.action = action;
  ctx.region = region;
  ctx.accountId = account;
  std::optional<Result<json::object>> out;
  service.invoke(ctx, std::move(input), [&](Result<json::object> r) { out.emplace(std::move(r)); });
  EXPECT_TRUE(out.has_value());
  return std::move(*out);
}

TEST(Ec2Service, DescribeRegionsFilters) {
  auto ec2 = ec2::makeEc2Service({});
  auto all = call(*ec2, "DescribeRegions", "us-east-1", "000000000000", {});
  ASSERT_TRUE(all);
  EXPECT_GE(all->at("Regions").as_array().size(), 17u);
  auto some = call(*ec2, "DescribeRegions", "us-east-1", "000000000000",
                   json::parse(R"({"Filters":[{"Name":"region-name","Values":["eu-*"]}]})").as_object());
  ASSERT_TRUE(some);
  for (const auto& r : some->at("Regions").as_array())
    EXPECT_EQ(r.at("RegionName").as_string().subview().substr(0, 3), "eu-");
  auto byEndpoint = call(*ec2, "DescribeRegions", "us-east-1", "000000000000",
                         json::parse(R"({"Filters":[{"Name":"endpoint","Values":["ec2.sa-east-1.amazonaws.com"]}]})").as_object());
  ASSERT_TRUE(byEndpoint);
  ASSERT_EQ(byEndpoint->at("Regions").as_array().size(), 1u);
  auto bad = call(*ec2, "DescribeRegions", "us-east-1", "0", json::parse(R"({"RegionNames":["mars-1"]})").as_object());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::InvalidParameterValue);
}

TEST(Ec2Service, DescribeAvailabilityZonesByRegionAndFilter) {
  auto ec2 = ec2::makeEc2Service({});
  auto zones = call(*ec2, "DescribeAvailabilityZones", "eu-west-1", "000000000000", {});
  ASSERT_TRUE(zones);
  const auto& list = zones->at("AvailabilityZones").as_array();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].at("RegionName").as_string(), "eu-west-1");
  EXPECT_EQ(list[0].at("State").as_string(), "available");
  auto one = call(*ec2, "DescribeAvailabilityZones", "eu-west-1", "000000000000",
                  json::parse(R"({"Filters":[{"Name":"zone-name","Values":["eu-west-1b"]}]})").as_object());
  ASSERT_TRUE(one);
  ASSERT_EQ(one->at("AvailabilityZones").as_array().size(), 1u);
  auto missing = call(*ec2, "DescribeAvailabilityZones", "eu-west-1", "000000000000",
                      json::parse(R"({"ZoneNames":["eu-west-1z"]})").as_object());
  ASSERT_FALSE(missing);
}

TEST(StsService, CallerIsTheAccountRoot) {
  auto sts = sts::makeStsService();
  auto me = call(*sts, "GetCallerIdentity", "us-east-1", "123456789012", {});
  ASSERT_TRUE(me);
  EXPECT_EQ(me->at("Account").as_string(), "123456789012");
  EXPECT_EQ(me->at("Arn").as_string(), "arn:aws:iam::123456789012:root");
}

}  // namespace
}  // namespace overcast
