#include "api/router.h"

#include <gtest/gtest.h>

namespace overcast::api {
namespace {

using protocol::Protocol;

class RouterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { models_ = protocol::ModelRegistry::loadBuiltin()->release(); }
  static void TearDownTestSuite() { delete models_; }

  Result<Route> routeOf(HttpRequest req, const std::string& form, const auth::SignatureInfo* sig = nullptr) {
    auto params = protocol::parseFormEncoded(form);
    EXPECT_TRUE(params);
    Route partial;
    auto r = route(req, *params, sig, *models_, "us-east-1", partial);
    last_ = partial;
    return r;
  }
  static HttpRequest post(std::string host = "127.0.0.1:4566") {
    HttpRequest r;
    r.method = "POST";
    r.target = "/";
    r.headers.push_back({"Host", std::move(host)});
    r.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
    return r;
  }
  static auth::SignatureInfo scope(std::string region, std::string service) {
    auth::SignatureInfo s;
    s.scope = {"20260101", std::move(region), std::move(service)};
    return s;
  }

  static protocol::ModelRegistry* models_;
  Route last_;
};
protocol::ModelRegistry* RouterTest::models_ = nullptr;

TEST_F(RouterTest, ServiceAndRegionFromTheCredentialScope) {
  auto s = scope("eu-west-1", "ec2");
  auto r = routeOf(post(), "Action=DescribeRegions&Version=2016-11-15", &s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->model->name(), "ec2");
  EXPECT_EQ(r->wire, Protocol::Ec2);
  EXPECT_EQ(r->region, "eu-west-1");
  EXPECT_EQ(r->action, "DescribeRegions");
}

TEST_F(RouterTest, Boto2ScopeFallsBackToActionAndDefaultRegion) {
  auto s = scope("0", "127");  // boto 2 against 127.0.0.1
  auto r = routeOf(post(), "Action=DescribeAvailabilityZones&Version=2014-10-01", &s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->model->name(), "ec2");
  EXPECT_EQ(r->region, "us-east-1");
}

TEST_F(RouterTest, HostNameGivesServiceAndRegion) {
  auto r = routeOf(post("sts.ap-south-1.amazonaws.com"), "Action=GetCallerIdentity");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->model->name(), "sts");
  EXPECT_EQ(r->region, "ap-south-1");
}

TEST_F(RouterTest, SharedActionsDecidedByVersionThenParameters) {
  auto sqs = routeOf(post(), "Action=AddPermission&Version=2012-11-05&QueueUrl=x");
  ASSERT_TRUE(sqs);
  EXPECT_EQ(sqs->model->name(), "sqs");
  EXPECT_EQ(sqs->wire, Protocol::Query);
  auto sns = routeOf(post(), "Action=AddPermission&Version=2010-03-31&TopicArn=x");
  ASSERT_TRUE(sns);
  EXPECT_EQ(sns->model->name(), "sns");
  auto byParam = routeOf(post(), "Action=TagResource&ResourceArn=arn:aws:sns:us-east-1:1:t");
  ASSERT_TRUE(byParam);
  EXPECT_EQ(byParam->model->name(), "sns");
  auto byQueue = routeOf(post(), "Action=RemovePermission&QueueUrl=http://x/1/q");
  ASSERT_TRUE(byQueue);
  EXPECT_EQ(byQueue->model->name(), "sqs");
}

TEST_F(RouterTest, JsonTargetSelectsSqsJson) {
  auto req = post();
  req.headers.push_back({"X-Amz-Target", "AmazonSQS.SendMessage"});
  req.headers[1].value = "application/x-amz-json-1.0";
  auto r = routeOf(req, "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->model->name(), "sqs");
  EXPECT_EQ(r->wire, Protocol::Json);
  EXPECT_EQ(r->action, "SendMessage");
}

TEST_F(RouterTest, UnknownOrMissingActions) {
  auto none = routeOf(post(), "Version=2016-11-15");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code(), ErrorCode::InvalidAction);
  auto s = scope("us-east-1", "ec2");
  auto unknown = routeOf(post(), "Action=NoSuchThing", &s);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), ErrorCode::InvalidAction);
  EXPECT_EQ(last_.model->name(), "ec2");  // errors are still written in EC2's format
  auto req = post();
  req.headers.push_back({"X-Amz-Target", "AmazonSQS.NoSuchThing"});
  auto json = routeOf(req, "");
  ASSERT_FALSE(json);
  EXPECT_EQ(json.error().code(), ErrorCode::UnknownOperation);
}

}  // namespace
}  // namespace overcast::api
