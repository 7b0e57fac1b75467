// Instances on the none driver: launch, quotas, lifecycle, termination protection, filters,
// attributes, idempotency, bad input, restart.
#include <gtest/gtest.h>

#include "services/ec2/images.h"
#include "unit/ec2/ec2_fixture.h"

namespace overcast::ec2 {
namespace {

namespace json = boost::json;

class InstanceTest : public Ec2Test {
 protected:
  std::string image() const { return std::string(kBusyboxX86ImageId); }

  json::object run(int min, int max, const std::string& extra = "", const std::string& account = kAccount) {
    std::string input = "{\"ImageId\":\"" + image() + "\",\"MinCount\":" + std::to_string(min) +
                        ",\"MaxCount\":" + std::to_string(max) + (extra.empty() ? "" : "," + extra) + "}";
    auto r = call("RunInstances", input, account);
    EXPECT_TRUE(r) << (r ? "" : r.error().message());
    return r ? *r : json::object{};
  }
  // Lets the lifecycle delay pass and runs the jobs due.
  void settle() {
    clock_.advance(std::chrono::seconds(1));
    runJobs();
  }
  std::vector<json::object> instances(const std::string& input = "{}", const std::string& account = kAccount) {
    auto r = call("DescribeInstances", input, account);
    EXPECT_TRUE(r) << (r ? "" : r.error().message());
    std::vector<json::object> out;
    if (!r) return out;
    for (const auto& res : r->at("Reservations").as_array())
      for (const auto& i : res.at("Instances").as_array()) out.push_back(i.as_object());
    return out;
  }
  static std::string stateName(const json::object& i) { return std::string(i.at("State").at("Name").as_string()); }
  static std::string idOf(const json::object& i) { return std::string(i.at("InstanceId").as_string()); }
};

TEST_F(InstanceTest, RunGivesAReservationOfPendingInstancesThatBecomeRunning) {
  auto res = run(2, 3, R"("InstanceType":"t2.micro","TagSpecifications":[{"ResourceType":"instance","Tags":[{"Key":"Name","Value":"web"}]}])");
  ASSERT_EQ(res.at("Instances").as_array().size(), 3u);
  EXPECT_TRUE(res.at("ReservationId").as_string().starts_with("r-"));
  const auto& first = res.at("Instances").as_array()[0].as_object();
  EXPECT_EQ(stateName(first), "pending");
  EXPECT_EQ(first.at("State").at("Code").as_int64(), 0);
  EXPECT_EQ(first.at("InstanceType").as_string(), "t2.micro");
  EXPECT_TRUE(first.at("PrivateIpAddress").as_string().starts_with("172.31."));
  EXPECT_TRUE(first.at("VpcId").as_string().starts_with("vpc-"));
  EXPECT_EQ(first.at("Tags").as_array().size(), 1u);
  EXPECT_EQ(first.at("AmiLaunchIndex").as_int64(), 0);
  EXPECT_EQ(res.at("Instances").as_array()[2].at("AmiLaunchIndex").as_int64(), 2);
  settle();
  auto all = instances();
  ASSERT_EQ(all.size(), 3u);
  for (const auto& i : all) {
    EXPECT_EQ(stateName(i), "running");
    EXPECT_EQ(i.at("State").at("Code").as_int64(), 16);
  }
}

TEST_F(InstanceTest, InstanceQuotaLaunchesWhatFitsOrNothing) {
  run(18, 18);
  settle();
  auto two = run(2, 5);
  EXPECT_EQ(two.at("Instances").as_array().size(), 2u);  // 20 now
  auto none = call("RunInstances", R"({"ImageId":")" + image() + R"(","MinCount":1,"MaxCount":1})");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code(), ErrorCode::InstanceLimitExceeded);
  // Terminate two: 18 running; MinCount 3 does not fit and launches nothing.
  auto ids = instances();
  ASSERT_TRUE(call("TerminateInstances", R"({"InstanceIds":[")" + idOf(ids[0]) + R"(",")" + idOf(ids[1]) + R"("]})"));
  auto three = call("RunInstances", R"({"ImageId":")" + image() + R"(","MinCount":3,"MaxCount":3})");
  ASSERT_FALSE(three);
  EXPECT_EQ(three.error().code(), ErrorCode::InstanceLimitExceeded);
  EXPECT_EQ(instances().size(), 20u);
  // Another account has its own quota.
  EXPECT_EQ(run(5, 5, "", kOther).at("Instances").as_array().size(), 5u);
}

TEST_F(InstanceTest, VcpuQuotaCountsTheTypesVcpus) {
  close();
  options_.quotaModel = QuotaModel::Vcpus;
  open();
  // Default 32 vCPUs: t3.micro has 2, so 16 fit.
  auto res = run(1, 20, R"("InstanceType":"t3.micro")");
  EXPECT_EQ(res.at("Instances").as_array().size(), 16u);
  auto more = call("RunInstances", R"({"ImageId":")" + image() + R"(","MinCount":1,"MaxCount":1,"InstanceType":"t2.micro"})");
  ASSERT_FALSE(more);
  EXPECT_EQ(more.error().code(), ErrorCode::VcpuLimitExceeded);
}

TEST_F(InstanceTest, StopStartTerminateAndPurge) {
  auto id = idOf(run(1, 1).at("Instances").as_array()[0].as_object());
  settle();
  auto stop = call("StopInstances", R"({"InstanceIds":[")" + id + R"("]})");
  ASSERT_TRUE(stop);
  EXPECT_EQ(stop->at("StoppingInstances").as_array()[0].at("CurrentState").at("Name").as_string(), "stopping");
  EXPECT_EQ(stop->at("StoppingInstances").as_array()[0].at("PreviousState").at("Name").as_string(), "running");
  settle();
  auto i = instances()[0];
  EXPECT_EQ(stateName(i), "stopped");
  EXPECT_FALSE(i.contains("PublicIpAddress"));
  EXPECT_TRUE(i.at("StateTransitionReason").as_string().starts_with("User initiated ("));
  EXPECT_EQ(i.at("StateReason").at("Code").as_string(), "Client.UserInitiatedShutdown");
  auto start = call("StartInstances", R"({"InstanceIds":[")" + id + R"("]})");
  ASSERT_TRUE(start);
  EXPECT_EQ(start->at("StartingInstances").as_array()[0].at("CurrentState").at("Name").as_string(), "pending");
  settle();
  EXPECT_EQ(stateName(instances()[0]), "running");
  ASSERT_TRUE(call("RebootInstances", R"({"InstanceIds":[")" + id + R"("]})"));
  auto term = call("TerminateInstances", R"({"InstanceIds":[")" + id + R"("]})");
  ASSERT_TRUE(term);
  EXPECT_EQ(term->at("TerminatingInstances").as_array()[0].at("CurrentState").at("Name").as_string(), "shutting-down");
  settle();
  EXPECT_EQ(stateName(instances()[0]), "terminated");
  EXPECT_EQ(instances()[0].at("State").at("Code").as_int64(), 48);
  // Terminating again is fine; starting is not.
  ASSERT_TRUE(call("TerminateInstances", R"({"InstanceIds":[")" + id + R"("]})"));
  auto restart = call("StartInstances", R"({"InstanceIds":[")" + id + R"("]})");
  ASSERT_FALSE(restart);
  EXPECT_EQ(restart.error().code(), ErrorCode::IncorrectInstanceState);
  // Visible for an hour, then gone.
  clock_.advance(std::chrono::minutes(59));
  runJobs();
  EXPECT_EQ(instances().size(), 1u);
  clock_.advance(std::chrono::minutes(2));
  runJobs();
  EXPECT_TRUE(instances().empty());
}

TEST_F(InstanceTest, TerminationProtectionHoldsItsZoneOnly) {
  auto a1 = idOf(run(1, 1, R"("Placement":{"AvailabilityZone":"us-east-1a"},"DisableApiTermination":true)").at("Instances").as_array()[0].as_object());
  auto a2 = idOf(run(1, 1, R"("Placement":{"AvailabilityZone":"us-east-1a"})").at("Instances").as_array()[0].as_object());
  auto b1 = idOf(run(1, 1, R"("Placement":{"AvailabilityZone":"us-east-1b"})").at("Instances").as_array()[0].as_object());
  settle();
  auto r = call("TerminateInstances", R"({"InstanceIds":[")" + a1 + R"(",")" + a2 + R"(",")" + b1 + R"("]})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::OperationNotPermitted);
  EXPECT_EQ(r.error().message(), "The instance '" + a1 +
                                     "' may not be terminated. Modify its 'disableApiTermination' instance attribute "
                                     "and try again.");
  settle();
  std::map<std::string, std::string> states;
  for (const auto& i : instances()) states[idOf(i)] = stateName(i);
  EXPECT_EQ(states[a1], "running");
  EXPECT_EQ(states[a2], "running");
  EXPECT_EQ(states[b1], "terminated");
  // Lift the protection, then it goes.
  ASSERT_TRUE(call("ModifyInstanceAttribute", R"({"InstanceId":")" + a1 + R"(","DisableApiTermination":{"Value":false}})"));
  auto attr = call("DescribeInstanceAttribute", R"({"InstanceId":")" + a1 + R"(","Attribute":"disableApiTermination"})");
  ASSERT_TRUE(attr);
  EXPECT_FALSE(attr->at("DisableApiTermination").at("Value").as_bool());
  ASSERT_TRUE(call("TerminateInstances", R"({"InstanceIds":[")" + a1 + R"("]})"));
}

TEST_F(InstanceTest, FiltersAndPagination) {
  run(3, 3, R"("InstanceType":"t2.micro","TagSpecifications":[{"ResourceType":"instance","Tags":[{"Key":"Name","Value":"web-1"}]}])");
  run(2, 2, R"("InstanceType":"t3.small","TagSpecifications":[{"ResourceType":"instance","Tags":[{"Key":"Name","Value":"db"}]}])");
  settle();
  EXPECT_EQ(instances(R"({"Filters":[{"Name":"tag:Name","Values":["web-1"]}]})").size(), 3u);
  EXPECT_EQ(instances(R"({"Filters":[{"Name":"tag:Name","Values":["web-?"]}]})").size(), 3u);
  EXPECT_EQ(instances(R"({"Filters":[{"Name":"tag:Name","Values":["web-*","db"]}]})").size(), 5u);
  EXPECT_EQ(instances(R"({"Filters":[{"Name":"tag:Name","Values":["db"]},{"Name":"instance-type","Values":["t2.micro"]}]})").size(), 0u);
  EXPECT_EQ(instances(R"({"Filters":[{"Name":"instance-type","Values":["t3.*"]}]})").size(), 2u);
  EXPECT_EQ(instances(R"({"Filters":[{"Name":"instance-state-name","Values":["running"]}]})").size(), 5u);
  EXPECT_EQ(instances(R"({"Filters":[{"Name":"instance-state-code","Values":["16"]}]})").size(), 5u);
  EXPECT_EQ(instances(R"({"Filters":[{"Name":"tag-key","Values":["Name"]}]})").size(), 5u);
  EXPECT_EQ(instances(R"({"Filters":[{"Name":"image-id","Values":[")" + image() + R"("]}]})").size(), 5u);
  EXPECT_EQ(instances(R"({"Filters":[{"Name":"private-ip-address","Values":["172.31.*"]}]})").size(), 5u);
  auto all = instances();
  auto one = idOf(all[0]);
  EXPECT_EQ(instances(R"({"Filters":[{"Name":"instance-id","Values":[")" + one + R"("]}]})").size(), 1u);
  auto rid = std::string(call("DescribeInstances")->at("Reservations").as_array()[0].at("ReservationId").as_string());
  EXPECT_GE(instances(R"({"Filters":[{"Name":"reservation-id","Values":[")" + rid + R"("]}]})").size(), 2u);
  // Pages of 2 cover all 5 exactly once.
  std::set<std::string> seen;
  std::string token;
  do {
    json::object in{{"MaxResults", 5}};
    if (!token.empty()) in["NextToken"] = token;
    auto page = callJson("DescribeInstances", in);
    ASSERT_TRUE(page);
    for (const auto& res : page->at("Reservations").as_array())
      for (const auto& i : res.at("Instances").as_array()) EXPECT_TRUE(seen.insert(idOf(i.as_object())).second);
    token = page->contains("NextToken") ? std::string(page->at("NextToken").as_string()) : "";
  } while (!token.empty());
  EXPECT_EQ(seen.size(), 5u);
  auto bad = call("DescribeInstances", R"({"Filters":[{"Name":"no-such-filter","Values":["x"]}]})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::InvalidParameterValue);
}

TEST_F(InstanceTest, AttributesNeedTheRightState) {
  auto id = idOf(run(1, 1, R"("UserData":"ZWNobyBoaQ==")").at("Instances").as_array()[0].as_object());
  settle();
  auto ud = call("DescribeInstanceAttribute", R"({"InstanceId":")" + id + R"(","Attribute":"userData"})");
  ASSERT_TRUE(ud);
  EXPECT_EQ(ud->at("UserData").at("Value").as_string(), "ZWNobyBoaQ==");
  auto running = call("ModifyInstanceAttribute", R"({"InstanceId":")" + id + R"(","InstanceType":{"Value":"t2.large"}})");
  ASSERT_FALSE(running);
  EXPECT_EQ(running.error().code(), ErrorCode::IncorrectInstanceState);
  ASSERT_TRUE(call("StopInstances", R"({"InstanceIds":[")" + id + R"("]})"));
  settle();
  ASSERT_TRUE(call("ModifyInstanceAttribute", R"({"InstanceId":")" + id + R"(","Attribute":"instanceType","Value":"t2.large"})"));
  EXPECT_EQ(instances()[0].at("InstanceType").as_string(), "t2.large");
  ASSERT_TRUE(call("ModifyInstanceAttribute", R"({"InstanceId":")" + id + R"(","InstanceInitiatedShutdownBehavior":{"Value":"terminate"}})"));
  auto b = call("DescribeInstanceAttribute", R"({"InstanceId":")" + id + R"(","Attribute":"instanceInitiatedShutdownBehavior"})");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->at("InstanceInitiatedShutdownBehavior").at("Value").as_string(), "terminate");
  auto two = call("ModifyInstanceAttribute", R"({"InstanceId":")" + id + R"(","SourceDestCheck":{"Value":false},"EbsOptimized":{"Value":true}})");
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().code(), ErrorCode::InvalidParameterCombination);
}

TEST_F(InstanceTest, ClientTokenIsIdempotent) {
  auto a = run(2, 2, R"("ClientToken":"tok-1")");
  auto b = run(2, 2, R"("ClientToken":"tok-1")");
  EXPECT_EQ(a.at("ReservationId"), b.at("ReservationId"));
  EXPECT_EQ(instances().size(), 2u);
  auto mismatch = call("RunInstances", R"({"ImageId":")" + image() + R"(","MinCount":3,"MaxCount":3,"ClientToken":"tok-1"})");
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code(), ErrorCode::IdempotentParameterMismatch);
}

TEST_F(InstanceTest, BadInputChangesNothing) {
  auto expect = [&](const std::string& action, const std::string& input, ErrorCode code) {
    auto r = call(action, input);
    ASSERT_FALSE(r) << action << " " << input;
    EXPECT_EQ(r.error().code(), code) << action << " " << input << ": " << r.error().message();
  };
  std::string img = image();
  expect("RunInstances", R"({"ImageId":")" + img + R"(","MinCount":3,"MaxCount":2})", ErrorCode::InvalidParameterValue);
  expect("RunInstances", R"({"ImageId":")" + img + R"(","MinCount":1,"MaxCount":1,"InstanceType":"t9.huge"})", ErrorCode::InvalidParameterValue);
  expect("RunInstances", R"({"ImageId":"ami-00000000000000000","MinCount":1,"MaxCount":1})", ErrorCode::InvalidAMIIDNotFound);
  expect("RunInstances", R"({"ImageId":"garbage","MinCount":1,"MaxCount":1})", ErrorCode::InvalidAMIIDMalformed);
  expect("RunInstances", R"({"ImageId":")" + img + R"(","MinCount":1,"MaxCount":1,"KeyName":"nope"})", ErrorCode::InvalidKeyPairNotFound);
  expect("RunInstances", R"({"ImageId":")" + img + R"(","MinCount":1,"MaxCount":1,"Placement":{"AvailabilityZone":"us-east-1z"}})", ErrorCode::InvalidParameterValue);
  std::string big(16 * 1024 + 3, 'A');  // base64 of > 16 KiB
  big.resize((big.size() / 4) * 4 + 4, 'A');
  expect("RunInstances", R"({"ImageId":")" + img + R"(","MinCount":1,"MaxCount":1,"UserData":")" + std::string(21848, 'A') + R"("})", ErrorCode::InvalidParameterValue);
  expect("TerminateInstances", R"({"InstanceIds":["i-nothex"]})", ErrorCode::InvalidInstanceIDMalformed);
  expect("TerminateInstances", R"({"InstanceIds":["i-0123456789abcdef0"]})", ErrorCode::InvalidInstanceIDNotFound);
  expect("DescribeInstances", R"({"InstanceIds":["i-0123456789abcdef0"]})", ErrorCode::InvalidInstanceIDNotFound);
  EXPECT_TRUE(instances().empty());
  // Another account's instance is not found.
  auto theirs = idOf(run(1, 1, "", kOther).at("Instances").as_array()[0].as_object());
  expect("TerminateInstances", R"({"InstanceIds":[")" + theirs + R"("]})", ErrorCode::InvalidInstanceIDNotFound);
  expect("StopInstances", R"({"InstanceIds":[")" + theirs + R"("]})", ErrorCode::InvalidInstanceIDNotFound);
  EXPECT_TRUE(instances().empty());
}

TEST_F(InstanceTest, PendingInstancesBootAfterARestart) {
  run(2, 2);
  close();
  open();
  auto before = instances();
  ASSERT_EQ(before.size(), 2u);
  EXPECT_EQ(stateName(before[0]), "pending");
  settle();
  for (const auto& i : instances()) EXPECT_EQ(stateName(i), "running");
}

TEST_F(InstanceTest, DescribeInstanceStatusShowsRunningUnlessAllAsked) {
  run(1, 1);
  auto none = call("DescribeInstanceStatus");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->at("InstanceStatuses").as_array().empty());
  auto all = call("DescribeInstanceStatus", R"({"IncludeAllInstances":true})");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->at("InstanceStatuses").as_array().size(), 1u);
  settle();
  auto running = call("DescribeInstanceStatus");
  ASSERT_TRUE(running);
  ASSERT_EQ(running->at("InstanceStatuses").as_array().size(), 1u);
  EXPECT_EQ(running->at("InstanceStatuses").as_array()[0].at("InstanceStatus").at("Status").as_string(), "ok");
}

}  // namespace
}  // namespace overcast::ec2
