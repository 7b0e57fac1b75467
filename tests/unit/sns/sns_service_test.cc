// The SNS service without sockets: a real store in a temp dir, a fake clock, and a fake SQS
// that records what the topics send.
#include "services/sns/sns_service.h"

#include <gtest/gtest.h>

#include <future>
#include <mutex>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "fakes/fake_clock.h"
#include "fakes/temp_dir.h"
#include "jobs/job_queue.h"
#include "services/sns/sns_store.h"
#include "store/sqlite/sqlite_store.h"

namespace overcast::sns {
namespace {

namespace json = boost::json;

class RecordingSqs final : public sqs::SqsDelivery {
 public:
  void deliverFromTopic(std::vector<sqs::TopicDelivery> deliveries,
                        std::function<void(std::vector<Result<void>>)> done) override {
    {
      std::lock_guard lock(mu);
      for (auto& d : deliveries) sent.push_back(std::move(d));
    }
    done(std::vector<Result<void>>(deliveries.size()));
  }
  std::mutex mu;
  std::vector<sqs::TopicDelivery> sent;
};

class SnsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::SqliteOptions options;
    options.path = (dir_.path() / "db").string();
    auto db = store::openSqliteStore(options);
    ASSERT_TRUE(db);
    db_ = std::move(*db);
    SnsOptions o;
    o.signingDir = dir_.path() / "keys";
    o.mail.outboxDir = dir_.path() / "mail";
    auto service = makeSnsService(*db_, clock_, *ids_, sqs_, o);
    ASSERT_TRUE(service) << service.error().message();
    service_ = std::move(*service);
  }
  void TearDown() override {
    service_->stop();
    service_.reset();
    db_->close();
  }

  Result<json::object> call(const std::string& action, const std::string& input) {
    RequestContext ctx;
    ctx.requestId = "r";
    ctx.accountId = "000000000000";
    ctx.region = "us-east-1";
    ctx.service = "sns";
    ctx.action = action;
    ctx.host = "127.0.0.1:4566";
    ctx.now = clock_.now();
    ctx.ids = ids_.get();
    std::promise<Result<json::object>> out;
    service_->invoke(ctx, json::parse(input).as_object(), [&](Result<json::object> r) { out.set_value(std::move(r)); });
    return out.get_future().get();
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<IdGenerator> ids_ = makeSequentialIdGenerator();
  std::unique_ptr<store::Store> db_;
  RecordingSqs sqs_;
  std::unique_ptr<api::Service> service_;
};

TEST_F(SnsServiceTest, PublishSendsOneSignedCopyPerMatchingQueue) {
  auto topic = call("CreateTopic", R"({"Name":"t"})");
  ASSERT_TRUE(topic) << topic.error().message();
  const std::string arn(topic->at("TopicArn").as_string());
  ASSERT_TRUE(call("Subscribe", R"({"TopicArn":")" + arn +
                                    R"(","Protocol":"sqs","Endpoint":"arn:aws:sqs:us-east-1:000000000000:all"})"));
  ASSERT_TRUE(call("Subscribe", R"({"TopicArn":")" + arn +
                                    R"(","Protocol":"sqs","Endpoint":"arn:aws:sqs:us-east-1:000000000000:red",)"
                                    R"("Attributes":{"FilterPolicy":"{\"color\":[\"red\"]}","RawMessageDelivery":"true"}})"));
  auto published = call("Publish", R"({"TopicArn":")" + arn + R"(","Message":"hi",)"
                                   R"("MessageAttributes":{"color":{"DataType":"String","StringValue":"blue"}}})");
  ASSERT_TRUE(published) << published.error().message();
  std::lock_guard lock(sqs_.mu);
  ASSERT_EQ(sqs_.sent.size(), 1u);  // the red-only subscription filtered it out
  EXPECT_EQ(sqs_.sent[0].queueArn, "arn:aws:sqs:us-east-1:000000000000:all");
  EXPECT_EQ(sqs_.sent[0].topicOwner, "000000000000");
  auto doc = json::parse(sqs_.sent[0].input.at("MessageBody").as_string()).as_object();
  EXPECT_EQ(doc.at("Message"), "hi");
  EXPECT_EQ(doc.at("MessageId"), published->at("MessageId"));
  EXPECT_EQ(doc.at("Timestamp"), "2024-01-01T00:00:00.000Z");  // the injected clock
  EXPECT_TRUE(doc.contains("Signature"));
}

TEST_F(SnsServiceTest, ConfirmationTokensExpireAfterTwoDays) {
  auto topic = call("CreateTopic", R"({"Name":"t"})");
  ASSERT_TRUE(topic);
  const std::string arn(topic->at("TopicArn").as_string());
  for (const char* who : {"a@example.com", "b@example.com"})
    ASSERT_TRUE(call("Subscribe", R"({"TopicArn":")" + arn + R"(","Protocol":"email","Endpoint":")" + who + "\"}"));
  // The tokens went out by mail; read them back from the store.
  std::vector<std::string> tokens;
  ASSERT_TRUE(db_->read([&](store::ReadTxn& txn) -> Result<void> {
    auto rows = txn.query("SELECT token FROM sns_subscriptions ORDER BY endpoint");
    if (!rows) return rows.error();
    for (const auto& r : *rows) tokens.push_back(r.text(0));
    return {};
  }));
  ASSERT_EQ(tokens.size(), 2u);
  clock_.advance(std::chrono::hours(47));
  EXPECT_TRUE(call("ConfirmSubscription", R"({"TopicArn":")" + arn + R"(","Token":")" + tokens[0] + "\"}"));
  clock_.advance(std::chrono::hours(2));
  auto late = call("ConfirmSubscription", R"({"TopicArn":")" + arn + R"(","Token":")" + tokens[1] + "\"}");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code(), ErrorCode::InvalidParameter);
  EXPECT_EQ(late.error().message(), "Invalid parameter: Token");
}

TEST_F(SnsServiceTest, AnUnconfirmedSubscriptionIsDeletedAfterThreeDays) {
  auto topic = call("CreateTopic", R"({"Name":"t"})");
  ASSERT_TRUE(topic);
  const std::string arn(topic->at("TopicArn").as_string());
  for (const char* who : {"late@example.com", "kept@example.com"})
    ASSERT_TRUE(call("Subscribe", R"({"TopicArn":")" + arn + R"(","Protocol":"email","Endpoint":")" + who + "\"}"));
  std::string keptToken;
  std::vector<jobs::Job> expiries;
  ASSERT_TRUE(db_->read([&](store::ReadTxn& txn) -> Result<void> {
    auto token = txn.queryOne("SELECT token FROM sns_subscriptions WHERE endpoint = 'kept@example.com'");
    if (!token) return token.error();
    keptToken = (*token)->text(0);
    auto rows = txn.query("SELECT id, kind, target, payload, next_run_at FROM jobs WHERE payload LIKE '%Expire%'");
    if (!rows) return rows.error();
    for (const auto& r : *rows) {
      EXPECT_EQ(r.integer(4), jobs::toMillis(clock_.now() + std::chrono::hours(72)));  // due in three days
      expiries.push_back(jobs::Job{r.integer(0), r.text(1), r.text(2), r.text(3), 1, 101, clock_.now()});
    }
    return {};
  }));
  ASSERT_EQ(expiries.size(), 2u);
  ASSERT_TRUE(call("ConfirmSubscription", R"({"TopicArn":")" + arn + R"(","Token":")" + keptToken + "\"}"));
  clock_.advance(std::chrono::hours(72));
  auto* handle = snsHandleOf(*service_);
  for (const auto& job : expiries) EXPECT_TRUE(std::holds_alternative<jobs::Done>(handle->runDelivery(job)));
  auto listed = call("ListSubscriptionsByTopic", R"({"TopicArn":")" + arn + "\"}");
  ASSERT_TRUE(listed);
  const auto& subs = listed->at("Subscriptions").as_array();
  ASSERT_EQ(subs.size(), 1u);
  EXPECT_EQ(subs[0].at("Endpoint"), "kept@example.com");
}

TEST_F(SnsServiceTest, AConfirmationClaimedBeforeTheSubscriptionIsInMemoryIsStillSent) {
  auto topic = call("CreateTopic", R"({"Name":"t"})");
  ASSERT_TRUE(topic);
  const std::string arn(topic->at("TopicArn").as_string());
  // The row is committed (as Subscribe's transaction commits it) but memory has not heard yet.
  Subscription s;
  s.arn = arn + ":early";
  s.topicArn = arn;
  s.owner = "000000000000";
  s.protocol = Protocol::Email;
  s.endpoint = "early@example.com";
  s.token = "tok";
  ASSERT_TRUE(db_->writeSync([&](store::WriteTxn& txn) { return upsertSubscription(txn, s); }));
  json::object payload{{"type", "SubscriptionConfirmation"}, {"messageId", "m"}, {"topicArn", arn},
                       {"subscription", s.arn}, {"protocol", "email"}, {"endpoint", s.endpoint},
                       {"document", "{}"}, {"subscribeUrl", "http://127.0.0.1:4566/?Action=ConfirmSubscription"}};
  jobs::Job job{1, std::string(kSnsDeliveryJobKind), s.arn, json::serialize(payload), 1, 101, clock_.now()};
  EXPECT_TRUE(std::holds_alternative<jobs::Done>(snsHandleOf(*service_)->runDelivery(job)));
  auto mails = Mailer::listOutbox(dir_.path() / "mail");
  ASSERT_TRUE(mails);
  ASSERT_EQ(mails->size(), 1u);
  EXPECT_EQ((*mails)[0].to, "early@example.com");
}

TEST_F(SnsServiceTest, TopicsAndSubscriptionsSurviveARestart) {
  auto topic = call("CreateTopic", R"({"Name":"kept","Attributes":{"DisplayName":"Kept"}})");
  ASSERT_TRUE(topic);
  const std::string arn(topic->at("TopicArn").as_string());
  ASSERT_TRUE(call("Subscribe", R"({"TopicArn":")" + arn +
                                    R"(","Protocol":"sqs","Endpoint":"arn:aws:sqs:us-east-1:000000000000:q"})"));
  service_->stop();
  SnsOptions o;
  o.signingDir = dir_.path() / "keys";
  o.mail.outboxDir = dir_.path() / "mail";
  auto again = makeSnsService(*db_, clock_, *ids_, sqs_, o);
  ASSERT_TRUE(again);
  service_ = std::move(*again);
  auto attrs = call("GetTopicAttributes", R"({"TopicArn":")" + arn + "\"}");
  ASSERT_TRUE(attrs);
  EXPECT_EQ(attrs->at("Attributes").at("DisplayName"), "Kept");
  EXPECT_EQ(attrs->at("Attributes").at("SubscriptionsConfirmed"), "1");
}

}  // namespace
}  // namespace overcast::sns
