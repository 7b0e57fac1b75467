#include <gtest/gtest.h>

#include "services/ec2/ec2_core.h"
#include "services/ec2/ec2_store.h"
#include "services/ec2/images.h"
#include "unit/ec2/ec2_fixture.h"

namespace overcast::ec2 {
namespace {

namespace json = boost::json;

class ImageActionsTest : public Ec2Test {
 protected:
  Ec2Core& core() { return dynamic_cast<Ec2Service&>(*service_).core(); }
  // Registers an image and returns its id.
  std::string registerImage(const std::string& name, const std::string& account = kAccount,
                            const std::string& region = "us-east-1") {
    auto r = callJson("RegisterImage",
                      json::object{{"Name", name},
                                   {"Architecture", "x86_64"},
                                   {"RootDeviceName", "/dev/xvda"},
                                   {"VirtualizationType", "hvm"},
                                   {"BlockDeviceMappings",
                                    json::array{json::object{{"DeviceName", "/dev/xvda"},
                                                             {"Ebs", json::object{{"VolumeSize", 8}}}}}}},
                      account, region);
    EXPECT_TRUE(r) << r.error().message();
    return r ? std::string(r->at("ImageId").as_string()) : std::string();
  }
  // The ids DescribeImages answers with `input`.
  std::vector<std::string> ids(const std::string& input, const std::string& account = kAccount,
                               const std::string& region = "us-east-1") {
    auto r = call("DescribeImages", input, account, region);
    EXPECT_TRUE(r) << r.error().message();
    std::vector<std::string> out;
    if (r)
      for (const auto& i : r->at("Images").as_array()) out.emplace_back(i.at("ImageId").as_string());
    return out;
  }
  json::object image(const std::string& id, const std::string& account = kAccount) {
    auto r = callJson("DescribeImages", json::object{{"ImageIds", json::array{json::value(id)}}}, account);
    EXPECT_TRUE(r) << r.error().message();
    return r->at("Images").as_array().at(0).as_object();
  }
  // Seeds an instance resource (as RunInstances stores it) and reopens.
  void seedInstance(const std::string& id, const std::string& state) {
    close();
    store::SqliteOptions options;
    options.path = (dir_.path() / "db").string();
    auto db = store::openSqliteStore(options);
    ASSERT_TRUE(db);
    Resource r;
    r.id = id;
    r.kind = std::string(kInstance);
    r.owner = kAccount;
    r.region = "us-east-1";
    r.data = json::object{{"InstanceId", id},
                          {"ImageId", std::string(kBusyboxX86ImageId)},
                          {"State", json::object{{"Code", state == "running" ? 16 : 0}, {"Name", state}}},
                          {"Architecture", "x86_64"},
                          {"RootDeviceName", "/dev/xvda"},
                          {"VirtualizationType", "hvm"},
                          {"BlockDeviceMappings",
                           json::array{json::object{{"DeviceName", "/dev/xvda"},
                                                    {"Ebs", json::object{{"VolumeId", "vol-00000000000000001"},
                                                                         {"DeleteOnTermination", true},
                                                                         {"Status", "attached"}}}}}}};
    ASSERT_TRUE((*db)->writeSync([&](store::WriteTxn& txn) { return saveResource(txn, r); }));
    (*db)->close();
    open();
  }
};

const std::string kX86(kBusyboxX86ImageId);
const std::string kArm(kBusyboxArm64ImageId);

TEST_F(ImageActionsTest, BuiltinImagesAreInEveryRegionAndOwnedByAmazon) {
  EXPECT_EQ(ids(R"({"Owners":["amazon"]})"), (std::vector<std::string>{kArm, kX86}));
  EXPECT_EQ(ids(R"({"Owners":["137112412989"]})", kOther, "eu-west-3"), (std::vector<std::string>{kArm, kX86}));
  EXPECT_TRUE(ids(R"({"Owners":["self"]})").empty());
  auto img = image(kX86);
  EXPECT_EQ(img.at("Name").as_string(), "overcast-linux-busybox-x86_64");
  EXPECT_EQ(img.at("ImageOwnerAlias").as_string(), "amazon");
  EXPECT_EQ(img.at("OwnerId").as_string(), "137112412989");
  EXPECT_EQ(img.at("State").as_string(), "available");
  EXPECT_EQ(img.at("Public").as_bool(), true);
  EXPECT_EQ(img.at("RootDeviceName").as_string(), "/dev/xvda");
  EXPECT_EQ(img.at("BlockDeviceMappings").as_array().at(0).at("Ebs").at("VolumeSize").as_int64(), 1);
  EXPECT_FALSE(img.at("BlockDeviceMappings").as_array().at(0).at("Ebs").as_object().contains("SnapshotId"));
  // A restart neither loses nor duplicates them.
  close();
  open();
  EXPECT_EQ(ids(R"({"Owners":["amazon"]})"), (std::vector<std::string>{kArm, kX86}));
}

TEST_F(ImageActionsTest, FiltersAndPagination) {
  EXPECT_EQ(ids(R"({"Filters":[{"Name":"architecture","Values":["arm64"]}]})"), std::vector<std::string>{kArm});
  EXPECT_EQ(ids(R"({"Filters":[{"Name":"name","Values":["overcast-linux-*-x86_64"]}]})"),
            std::vector<std::string>{kX86});
  EXPECT_EQ(ids(R"({"Filters":[{"Name":"is-public","Values":["true"]},{"Name":"owner-alias","Values":["amazon"]},
      {"Name":"root-device-type","Values":["ebs"]},{"Name":"block-device-mapping.device-name","Values":["/dev/xvda"]}]})")
                .size(),
            2u);
  EXPECT_TRUE(ids(R"({"Filters":[{"Name":"state","Values":["pending"]}]})").empty());
  auto bad = call("DescribeImages", R"({"Filters":[{"Name":"nope","Values":["x"]}]})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::InvalidParameterValue);

  for (int i = 0; i < 6; ++i) registerImage("mine-" + std::to_string(i));
  auto first = call("DescribeImages", R"({"Owners":["self"],"MaxResults":5})");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->at("Images").as_array().size(), 5u);
  auto next = callJson("DescribeImages", json::object{{"Owners", json::array{"self"}},
                                                      {"MaxResults", 5},
                                                      {"NextToken", first->at("NextToken")}});
  ASSERT_TRUE(next);
  EXPECT_EQ(next->at("Images").as_array().size(), 1u);
  EXPECT_FALSE(next->contains("NextToken"));
  EXPECT_EQ(ids(R"({"Filters":[{"Name":"name","Values":["mine-3"]}]})").size(), 1u);
}

TEST_F(ImageActionsTest, UnknownAndMalformedIds) {
  auto missing = call("DescribeImages", R"({"ImageIds":["ami-00000000"]})");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::InvalidAMIIDNotFound);
  EXPECT_EQ(missing.error().message(), "The image id '[ami-00000000]' does not exist");
  auto malformed = call("DescribeImages", R"({"ImageIds":["ami-xyz"]})");
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().code(), ErrorCode::InvalidAMIIDMalformed);
  EXPECT_EQ(malformed.error().message(), "Invalid id: \"ami-xyz\" (expecting \"ami-...\")");
}

TEST_F(ImageActionsTest, RegisterIsPendingThenAvailableAndSurvivesRestart) {
  auto r = call("RegisterImage", R"j({"Name":"my image (1)","Description":"d",
      "TagSpecifications":[{"ResourceType":"image","Tags":[{"Key":"k","Value":"v"}]}]})j");
  ASSERT_TRUE(r) << r.error().message();
  std::string id(r->at("ImageId").as_string());
  auto img = image(id);
  EXPECT_EQ(img.at("State").as_string(), "pending");
  EXPECT_EQ(img.at("Architecture").as_string(), "i386");
  EXPECT_EQ(img.at("VirtualizationType").as_string(), "paravirtual");
  EXPECT_EQ(img.at("OwnerId").as_string(), kAccount);
  EXPECT_EQ(img.at("Public").as_bool(), false);
  EXPECT_EQ(img.at("Tags").as_array().at(0).at("Value").as_string(), "v");
  auto pending = core().read([&](const ResourceRegistry& reg) { return launchableImage(reg, kAccount, "us-east-1", id); });
  ASSERT_FALSE(pending);
  EXPECT_EQ(pending.error().code(), ErrorCode::InvalidAMIIDUnavailable);

  clock_.advance(std::chrono::seconds(1));
  EXPECT_EQ(runJobs(), 1);
  close();
  open();
  EXPECT_EQ(image(id).at("State").as_string(), "available");
  EXPECT_EQ(ids(R"({"Filters":[{"Name":"tag:k","Values":["v"]}]})"), std::vector<std::string>{id});
  // Another region, another account: not there.
  EXPECT_TRUE(ids(R"({"Owners":["self"]})", kAccount, "us-west-2").empty());
  EXPECT_FALSE(call("DescribeImages", R"({"ImageIds":[")" + id + R"("]})", kOther));
}

TEST_F(ImageActionsTest, RegisterChecksTheName) {
  for (const char* bad : {"ab", "has*star", "tab\there"}) {
    auto r = callJson("RegisterImage", json::object{{"Name", bad}});
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::InvalidAMINameMalformed);
  }
  auto missing = call("RegisterImage", "{}");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::MissingParameter);
  registerImage("twice");
  auto dup = call("RegisterImage", R"({"Name":"twice"})");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code(), ErrorCode::InvalidAMINameDuplicate);
  // The same name in another region or account is fine.
  registerImage("twice", kAccount, "eu-west-1");
  registerImage("twice", kOther);
}

TEST_F(ImageActionsTest, DeregisterOwnOnly) {
  auto id = registerImage("gone-soon");
  auto platform = call("DeregisterImage", R"({"ImageId":")" + kX86 + R"("})");
  ASSERT_FALSE(platform);
  EXPECT_EQ(platform.error().code(), ErrorCode::AuthFailure);
  auto other = call("DeregisterImage", R"({"ImageId":")" + id + R"("})", kOther);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code(), ErrorCode::InvalidAMIIDNotFound);
  auto done = call("DeregisterImage", R"({"ImageId":")" + id + R"("})");
  ASSERT_TRUE(done);
  EXPECT_TRUE(done->at("Return").as_bool());
  EXPECT_TRUE(ids(R"({"Owners":["self"]})").empty());
  EXPECT_FALSE(call("DeregisterImage", R"({"ImageId":")" + id + R"("})"));
  EXPECT_EQ(runJobs(), 0);  // the job for a deregistered image does nothing
  clock_.advance(std::chrono::seconds(1));
  EXPECT_EQ(runJobs(), 1);
  EXPECT_TRUE(ids(R"({"Owners":["self"]})").empty());
}

TEST_F(ImageActionsTest, SharingWithAnAccountAndWithEveryone) {
  auto id = registerImage("shared");
  auto early = call("ModifyImageAttribute",
                    R"({"ImageId":")" + id + R"(","LaunchPermission":{"Add":[{"UserId":"111111111111"}]}})");
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code(), ErrorCode::InvalidAMIIDUnavailable);
  clock_.advance(std::chrono::seconds(1));
  runJobs();

  auto badUser = call("ModifyImageAttribute",
                      R"({"ImageId":")" + id + R"(","LaunchPermission":{"Add":[{"UserId":"12"}]}})");
  ASSERT_FALSE(badUser);
  EXPECT_EQ(badUser.error().code(), ErrorCode::InvalidUserIDMalformed);
  auto badGroup = call("ModifyImageAttribute",
                       R"({"ImageId":")" + id + R"(","LaunchPermission":{"Add":[{"Group":"some"}]}})");
  ASSERT_FALSE(badGroup);
  EXPECT_EQ(badGroup.error().code(), ErrorCode::InvalidAMIAttributeItemValue);

  EXPECT_FALSE(call("DescribeImages", R"({"ImageIds":[")" + id + R"("]})", kOther));
  ASSERT_TRUE(call("ModifyImageAttribute",
                   R"({"ImageId":")" + id + R"(","LaunchPermission":{"Add":[{"UserId":"111111111111"}]}})"));
  EXPECT_EQ(ids(R"({"ImageIds":[")" + id + R"("]})", kOther), std::vector<std::string>{id});
  EXPECT_EQ(ids(R"({"ExecutableUsers":["self"]})", kOther), std::vector<std::string>{id});
  EXPECT_EQ(ids(R"({"ExecutableUsers":["111111111111"]})"), std::vector<std::string>{id});
  EXPECT_EQ(ids(R"({"Owners":["000000000000"]})", kOther), std::vector<std::string>{id});
  EXPECT_TRUE(core().read([&](const ResourceRegistry& reg) { return launchableImage(reg, kOther, "us-east-1", id); }));
  // The other account may not change or deregister it, nor read its permissions.
  auto notMine = call("DeregisterImage", R"({"ImageId":")" + id + R"("})", kOther);
  ASSERT_FALSE(notMine);
  EXPECT_EQ(notMine.error().code(), ErrorCode::AuthFailure);
  EXPECT_FALSE(call("DescribeImageAttribute", R"({"ImageId":")" + id + R"(","Attribute":"launchPermission"})", kOther));

  auto perms = call("DescribeImageAttribute", R"({"ImageId":")" + id + R"(","Attribute":"launchPermission"})");
  ASSERT_TRUE(perms);
  EXPECT_EQ(json::serialize(perms->at("LaunchPermissions")), R"([{"UserId":"111111111111"}])");

  // boto 2's flat form: make it public, then remove the user.
  ASSERT_TRUE(call("ModifyImageAttribute", R"({"ImageId":")" + id +
                                               R"(","Attribute":"launchPermission","OperationType":"add","UserGroups":["all"]})"));
  ASSERT_TRUE(call("ModifyImageAttribute", R"({"ImageId":")" + id +
                                               R"(","Attribute":"launchPermission","OperationType":"remove","UserIds":["111111111111"]})"));
  perms = call("DescribeImageAttribute", R"({"ImageId":")" + id + R"(","Attribute":"launchPermission"})");
  EXPECT_EQ(json::serialize(perms->at("LaunchPermissions")), R"([{"Group":"all"}])");
  EXPECT_EQ(ids(R"({"ExecutableUsers":["all"],"Owners":["000000000000"]})", kOther), std::vector<std::string>{id});
  EXPECT_TRUE(ids(R"({"ExecutableUsers":["self"]})", kOther).empty());

  ASSERT_TRUE(call("ResetImageAttribute", R"({"ImageId":")" + id + R"(","Attribute":"launchPermission"})"));
  EXPECT_FALSE(call("DescribeImages", R"({"ImageIds":[")" + id + R"("]})", kOther));
}

TEST_F(ImageActionsTest, DescriptionAndOtherAttributes) {
  auto id = registerImage("described");
  clock_.advance(std::chrono::seconds(1));
  runJobs();
  ASSERT_TRUE(call("ModifyImageAttribute", R"({"ImageId":")" + id + R"(","Description":{"Value":"new words"}})"));
  auto d = call("DescribeImageAttribute", R"({"ImageId":")" + id + R"(","Attribute":"description"})");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->at("Description").at("Value").as_string(), "new words");
  auto bdm = call("DescribeImageAttribute", R"({"ImageId":")" + id + R"(","Attribute":"blockDeviceMapping"})");
  ASSERT_TRUE(bdm);
  EXPECT_EQ(bdm->at("BlockDeviceMappings").as_array().at(0).at("Ebs").at("VolumeSize").as_int64(), 8);
  auto unknown = call("DescribeImageAttribute", R"({"ImageId":")" + id + R"(","Attribute":"colour"})");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), ErrorCode::InvalidParameterValue);
  // A platform image's description is readable by anyone.
  auto p = call("DescribeImageAttribute", R"({"ImageId":")" + kX86 + R"(","Attribute":"description"})", kOther);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->at("Description").at("Value").as_string(), "overcast built-in Linux (BusyBox), x86_64");
}

TEST_F(ImageActionsTest, CopyImageAcrossRegionsWithClientToken) {
  auto input = R"({"SourceImageId":")" + kX86 + R"(","SourceRegion":"us-east-1","Name":"copied","ClientToken":"t1"})";
  auto c = call("CopyImage", input, kAccount, "eu-west-1");
  ASSERT_TRUE(c) << c.error().message();
  std::string id(c->at("ImageId").as_string());
  auto again = call("CopyImage", input, kAccount, "eu-west-1");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->at("ImageId").as_string(), id);
  auto img = callJson("DescribeImages", json::object{{"ImageIds", json::array{json::value(id)}}}, kAccount, "eu-west-1");
  ASSERT_TRUE(img);
  const auto& i = img->at("Images").as_array().at(0).as_object();
  EXPECT_EQ(i.at("OwnerId").as_string(), kAccount);
  EXPECT_EQ(i.at("State").as_string(), "pending");
  EXPECT_EQ(i.at("Architecture").as_string(), "x86_64");
  EXPECT_EQ(i.at("SourceImageId").as_string(), kX86);
  EXPECT_FALSE(i.contains("ImageOwnerAlias"));
  EXPECT_EQ(i.at("Description").as_string(), "overcast built-in Linux (BusyBox), x86_64");

  auto invisible = call("CopyImage", R"({"SourceImageId":"ami-0123456789abcdef0","SourceRegion":"us-east-1","Name":"x1x"})");
  ASSERT_FALSE(invisible);
  EXPECT_EQ(invisible.error().code(), ErrorCode::InvalidAMIIDNotFound);
}

TEST_F(ImageActionsTest, CreateImageFromAnInstance) {
  seedInstance("i-00000000000000001", "running");
  auto r = call("CreateImage", R"({"InstanceId":"i-00000000000000001","Name":"from-instance","NoReboot":true,
      "BlockDeviceMappings":[{"DeviceName":"/dev/sdb","Ebs":{"VolumeSize":20}}]})");
  ASSERT_TRUE(r) << r.error().message();
  auto img = image(std::string(r->at("ImageId").as_string()));
  EXPECT_EQ(img.at("State").as_string(), "pending");
  EXPECT_EQ(img.at("RootDeviceName").as_string(), "/dev/xvda");
  EXPECT_EQ(img.at("SourceInstanceId").as_string(), "i-00000000000000001");
  const auto& bdm = img.at("BlockDeviceMappings").as_array();
  ASSERT_EQ(bdm.size(), 2u);
  EXPECT_EQ(bdm[0].at("DeviceName").as_string(), "/dev/xvda");
  EXPECT_EQ(bdm[0].at("Ebs").at("VolumeSize").as_int64(), 1);  // from the instance's image
  EXPECT_EQ(bdm[1].at("Ebs").at("VolumeSize").as_int64(), 20);
  clock_.advance(std::chrono::seconds(1));
  EXPECT_EQ(runJobs(), 1);
  EXPECT_EQ(image(std::string(r->at("ImageId").as_string())).at("State").as_string(), "available");

  auto missing = call("CreateImage", R"({"InstanceId":"i-0000000000000000f","Name":"nothing"})");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::InvalidInstanceIDNotFound);
}

TEST_F(ImageActionsTest, CreateImageNeedsRunningOrStopped) {
  seedInstance("i-00000000000000002", "pending");
  auto r = call("CreateImage", R"({"InstanceId":"i-00000000000000002","Name":"too-early"})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::IncorrectInstanceState);
}

TEST_F(ImageActionsTest, ImportedPlatformImages) {
  auto everywhere = importPlatformImage(*ec2HandleOf(*service_), json::object{{"ImageId", "ami-12c6146b"}});
  ASSERT_TRUE(everywhere) << everywhere.error().message();
  EXPECT_EQ(everywhere->at("Region").as_string(), "*");
  EXPECT_EQ(ids(R"({"ImageIds":["ami-12c6146b"]})", kOther, "ap-south-1"), std::vector<std::string>{"ami-12c6146b"});
  auto dup = importPlatformImage(*ec2HandleOf(*service_), json::object{{"ImageId", "ami-12c6146b"}});
  ASSERT_FALSE(dup);
  auto one = importPlatformImage(*ec2HandleOf(*service_),
                                 json::object{{"ImageId", "ami-0123456789abcdef0"}, {"Region", "eu-west-1"},
                                              {"Name", "custom"}, {"Architecture", "arm64"}});
  ASSERT_TRUE(one) << one.error().message();
  EXPECT_EQ(ids(R"({"Owners":["amazon"],"Filters":[{"Name":"name","Values":["custom"]}]})", kAccount, "eu-west-1"),
            std::vector<std::string>{"ami-0123456789abcdef0"});
  EXPECT_TRUE(ids(R"({"Filters":[{"Name":"name","Values":["custom"]}]})", kAccount, "us-east-1").empty());
  EXPECT_FALSE(importPlatformImage(*ec2HandleOf(*service_), json::object{{"ImageId", "ami-1"}}));
  EXPECT_FALSE(importPlatformImage(*ec2HandleOf(*service_),
                                   json::object{{"ImageId", "ami-22c6146b"}, {"Region", "mars-1"}}));
  EXPECT_TRUE(core().read([](const ResourceRegistry& reg) {
    return launchableImage(reg, "222222222222", "us-west-2", "ami-12c6146b");
  }));
}

}  // namespace
}  // namespace overcast::ec2
