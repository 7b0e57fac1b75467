// DescribeAccountAttributes and DescribeInstanceTypes.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "services/ec2/quota_source.h"
#include "unit/ec2/ec2_fixture.h"

namespace overcast::ec2 {
namespace {

namespace json = boost::json;

std::string s(const json::value& v) { return std::string(v.as_string()); }

class AccountActionsTest : public Ec2Test {
 protected:
  std::map<std::string, std::vector<std::string>> attributes(const std::string& input = "{}") {
    auto r = call("DescribeAccountAttributes", input);
    EXPECT_TRUE(r) << r.error().message();
    std::map<std::string, std::vector<std::string>> out;
    if (!r) return out;
    for (const auto& a : r->at("AccountAttributes").as_array())
      for (const auto& v : a.at("AttributeValues").as_array())
        out[s(a.at("AttributeName"))].push_back(s(v.at("AttributeValue")));
    return out;
  }
};

struct FixedQuotas : QuotaSource {
  double ec2Quota(std::string_view, std::string_view, std::string_view code) const override {
    return code == kInstanceCountQuota ? 64 : 0;
  }
};

TEST_F(AccountActionsTest, AttributesNameTheDefaultVpcAndQuota) {
  auto all = attributes();
  EXPECT_EQ(all["supported-platforms"], std::vector<std::string>{"VPC"});
  EXPECT_EQ(all["max-instances"], std::vector<std::string>{"20"});
  EXPECT_EQ(all["vpc-max-security-groups-per-interface"], std::vector<std::string>{"5"});
  EXPECT_EQ(all["max-elastic-ips"], std::vector<std::string>{"5"});
  EXPECT_EQ(all["vpc-max-elastic-ips"], std::vector<std::string>{"5"});
  ASSERT_EQ(all["default-vpc"].size(), 1u);
  auto vpcs = call("DescribeVpcs");
  ASSERT_TRUE(vpcs);
  EXPECT_EQ(all["default-vpc"][0], s(vpcs->at("Vpcs").as_array()[0].at("VpcId")));

  auto one = attributes(R"({"AttributeNames":["max-instances"]})");
  EXPECT_EQ(one.size(), 1u);
  auto bad = call("DescribeAccountAttributes", R"({"AttributeNames":["nope"]})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::InvalidParameterValue);

  FixedQuotas quotas;
  options_.quotas = &quotas;
  close();
  open();
  EXPECT_EQ(attributes(R"({"AttributeNames":["max-instances"]})")["max-instances"], std::vector<std::string>{"64"});
  options_.quotas = nullptr;
}

TEST_F(AccountActionsTest, DefaultVpcAttributeMakesTheVpc) {
  auto only = attributes(R"({"AttributeNames":["default-vpc"]})");
  ASSERT_EQ(only["default-vpc"].size(), 1u);
  EXPECT_TRUE(only["default-vpc"][0].starts_with("vpc-"));
}

TEST_F(AccountActionsTest, InstanceTypes) {
  auto r = call("DescribeInstanceTypes", R"({"InstanceTypes":["t3.micro","t2.micro"]})");
  ASSERT_TRUE(r) << r.error().message();
  auto types = r->at("InstanceTypes").as_array();
  ASSERT_EQ(types.size(), 2u);
  const json::object* t3 = nullptr;
  for (const auto& t : types)
    if (t.at("InstanceType") == "t3.micro") t3 = &t.as_object();
  ASSERT_TRUE(t3);
  EXPECT_EQ(t3->at("VCpuInfo").at("DefaultVCpus").as_int64(), 2);
  EXPECT_EQ(t3->at("VCpuInfo").at("DefaultCores").as_int64(), 1);
  EXPECT_EQ(t3->at("VCpuInfo").at("DefaultThreadsPerCore").as_int64(), 2);
  EXPECT_EQ(t3->at("MemoryInfo").at("SizeInMiB").as_int64(), 1024);
  EXPECT_EQ(s(t3->at("ProcessorInfo").at("SupportedArchitectures").as_array()[0]), "x86_64");
  EXPECT_TRUE(t3->at("BurstablePerformanceSupported").as_bool());
  EXPECT_TRUE(t3->at("CurrentGeneration").as_bool());
  EXPECT_EQ(s(t3->at("SupportedUsageClasses").as_array()[0]), "on-demand");

  auto bad = call("DescribeInstanceTypes", R"({"InstanceTypes":["t3.micro","x9.huge","y1.tiny"]})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::InvalidInstanceType);
  EXPECT_EQ(bad.error().message(), "The following supplied instance types do not exist: [x9.huge, y1.tiny]");

  auto arm = call("DescribeInstanceTypes", R"({"Filters":[{"Name":"processor-info.supported-architecture","Values":["arm64"]}]})");
  ASSERT_TRUE(arm);
  ASSERT_EQ(arm->at("InstanceTypes").as_array().size(), 2u);  // t4g.micro, t4g.small
  auto big = call("DescribeInstanceTypes", R"({"Filters":[{"Name":"vcpu-info.default-vcpus","Values":["16"]},
      {"Name":"memory-info.size-in-mib","Values":["65536"]}]})");
  ASSERT_TRUE(big);
  ASSERT_EQ(big->at("InstanceTypes").as_array().size(), 1u);
  EXPECT_EQ(s(big->at("InstanceTypes").as_array()[0].at("InstanceType")), "m5.4xlarge");
  auto old = call("DescribeInstanceTypes", R"({"Filters":[{"Name":"current-generation","Values":["false"]},
      {"Name":"burstable-performance-supported","Values":["false"]}]})");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->at("InstanceTypes").as_array().size(), 4u);  // t1.micro, m1.small, m1.medium, m1.large

  // Every type exactly once across pages of 5.
  std::set<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    json::object in{{"MaxResults", 5}};
    if (!token.empty()) in["NextToken"] = token;
    auto page = callJson("DescribeInstanceTypes", in);
    ASSERT_TRUE(page) << page.error().message();
    for (const auto& t : page->at("InstanceTypes").as_array()) EXPECT_TRUE(seen.insert(s(t.at("InstanceType"))).second);
    token = page->contains("NextToken") ? s(page->at("NextToken")) : "";
    ASSERT_LT(++pages, 100);
  } while (!token.empty());
  auto all = call("DescribeInstanceTypes");
  ASSERT_TRUE(all);
  EXPECT_EQ(seen.size(), all->at("InstanceTypes").as_array().size());
  auto tooMany = call("DescribeInstanceTypes", R"({"MaxResults":101})");
  ASSERT_FALSE(tooMany);
  EXPECT_EQ(tooMany.error().code(), ErrorCode::InvalidParameterValue);
}

}  // namespace
}  // namespace overcast::ec2
