// network.cc (the default VPC, placement, addresses, group resolution) and the VPC actions.
#include <gtest/gtest.h>

#include <set>

#include "services/ec2/ec2_core.h"
#include "services/ec2/images.h"
#include "services/ec2/network.h"
#include "unit/ec2/ec2_fixture.h"

namespace overcast::ec2 {
namespace {

namespace json = boost::json;

std::string s(const json::value& v) { return std::string(v.as_string()); }

class NetworkTest : public Ec2Test {
 protected:
  Ec2Core& core() { return dynamic_cast<Ec2Service&>(*service_).core(); }
  // Runs fn in a mutate and returns its error (or nothing).
  Result<api::Output> inTxn(std::function<Result<api::Output>(Ec2Core::Txn&)> fn) {
    return core().mutateSync(std::move(fn));
  }
  DefaultVpc defaultVpc(const std::string& account = kAccount, const std::string& region = "us-east-1") {
    DefaultVpc out;
    auto r = inTxn([&](Ec2Core::Txn& txn) -> Result<api::Output> {
      auto v = ensureDefaultVpc(txn, core().options(), account, region);
      if (!v) return v.error();
      out = *v;
      return api::Output{};
    });
    EXPECT_TRUE(r) << r.error().message();
    return out;
  }
  std::vector<ResourcePtr> ofKind(std::string_view kind, const std::string& account = kAccount,
                                  const std::string& region = "us-east-1") {
    return core().read([&](const ResourceRegistry& reg) { return reg.ofKind(account, region, kind); });
  }
};

TEST_F(NetworkTest, DefaultVpcIsMadeOnceWithSubnetPerZoneGroupAndGateway) {
  options_.uniformAzMapping = true;
  close();
  open();
  auto vpc = defaultVpc();
  ASSERT_TRUE(vpc.vpc);
  ASSERT_TRUE(vpc.defaultGroup);
  EXPECT_EQ(s(vpc.vpc->data.at("CidrBlock")), "172.31.0.0/16");
  EXPECT_TRUE(vpc.vpc->data.at("IsDefault").as_bool());
  EXPECT_EQ(s(vpc.vpc->data.at("State")), "available");
  EXPECT_EQ(s(vpc.vpc->data.at("OwnerId")), kAccount);
  EXPECT_TRUE(wellFormedId(vpc.vpc->id, "vpc"));
  EXPECT_EQ(s(vpc.defaultGroup->data.at("GroupName")), "default");
  EXPECT_EQ(s(vpc.defaultGroup->data.at("VpcId")), vpc.vpc->id);

  auto subnets = ofKind(kSubnet);
  ASSERT_EQ(subnets.size(), 6u);  // us-east-1a..f
  std::map<std::string, std::string> cidrByZone;
  for (const auto& sn : subnets) cidrByZone[s(sn->data.at("AvailabilityZone"))] = s(sn->data.at("CidrBlock"));
  EXPECT_EQ(cidrByZone["us-east-1a"], "172.31.0.0/20");
  EXPECT_EQ(cidrByZone["us-east-1b"], "172.31.16.0/20");
  EXPECT_EQ(cidrByZone["us-east-1c"], "172.31.32.0/20");
  EXPECT_EQ(cidrByZone["us-east-1f"], "172.31.80.0/20");
  for (const auto& sn : subnets) {
    EXPECT_EQ(sn->data.at("AvailableIpAddressCount").as_int64(), 4091);
    EXPECT_TRUE(sn->data.at("DefaultForAz").as_bool());
    EXPECT_EQ(s(sn->data.at("VpcId")), vpc.vpc->id);
  }
  auto igws = ofKind(kInternetGateway);
  ASSERT_EQ(igws.size(), 1u);
  EXPECT_EQ(s(igws[0]->data.at("Attachments").as_array()[0].at("VpcId")), vpc.vpc->id);

  // Again: the same resources, nothing new; and after a restart too.
  auto again = defaultVpc();
  EXPECT_EQ(again.vpc->id, vpc.vpc->id);
  close();
  open();
  EXPECT_EQ(defaultVpc().vpc->id, vpc.vpc->id);
  EXPECT_EQ(ofKind(kSubnet).size(), 6u);
  EXPECT_EQ(ofKind(kVpc).size(), 1u);
  EXPECT_EQ(ofKind(kSecurityGroup).size(), 1u);
}

TEST_F(NetworkTest, AccountsAndRegionsGetTheirOwn) {
  auto mine = defaultVpc();
  auto theirs = defaultVpc(kOther);
  auto west = defaultVpc(kAccount, "us-west-2");
  EXPECT_NE(mine.vpc->id, theirs.vpc->id);
  EXPECT_NE(mine.vpc->id, west.vpc->id);
  EXPECT_EQ(s(theirs.vpc->data.at("CidrBlock")), "172.31.0.0/16");
  EXPECT_EQ(ofKind(kSubnet, kAccount, "us-west-2").size(), 4u);
}

TEST_F(NetworkTest, PlacementPicksSubnetsAndChecksZones) {
  options_.uniformAzMapping = true;
  close();
  open();
  auto place = [&](std::string subnet, std::string zone) {
    std::optional<InstancePlacement> out;
    auto r = inTxn([&](Ec2Core::Txn& txn) -> Result<api::Output> {
      auto p = placeInstance(txn, core().options(), kAccount, "us-east-1", subnet, zone);
      if (!p) return p.error();
      out = *p;
      return api::Output{};
    });
    return r ? Result<InstancePlacement>(*out) : Result<InstancePlacement>(r.error());
  };
  auto first = place("", "");
  ASSERT_TRUE(first) << first.error().message();
  EXPECT_EQ(first->zone, "us-east-1a");
  EXPECT_EQ(first->zoneId, "use1-az1");
  auto b = place("", "us-east-1b");
  ASSERT_TRUE(b);
  EXPECT_EQ(s(b->subnet->data.at("CidrBlock")), "172.31.16.0/20");
  auto bySubnet = place(b->subnet->id, "");
  ASSERT_TRUE(bySubnet);
  EXPECT_EQ(bySubnet->zone, "us-east-1b");
  EXPECT_TRUE(place(b->subnet->id, "us-east-1b"));

  auto mismatch = place(b->subnet->id, "us-east-1a");
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code(), ErrorCode::InvalidParameterValue);
  auto badZone = place("", "us-east-1z");
  ASSERT_FALSE(badZone);
  EXPECT_EQ(badZone.error().code(), ErrorCode::InvalidParameterValue);
  EXPECT_EQ(badZone.error().message(), "Invalid availability zone: [us-east-1z]");
  auto missing = place("subnet-0123456789abcdef0", "");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::InvalidSubnetIDNotFound);
}

// Addresses are those the instances hold (the registry indexes them): launching takes the
// lowest free private ones, terminating frees them.
class AddressTest : public NetworkTest {
 protected:
  struct Plenty final : QuotaSource {
    double ec2Quota(std::string_view, std::string_view, std::string_view) const override { return 1e6; }
  };
  void SetUp() override {
    options_.quotas = &plenty_;
    NetworkTest::SetUp();
  }
  Result<boost::json::object> launch(const std::string& subnet, int count, const std::string& account = kAccount) {
    boost::json::object in{{"ImageId", std::string(kBusyboxX86ImageId)}, {"MinCount", count}, {"MaxCount", count}};
    if (!subnet.empty()) in["SubnetId"] = subnet;
    return callJson("RunInstances", in, account);
  }
  static std::vector<std::string> fieldOf(const boost::json::object& reservation, const char* field) {
    std::vector<std::string> out;
    for (const auto& i : reservation.at("Instances").as_array()) out.emplace_back(i.at(field).as_string());
    return out;
  }
  int64_t freeIn(const ResourceKey& key) {
    return core().read([&](const ResourceRegistry& reg) { return reg.find(key)->data.at("AvailableIpAddressCount").as_int64(); });
  }
  void settle() {
    clock_.advance(std::chrono::seconds(1));
    runJobs();
  }
  Plenty plenty_;
};

TEST_F(AddressTest, PrivateIpsSkipReservedAndAreFreedByTermination) {
  defaultVpc();
  ResourcePtr subnet;
  for (const auto& sn : ofKind(kSubnet))
    if (s(sn->data.at("CidrBlock")) == "172.31.16.0/20") subnet = sn;
  ASSERT_TRUE(subnet);
  auto key = keyOf(*subnet);
  auto three = launch(subnet->id, 3);
  ASSERT_TRUE(three) << three.error().message();
  EXPECT_EQ(fieldOf(*three, "PrivateIpAddress"), (std::vector<std::string>{"172.31.16.4", "172.31.16.5", "172.31.16.6"}));
  EXPECT_EQ(freeIn(key), 4088);
  auto middle = fieldOf(*three, "InstanceId")[1];
  ASSERT_TRUE(callJson("TerminateInstances", boost::json::object{{"InstanceIds", boost::json::array{middle}}}));
  settle();
  EXPECT_EQ(freeIn(key), 4089);
  // The freed address is the next one handed out, also after a restart (the index is rebuilt).
  close();
  open();
  auto one = launch(subnet->id, 1);
  ASSERT_TRUE(one);
  EXPECT_EQ(fieldOf(*one, "PrivateIpAddress"), std::vector<std::string>{"172.31.16.5"});
  EXPECT_EQ(freeIn(key), 4088);
  // More than the subnet holds: an error, and nothing launched or reserved.
  auto tooMany = launch(subnet->id, 4089);
  ASSERT_FALSE(tooMany);
  EXPECT_EQ(tooMany.error().code(), ErrorCode::InvalidParameterValue);
  EXPECT_EQ(freeIn(key), 4088);
  // Exactly the rest: the last is 172.31.31.254, never the broadcast address.
  auto rest = launch(subnet->id, 4088);
  ASSERT_TRUE(rest);
  EXPECT_EQ(fieldOf(*rest, "PrivateIpAddress").back(), "172.31.31.254");
  EXPECT_EQ(freeIn(key), 0);
  // Without a zone, launches go to the subnet with the most free addresses: not this one.
  auto elsewhere = launch("", 1);
  ASSERT_TRUE(elsewhere);
  EXPECT_NE(fieldOf(*elsewhere, "SubnetId")[0], subnet->id);
}

TEST_F(AddressTest, PublicIpsAreUniqueAcrossAccountsAndHidden) {
  std::set<std::string> seen;
  for (const char* account : {kAccount, kOther}) {
    auto r = launch("", 150, account);
    ASSERT_TRUE(r) << r.error().message();
    for (const auto& ip : fieldOf(*r, "PublicIpAddress")) {
      EXPECT_TRUE(ip.starts_with("198.18.") || ip.starts_with("198.19.")) << ip;
      EXPECT_FALSE(ip.ends_with(".0") || ip.ends_with(".255")) << ip;
      EXPECT_TRUE(seen.insert(ip).second) << ip;
    }
  }
  EXPECT_EQ(*seen.begin(), "198.18.0.1");
  EXPECT_EQ(seen.size(), 300u);
  // After a restart the addresses in use are still in use.
  close();
  open();
  auto more = launch("", 10);
  ASSERT_TRUE(more);
  for (const auto& ip : fieldOf(*more, "PublicIpAddress")) EXPECT_TRUE(seen.insert(ip).second) << ip;
  // The pool is nobody's resource: no tag or describe of an account lists it.
  auto tags = call("DescribeTags");
  ASSERT_TRUE(tags);
  EXPECT_TRUE(tags->at("Tags").as_array().empty());
}

TEST_F(NetworkTest, ResolveSecurityGroups) {
  auto vpc = defaultVpc();
  auto resolve = [&](std::vector<std::string> names, std::vector<std::string> ids) {
    std::vector<ResourcePtr> out;
    auto r = inTxn([&](Ec2Core::Txn& txn) -> Result<api::Output> {
      auto g = resolveSecurityGroups(txn, kAccount, "us-east-1", vpc.vpc->id, names, ids);
      if (!g) return g.error();
      out = *g;
      return api::Output{};
    });
    return r ? Result<std::vector<ResourcePtr>>(out) : Result<std::vector<ResourcePtr>>(r.error());
  };
  auto none = resolve({}, {});
  ASSERT_TRUE(none);
  ASSERT_EQ(none->size(), 1u);
  EXPECT_EQ((*none)[0]->id, vpc.defaultGroup->id);
  auto byName = resolve({"default"}, {vpc.defaultGroup->id});
  ASSERT_TRUE(byName);
  EXPECT_EQ(byName->size(), 1u);  // the same group twice counts once
  auto malformed = resolve({}, {"sg-nothex"});
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().code(), ErrorCode::InvalidGroupIdMalformed);
  auto missingId = resolve({}, {"sg-0123456789abcdef0"});
  ASSERT_FALSE(missingId);
  EXPECT_EQ(missingId.error().code(), ErrorCode::InvalidGroupNotFound);
  auto missingName = resolve({"web"}, {});
  ASSERT_FALSE(missingName);
  EXPECT_EQ(missingName.error().code(), ErrorCode::InvalidGroupNotFound);
}

}  // namespace
}  // namespace overcast::ec2

namespace overcast::ec2 {
namespace {

class VpcActionsTest : public Ec2Test {
 protected:
  json::object ok(const std::string& action, const std::string& input = "{}", const std::string& account = kAccount) {
    auto r = call(action, input, account);
    EXPECT_TRUE(r) << action << ": " << r.error().message();
    return r ? *r : json::object{};
  }
  ErrorCode fails(const std::string& action, const std::string& input, const std::string& account = kAccount) {
    auto r = call(action, input, account);
    EXPECT_FALSE(r) << action << " " << input;
    return r ? ErrorCode::InternalFailure : r.error().code();
  }
  json::object group(const std::string& id) {
    auto r = ok("DescribeSecurityGroups", R"({"GroupIds":[")" + id + R"("]})");
    return r.at("SecurityGroups").as_array().at(0).as_object();
  }
};

TEST_F(VpcActionsTest, DescribeVpcsSubnetsAndGatewaysMakeTheDefaultVpc) {
  options_.uniformAzMapping = true;
  close();
  open();
  auto vpcs = ok("DescribeVpcs").at("Vpcs").as_array();
  ASSERT_EQ(vpcs.size(), 1u);
  const auto& vpc = vpcs[0].as_object();
  std::string vpcId = s(vpc.at("VpcId"));
  EXPECT_EQ(s(vpc.at("CidrBlock")), "172.31.0.0/16");
  EXPECT_TRUE(vpc.at("IsDefault").as_bool());
  EXPECT_EQ(s(vpc.at("OwnerId")), kAccount);
  EXPECT_EQ(s(vpc.at("InstanceTenancy")), "default");

  EXPECT_EQ(ok("DescribeVpcs", R"({"Filters":[{"Name":"is-default","Values":["true"]}]})").at("Vpcs").as_array().size(), 1u);
  EXPECT_EQ(ok("DescribeVpcs", R"({"Filters":[{"Name":"is-default","Values":["false"]}]})").at("Vpcs").as_array().size(), 0u);
  EXPECT_EQ(ok("DescribeVpcs", R"({"Filters":[{"Name":"cidr","Values":["172.31.*"]}]})").at("Vpcs").as_array().size(), 1u);
  EXPECT_EQ(ok("DescribeVpcs", R"({"VpcIds":[")" + vpcId + R"("]})").at("Vpcs").as_array().size(), 1u);
  EXPECT_EQ(fails("DescribeVpcs", R"({"VpcIds":["vpc-0123456789abcdef0"]})"), ErrorCode::InvalidVpcIDNotFound);
  EXPECT_EQ(fails("DescribeVpcs", R"({"VpcIds":["vpc-x"]})"), ErrorCode::InvalidVpcIDMalformed);
  EXPECT_EQ(fails("DescribeVpcs", R"({"Filters":[{"Name":"bogus","Values":["x"]}]})"), ErrorCode::InvalidParameterValue);

  auto subnets = ok("DescribeSubnets").at("Subnets").as_array();
  ASSERT_EQ(subnets.size(), 6u);
  auto inB = ok("DescribeSubnets", R"({"Filters":[{"Name":"availability-zone","Values":["us-east-1b"]},
      {"Name":"default-for-az","Values":["true"]}]})").at("Subnets").as_array();
  ASSERT_EQ(inB.size(), 1u);
  EXPECT_EQ(s(inB[0].at("CidrBlock")), "172.31.16.0/20");
  EXPECT_EQ(s(inB[0].at("AvailabilityZoneId")), "use1-az2");
  EXPECT_EQ(inB[0].at("AvailableIpAddressCount").as_int64(), 4091);
  EXPECT_EQ(s(inB[0].at("VpcId")), vpcId);
  // Pages of 5 then 1.
  auto page = ok("DescribeSubnets", R"({"MaxResults":5})");
  EXPECT_EQ(page.at("Subnets").as_array().size(), 5u);
  auto rest = ok("DescribeSubnets", R"({"MaxResults":5,"NextToken":")" + s(page.at("NextToken")) + R"("})");
  EXPECT_EQ(rest.at("Subnets").as_array().size(), 1u);
  EXPECT_FALSE(rest.contains("NextToken"));

  auto igws = ok("DescribeInternetGateways", R"({"Filters":[{"Name":"attachment.vpc-id","Values":[")" + vpcId +
                                                 R"("]}]})").at("InternetGateways").as_array();
  ASSERT_EQ(igws.size(), 1u);
  EXPECT_EQ(s(igws[0].at("Attachments").as_array()[0].at("State")), "available");

  // Another account: its own default VPC, the same CIDR, another id.
  auto theirs = ok("DescribeVpcs", "{}", kOther).at("Vpcs").as_array();
  ASSERT_EQ(theirs.size(), 1u);
  EXPECT_EQ(s(theirs[0].at("CidrBlock")), "172.31.0.0/16");
  EXPECT_NE(s(theirs[0].at("VpcId")), vpcId);
}

TEST_F(VpcActionsTest, CreateAuthorizeRevokeDeleteSecurityGroup) {
  auto made = ok("CreateSecurityGroup", R"({"GroupName":"web","Description":"web servers",
      "TagSpecifications":[{"ResourceType":"security-group","Tags":[{"Key":"env","Value":"prod"}]}]})");
  std::string id = s(made.at("GroupId"));
  EXPECT_TRUE(wellFormedId(id, "sg"));
  EXPECT_EQ(s(made.at("Tags").as_array()[0].at("Value")), "prod");
  auto g = group(id);
  EXPECT_EQ(s(g.at("GroupName")), "web");
  EXPECT_EQ(s(g.at("Description")), "web servers");
  EXPECT_TRUE(g.at("IpPermissions").as_array().empty());
  ASSERT_EQ(g.at("IpPermissionsEgress").as_array().size(), 1u);
  EXPECT_EQ(s(g.at("IpPermissionsEgress").as_array()[0].at("IpRanges").as_array()[0].at("CidrIp")), "0.0.0.0/0");

  EXPECT_EQ(fails("CreateSecurityGroup", R"({"GroupName":"web","Description":"again"})"),
            ErrorCode::InvalidGroupDuplicate);
  EXPECT_EQ(fails("CreateSecurityGroup", R"({"GroupName":"default","Description":"d"})"),
            ErrorCode::InvalidGroupReserved);
  EXPECT_EQ(fails("CreateSecurityGroup", R"({"GroupName":"x"})"), ErrorCode::MissingParameter);
  EXPECT_EQ(fails("CreateSecurityGroup", R"({"GroupName":"x","Description":"d","VpcId":"vpc-0123456789abcdef0"})"),
            ErrorCode::InvalidVpcIDNotFound);

  // IpPermissions form, two ranges: two rules, one permission.
  auto auth = ok("AuthorizeSecurityGroupIngress", R"({"GroupId":")" + id + R"(","IpPermissions":[
      {"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"10.0.0.0/8"},{"CidrIp":"192.168.1.7/24","Description":"office"}]}]})");
  EXPECT_TRUE(auth.at("Return").as_bool());
  auto rules = auth.at("SecurityGroupRules").as_array();
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_TRUE(s(rules[0].at("SecurityGroupRuleId")).starts_with("sgr-"));
  EXPECT_EQ(s(rules[1].at("CidrIpv4")), "192.168.1.0/24");  // canonical
  EXPECT_FALSE(rules[0].at("IsEgress").as_bool());
  // The flat form (boto 2's older calls), by group name, from another group.
  ok("AuthorizeSecurityGroupIngress", R"({"GroupName":"web","IpProtocol":"tcp","FromPort":80,"ToPort":80,"CidrIp":"0.0.0.0/0"})");
  ok("AuthorizeSecurityGroupIngress", R"({"GroupName":"web","SourceSecurityGroupName":"default"})");
  g = group(id);
  auto perms = g.at("IpPermissions").as_array();
  ASSERT_EQ(perms.size(), 3u);
  EXPECT_EQ(s(perms[0].at("IpProtocol")), "tcp");
  EXPECT_EQ(perms[0].at("FromPort").as_int64(), 22);
  EXPECT_EQ(perms[0].at("IpRanges").as_array().size(), 2u);
  EXPECT_EQ(s(perms[0].at("IpRanges").as_array()[1].at("Description")), "office");
  EXPECT_EQ(s(perms[2].at("IpProtocol")), "-1");
  EXPECT_FALSE(perms[2].as_object().contains("FromPort"));
  EXPECT_EQ(s(perms[2].at("UserIdGroupPairs").as_array()[0].at("UserId")), kAccount);

  // Filters over the rules.
  auto byPort = ok("DescribeSecurityGroups", R"({"Filters":[{"Name":"ip-permission.from-port","Values":["80"]}]})");
  ASSERT_EQ(byPort.at("SecurityGroups").as_array().size(), 1u);
  auto byRef = ok("DescribeSecurityGroups", R"({"Filters":[{"Name":"ip-permission.group-name","Values":["default"]}]})");
  EXPECT_EQ(byRef.at("SecurityGroups").as_array().size(), 2u);  // web, and default (which refers to itself)
  auto byName = ok("DescribeSecurityGroups", R"({"GroupNames":["web"]})");
  EXPECT_EQ(s(byName.at("SecurityGroups").as_array()[0].at("GroupId")), id);
  EXPECT_EQ(fails("DescribeSecurityGroups", R"({"GroupNames":["nope"]})"), ErrorCode::InvalidGroupNotFound);

  // Errors.
  EXPECT_EQ(fails("AuthorizeSecurityGroupIngress", R"({"GroupId":")" + id +
                                                       R"(","IpProtocol":"tcp","FromPort":22,"ToPort":22,"CidrIp":"10.0.0.0/8"})"),
            ErrorCode::InvalidPermissionDuplicate);
  EXPECT_EQ(fails("AuthorizeSecurityGroupIngress", R"({"GroupId":")" + id +
                                                       R"(","IpProtocol":"tcp","FromPort":90,"ToPort":80,"CidrIp":"1.2.3.4/32"})"),
            ErrorCode::InvalidParameterValue);
  EXPECT_EQ(fails("AuthorizeSecurityGroupIngress", R"({"GroupId":")" + id +
                                                       R"(","IpProtocol":"xyz","CidrIp":"1.2.3.4/32"})"),
            ErrorCode::InvalidParameterValue);
  EXPECT_EQ(fails("AuthorizeSecurityGroupIngress", R"({"GroupId":")" + id +
                                                       R"(","IpProtocol":"tcp","FromPort":1,"ToPort":2,"CidrIp":"1.2.3/32"})"),
            ErrorCode::InvalidParameterValue);
  EXPECT_EQ(fails("AuthorizeSecurityGroupIngress",
                  R"({"GroupId":"sg-0123456789abcdef0","IpProtocol":"-1","CidrIp":"1.2.3.4/32"})"),
            ErrorCode::InvalidGroupNotFound);
  EXPECT_EQ(fails("RevokeSecurityGroupIngress", R"({"GroupId":")" + id +
                                                    R"(","IpProtocol":"tcp","FromPort":23,"ToPort":23,"CidrIp":"10.0.0.0/8"})"),
            ErrorCode::InvalidPermissionNotFound);

  // Revoke by rule and by id.
  auto revoked = ok("RevokeSecurityGroupIngress", R"({"GroupId":")" + id +
                                                      R"(","IpProtocol":"tcp","FromPort":22,"ToPort":22,"CidrIp":"10.0.0.0/8"})");
  EXPECT_TRUE(revoked.at("Return").as_bool());
  ok("RevokeSecurityGroupIngress", R"({"GroupId":")" + id + R"(","SecurityGroupRuleIds":[")" +
                                       s(rules[1].at("SecurityGroupRuleId")) + R"("]})");
  g = group(id);
  EXPECT_EQ(g.at("IpPermissions").as_array().size(), 2u);  // port 80 and the group
  // Egress needs a GroupId.
  ok("RevokeSecurityGroupEgress", R"({"GroupId":")" + id + R"(","IpPermissions":[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]})");
  EXPECT_TRUE(group(id).at("IpPermissionsEgress").as_array().empty());
  ok("AuthorizeSecurityGroupEgress", R"({"GroupId":")" + id + R"(","IpPermissions":[{"IpProtocol":"udp","FromPort":53,"ToPort":53,"IpRanges":[{"CidrIp":"8.8.8.8/32"}]}]})");
  EXPECT_EQ(group(id).at("IpPermissionsEgress").as_array().size(), 1u);
  EXPECT_EQ(fails("AuthorizeSecurityGroupEgress", R"({"GroupName":"web","IpProtocol":"-1","CidrIp":"1.2.3.4/32"})"),
            ErrorCode::MissingParameter);

  // Survives a restart.
  close();
  open();
  EXPECT_EQ(group(id).at("IpPermissions").as_array().size(), 2u);

  // Delete: the default group cannot go; a group another group refers to cannot either.
  std::string defaultId = s(ok("DescribeSecurityGroups", R"({"GroupNames":["default"]})")
                                .at("SecurityGroups").as_array()[0].at("GroupId"));
  EXPECT_EQ(fails("DeleteSecurityGroup", R"({"GroupId":")" + defaultId + R"("})"), ErrorCode::CannotDelete);
  auto other = s(ok("CreateSecurityGroup", R"({"GroupName":"db","Description":"db"})").at("GroupId"));
  ok("AuthorizeSecurityGroupIngress", R"({"GroupId":")" + other + R"(","IpPermissions":[{"IpProtocol":"tcp","FromPort":5432,"ToPort":5432,"UserIdGroupPairs":[{"GroupId":")" + id + R"("}]}]})");
  EXPECT_EQ(fails("DeleteSecurityGroup", R"({"GroupId":")" + id + R"("})"), ErrorCode::DependencyViolation);
  auto del = ok("DeleteSecurityGroup", R"({"GroupName":"db"})");
  EXPECT_TRUE(del.at("Return").as_bool());
  EXPECT_EQ(s(del.at("GroupId")), other);
  ok("DeleteSecurityGroup", R"({"GroupId":")" + id + R"("})");
  EXPECT_EQ(fails("DeleteSecurityGroup", R"({"GroupId":")" + id + R"("})"), ErrorCode::InvalidGroupNotFound);
  EXPECT_EQ(fails("DeleteSecurityGroup", R"({"GroupId":"sg-zz"})"), ErrorCode::InvalidGroupIdMalformed);
  EXPECT_EQ(ok("DescribeSecurityGroups").at("SecurityGroups").as_array().size(), 1u);
}

TEST_F(VpcActionsTest, GroupsOfOtherAccountsAreInvisible) {
  auto id = s(ok("CreateSecurityGroup", R"({"GroupName":"web","Description":"d"})").at("GroupId"));
  EXPECT_EQ(fails("DescribeSecurityGroups", R"({"GroupIds":[")" + id + R"("]})", kOther), ErrorCode::InvalidGroupNotFound);
  EXPECT_EQ(fails("DeleteSecurityGroup", R"({"GroupId":")" + id + R"("})", kOther), ErrorCode::InvalidGroupNotFound);
  // The same name in the other account is fine.
  ok("CreateSecurityGroup", R"({"GroupName":"web","Description":"d"})", kOther);
}

}  // namespace
}  // namespace overcast::ec2
