// The whole request path without sockets: signed HttpRequest in, HttpResponse out.
#include "api/dispatcher.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "auth/sigv4.h"
#include "fakes/fake_clock.h"
#include "compute/driver.h"
#include "fakes/temp_dir.h"
#include "services/ec2/ec2_service.h"
#include "store/sqlite/sqlite_store.h"
#include "services/sts/sts_service.h"

namespace overcast::api {
namespace {

class MapKeys final : public auth::CredentialStore {
 public:
  std::optional<auth::Credential> find(std::string_view id) const override {
    if (id == "test") return auth::Credential{"test", "test", "000000000000", true};
    if (id == "other") return auth::Credential{"other", "secret2", "111111111111", false};
    return std::nullopt;
  }
};

class Recorder final : public RequestObserver {
 public:
  void onRequest(const RequestRecord& r) override {
    last = std::string(r.service) + " " + std::string(r.action) + " " + std::to_string(r.status) + " " +
           std::string(r.errorCode);
  }
  std::string last;
};

class DispatcherTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { models_ = protocol::ModelRegistry::loadBuiltin()->release(); }
  static void TearDownTestSuite() { delete models_; }

  DispatcherTest() : ids_(makeSequentialIdGenerator()), dispatcher_(*models_, keys_, clock_, *ids_, recorder_, {}) {
    dispatcher_.addService(sts::makeStsService());
    store::SqliteOptions options;
    options.path = (dir_.path() / "db").string();
    db_ = std::move(*store::openSqliteStore(options));
    dispatcher_.addService(std::move(*ec2::makeEc2Service(*db_, clock_, *ids_, *driver_, {})));
  }

  HttpRequest signedPost(std::string body, std::string service, std::string key = "test", std::string secret = "test",
                         TimePoint when = {}) {
    HttpRequest r;
    r.method = "POST";
    r.target = "/";
    r.body = std::move(body);
    r.headers.push_back({"Host", "127.0.0.1:4566"});
    r.headers.push_back({"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"});
    auth::signRequest(r, key, secret, "us-east-1", service, when == TimePoint{} ? clock_.now() : when);
    return r;
  }

  HttpResponse send(HttpRequest r) {
    std::optional<HttpResponse> out;
    dispatcher_.handle(std::move(r), false, [&](HttpResponse&& resp) { out.emplace(std::move(resp)); });
    EXPECT_TRUE(out.has_value());
    return std::move(*out);
  }

  static protocol::ModelRegistry* models_;
  testing::FakeClock clock_;
  std::unique_ptr<IdGenerator> ids_;
  MapKeys keys_;
  Recorder recorder_;
  testing::TempDir dir_;
  std::unique_ptr<compute::Driver> driver_ = compute::makeNoneDriver();
  std::unique_ptr<store::Store> db_;
  Dispatcher dispatcher_;
};
protocol::ModelRegistry* DispatcherTest::models_ = nullptr;

TEST_F(DispatcherTest, GetCallerIdentityEndToEnd) {
  auto resp = send(signedPost("Action=GetCallerIdentity&Version=2011-06-15", "sts"));
  EXPECT_EQ(resp.status, 200);
  EXPECT_NE(resp.body.find("<Account>000000000000</Account>"), std::string::npos) << resp.body;
  EXPECT_NE(resp.body.find("<GetCallerIdentityResult>"), std::string::npos);
  // Request ids come from the injected generator.
  EXPECT_NE(resp.body.find("<RequestId>00000000-0000-4000-8000-000000000001</RequestId>"), std::string::npos)
      << resp.body;
  EXPECT_EQ(recorder_.last, "sts GetCallerIdentity 200 ");
}

TEST_F(DispatcherTest, OtherKeySelectsOtherAccount) {
  auto resp = send(signedPost("Action=GetCallerIdentity&Version=2011-06-15", "sts", "other", "secret2"));
  EXPECT_NE(resp.body.find("<Account>111111111111</Account>"), std::string::npos) << resp.body;
}

TEST_F(DispatcherTest, AuthErrorsPerService) {
  auto wrong = send(signedPost("Action=GetCallerIdentity&Version=2011-06-15", "sts", "test", "nope"));
  EXPECT_EQ(wrong.status, 403);
  EXPECT_NE(wrong.body.find("<Code>SignatureDoesNotMatch</Code>"), std::string::npos) << wrong.body;
  auto unknown = send(signedPost("Action=GetCallerIdentity&Version=2011-06-15", "sts", "nobody", "x"));
  EXPECT_NE(unknown.body.find("<Code>InvalidClientTokenId</Code>"), std::string::npos) << unknown.body;
  auto ec2 = send(signedPost("Action=DescribeRegions&Version=2016-11-15", "ec2", "nobody", "x"));
  EXPECT_EQ(ec2.status, 401);
  EXPECT_NE(ec2.body.find("<Code>AuthFailure</Code>"), std::string::npos) << ec2.body;
  EXPECT_NE(ec2.body.find("<RequestID>"), std::string::npos) << ec2.body;
  auto skewed = send(signedPost("Action=GetCallerIdentity&Version=2011-06-15", "sts", "test", "test",
                                clock_.now() - std::chrono::minutes(6)));
  EXPECT_NE(skewed.body.find("<Code>RequestExpired</Code>"), std::string::npos) << skewed.body;
  HttpRequest unsigned_;
  unsigned_.method = "GET";
  unsigned_.target = "/?Action=GetCallerIdentity";
  auto missing = send(unsigned_);
  EXPECT_EQ(missing.status, 403);
  EXPECT_NE(missing.body.find("MissingAuthenticationToken"), std::string::npos) << missing.body;
}

TEST_F(DispatcherTest, TamperedBodyIsRefused) {
  auto req = signedPost("Action=DescribeRegions&Version=2016-11-15", "ec2");
  req.body[req.body.size() - 1] = '6';
  auto resp = send(std::move(req));
  EXPECT_NE(resp.body.find("AuthFailure"), std::string::npos) << resp.body;
}

TEST_F(DispatcherTest, DecodeErrorsAndDryRun) {
  auto bad = send(signedPost("Action=DescribeAvailabilityZones&Version=2016-11-15&AllAvailabilityZones=maybe", "ec2"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("InvalidParameterValue"), std::string::npos) << bad.body;
  auto dry = send(signedPost("Action=DescribeRegions&Version=2016-11-15&DryRun=true", "ec2"));
  EXPECT_EQ(dry.status, 412);
  EXPECT_NE(dry.body.find("DryRunOperation"), std::string::npos) << dry.body;
  auto unimplemented = send(signedPost("Action=DescribeHosts&Version=2016-11-15", "ec2"));
  EXPECT_EQ(unimplemented.status, 400);
  EXPECT_NE(unimplemented.body.find("InvalidAction"), std::string::npos) << unimplemented.body;
}

TEST_F(DispatcherTest, BodyTooLargeIsAProtocolError) {
  auto req = signedPost("", "ec2");
  std::optional<HttpResponse> out;
  dispatcher_.handle(std::move(req), true, [&](HttpResponse&& r) { out.emplace(std::move(r)); });
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 413);
  EXPECT_TRUE(out->closeConnection);
  EXPECT_NE(out->body.find("RequestEntityTooLarge"), std::string::npos) << out->body;
}

}  // namespace
}  // namespace overcast::api

namespace overcast::api {
namespace {

// An "sns" service that opens ConfirmSubscription to unsigned links, as SNS's does.
class LinkService final : public TableService {
 public:
  LinkService() {
    addSync("ConfirmSubscription", [this](const RequestContext& ctx, const boost::json::object&) -> Result<Output> {
      lastAccount = ctx.accountId;
      return Output{{"SubscriptionArn", "arn:aws:sns:us-east-1:000000000000:t:1"}};
    });
    addSync("CreateTopic", [](const RequestContext&, const boost::json::object& in) -> Result<Output> {
      return Output{{"TopicArn", "arn:aws:sns:us-east-1:000000000000:" + std::string(in.at("Name").as_string())}};
    });
  }
  std::string_view name() const override { return "sns"; }
  bool allowsAnonymous(std::string_view action) const override { return action == "ConfirmSubscription"; }
  std::string lastAccount = "unset";
};

TEST_F(DispatcherTest, OnlyActionsOpenToLinksTakeUnsignedRequests) {
  auto service = std::make_unique<LinkService>();
  LinkService* links = service.get();
  dispatcher_.addService(std::move(service));
  HttpRequest get;
  get.method = "GET";
  get.target = "/?Action=ConfirmSubscription&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At&Token=abc";
  get.headers.push_back({"Host", "127.0.0.1:4566"});
  auto confirmed = send(get);
  EXPECT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(links->lastAccount, "");  // anonymous
  HttpRequest create = get;
  create.target = "/?Action=CreateTopic&Name=t";
  auto refused = send(create);
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("MissingAuthenticationToken"), std::string::npos) << refused.body;
}

TEST_F(DispatcherTest, SnsAnswersJsonWhenAskedWithContentTypeJson) {
  dispatcher_.addService(std::make_unique<LinkService>());
  auto resp = send(signedPost("Action=CreateTopic&Name=t&ContentType=JSON&Version=2010-03-31", "sns"));
  EXPECT_EQ(resp.status, 200) << resp.body;
  EXPECT_EQ(boost::json::parse(resp.body).at("CreateTopicResponse").at("CreateTopicResult").at("TopicArn"),
            "arn:aws:sns:us-east-1:000000000000:t");
  auto xml = send(signedPost("Action=CreateTopic&Name=t&Version=2010-03-31", "sns"));
  EXPECT_NE(xml.body.find("<TopicArn>arn:aws:sns:us-east-1:000000000000:t</TopicArn>"), std::string::npos) << xml.body;
}

}  // namespace
}  // namespace overcast::api
