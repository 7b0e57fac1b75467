#include "services/sqs/model/redrive.h"

#include <gtest/gtest.h>

#include <string>

namespace overcast::sqs {
namespace {

constexpr const char* kArn = "arn:aws:sqs:us-east-1:123456789012:dlq";

TEST(RedriveTest, ParsesNumberOrNumericString) {
  auto a = parseRedrivePolicy(R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq","maxReceiveCount":5})");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->deadLetterTargetArn, kArn);
  EXPECT_EQ(a->maxReceiveCount, 5);
  auto b = parseRedrivePolicy(R"({"maxReceiveCount":"1000","deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:d.fifo"})");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->maxReceiveCount, 1000);
  EXPECT_EQ(b->deadLetterTargetArn, "arn:aws:sqs:us-east-1:123456789012:d.fifo");
  auto c = parseRedrivePolicy(R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq","maxReceiveCount":1})");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->maxReceiveCount, 1);
}

TEST(RedriveTest, RejectsBadPolicies) {
  for (std::string bad : {
           std::string(""), std::string("not json"), std::string("[]"), std::string("5"),
           std::string(R"({"maxReceiveCount":5})"),
           std::string(R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq"})"),
           std::string(R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq","maxReceiveCount":0})"),
           std::string(R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq","maxReceiveCount":1001})"),
           std::string(R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq","maxReceiveCount":-1})"),
           std::string(R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq","maxReceiveCount":2.5})"),
           std::string(R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq","maxReceiveCount":"5x"})"),
           std::string(R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq","maxReceiveCount":"+5"})"),
           std::string(R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq","maxReceiveCount":true})"),
           std::string(R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq","maxReceiveCount":5,"x":1})"),
           std::string(R"({"deadLetterTargetArn":"arn:aws:sns:us-east-1:123456789012:dlq","maxReceiveCount":5})"),
           std::string(R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:12345:dlq","maxReceiveCount":5})"),
           std::string(R"({"deadLetterTargetArn":"arn:aws:sqs::123456789012:dlq","maxReceiveCount":5})"),
           std::string(R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:a:b","maxReceiveCount":5})"),
           std::string(R"({"deadLetterTargetArn":"dlq","maxReceiveCount":5})"),
           std::string(R"({"deadLetterTargetArn":5,"maxReceiveCount":5})"),
       }) {
    auto r = parseRedrivePolicy(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::InvalidParameterValue) << bad;
    EXPECT_NE(r.error().message().find("for parameter RedrivePolicy is invalid"), std::string::npos);
  }
}

TEST(RedriveTest, MissingKeyMessage) {
  auto r = parseRedrivePolicy(R"({"maxReceiveCount":"1000"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            R"(Value {"maxReceiveCount":"1000"} for parameter RedrivePolicy is invalid. Reason: Redrive policy does not contain mandatory attribute: deadLetterTargetArn.)");
}

TEST(RedriveAllowTest, Permissions) {
  auto all = parseRedriveAllowPolicy(R"({"redrivePermission":"allowAll"})");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->allows(kArn));
  auto none = parseRedriveAllowPolicy(R"({"redrivePermission":"denyAll"})");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->allows(kArn));
  auto some = parseRedriveAllowPolicy(
      R"({"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:us-east-1:123456789012:src"]})");
  ASSERT_TRUE(some.ok());
  EXPECT_EQ(some->sourceQueueArns.size(), 1u);
  EXPECT_TRUE(some->allows("arn:aws:sqs:us-east-1:123456789012:src"));
  EXPECT_FALSE(some->allows("arn:aws:sqs:us-east-1:123456789012:other"));
  EXPECT_TRUE(RedriveAllowPolicy{}.allows(kArn));  // the default is allowAll
}

TEST(RedriveAllowTest, ByQueueTakesUpToTenArns) {
  std::string arns;
  for (int i = 0; i < 10; ++i) arns += (i ? "," : "") + std::string("\"arn:aws:sqs:us-east-1:123456789012:q") + std::to_string(i) + "\"";
  auto ten = parseRedriveAllowPolicy(R"({"redrivePermission":"byQueue","sourceQueueArns":[)" + arns + "]}");
  ASSERT_TRUE(ten.ok());
  EXPECT_EQ(ten->sourceQueueArns.size(), 10u);
  auto eleven = parseRedriveAllowPolicy(R"({"redrivePermission":"byQueue","sourceQueueArns":[)" + arns +
                                        R"(,"arn:aws:sqs:us-east-1:123456789012:q10"]})");
  EXPECT_FALSE(eleven.ok());
}

TEST(RedriveAllowTest, RejectsBadPolicies) {
  for (std::string bad : {
           std::string("{}"), std::string("nope"), std::string(R"({"redrivePermission":"allowSome"})"),
           std::string(R"({"redrivePermission":"byQueue"})"),
           std::string(R"({"redrivePermission":"byQueue","sourceQueueArns":[]})"),
           std::string(R"({"redrivePermission":"byQueue","sourceQueueArns":"arn:aws:sqs:us-east-1:123456789012:q"})"),
           std::string(R"({"redrivePermission":"byQueue","sourceQueueArns":["not-an-arn"]})"),
           std::string(R"({"redrivePermission":"allowAll","sourceQueueArns":["arn:aws:sqs:us-east-1:123456789012:q"]})"),
           std::string(R"({"redrivePermission":"denyAll","sourceQueueArns":["arn:aws:sqs:us-east-1:123456789012:q"]})"),
           std::string(R"({"redrivePermission":"allowAll","extra":1})"),
       }) {
    auto r = parseRedriveAllowPolicy(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::InvalidParameterValue) << bad;
  }
}

}  // namespace
}  // namespace overcast::sqs
