#include "services/sqs/model/policy.h"

#include <gtest/gtest.h>

namespace overcast::sqs {
namespace {

constexpr const char* kArn = "arn:aws:sqs:us-east-1:111111111111:q";

PolicyRequest from(std::string account, std::string action = "sqs:SendMessage") {
  return PolicyRequest{std::move(account), "", std::move(action), kArn, "", ""};
}

TEST(Policy, EmptyOrBrokenGrantsNothing) {
  EXPECT_EQ(evaluatePolicy("", from("2")), PolicyDecision::NoMatch);
  EXPECT_EQ(evaluatePolicy("{not json", from("2")), PolicyDecision::NoMatch);
}

TEST(Policy, PrincipalActionResource) {
  const char* p = R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},
                      "Action":"SQS:Send*","Resource":"arn:aws:sqs:us-east-1:111111111111:*"}]})";
  EXPECT_EQ(evaluatePolicy(p, from("222222222222")), PolicyDecision::Allow);
  EXPECT_EQ(evaluatePolicy(p, from("333333333333")), PolicyDecision::NoMatch);
  EXPECT_EQ(evaluatePolicy(p, from("222222222222", "sqs:ReceiveMessage")), PolicyDecision::NoMatch);
  PolicyRequest other = from("222222222222");
  other.resourceArn = "arn:aws:sqs:eu-west-1:111111111111:q";
  EXPECT_EQ(evaluatePolicy(p, other), PolicyDecision::NoMatch);
  EXPECT_EQ(evaluatePolicy(R"({"Statement":{"Effect":"Allow","Principal":"*","Action":"*"}})", from("9")),
            PolicyDecision::Allow);
}

TEST(Policy, DenyWins) {
  const char* p = R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:*"},
                                   {"Effect":"Deny","Principal":{"AWS":["444444444444"]},"Action":"sqs:SendMessage"}]})";
  EXPECT_EQ(evaluatePolicy(p, from("444444444444")), PolicyDecision::Deny);
  EXPECT_EQ(evaluatePolicy(p, from("555555555555")), PolicyDecision::Allow);
}

TEST(Policy, SourceConditionsAndServicePrincipal) {
  const char* p = R"({"Statement":[{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},
      "Action":"sqs:SendMessage","Resource":"*",
      "Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:111111111111:t"}}}]})";
  PolicyRequest sns{"", "sns.amazonaws.com", "sqs:SendMessage", kArn, "arn:aws:sns:us-east-1:111111111111:t", ""};
  EXPECT_EQ(evaluatePolicy(p, sns), PolicyDecision::Allow);
  sns.sourceArn = "arn:aws:sns:us-east-1:111111111111:other";
  EXPECT_EQ(evaluatePolicy(p, sns), PolicyDecision::NoMatch);
  sns.sourceArn = "";
  EXPECT_EQ(evaluatePolicy(p, sns), PolicyDecision::NoMatch);  // the key is absent: no grant
  const char* account = R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage",
      "Condition":{"StringEquals":{"aws:SourceAccount":["111111111111"]}}}]})";
  PolicyRequest r = from("2");
  r.sourceAccount = "111111111111";
  EXPECT_EQ(evaluatePolicy(account, r), PolicyDecision::Allow);
  const char* unknownOperator = R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"*",
      "Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01"}}}]})";
  EXPECT_EQ(evaluatePolicy(unknownOperator, from("2")), PolicyDecision::NoMatch);
}

TEST(Policy, AddAndRemovePermission) {
  auto p = addPermission("", kArn, "grant1", {"222222222222"}, {"SendMessage", "ReceiveMessage"});
  ASSERT_TRUE(p);
  EXPECT_EQ(evaluatePolicy(*p, from("222222222222")), PolicyDecision::Allow);
  EXPECT_EQ(evaluatePolicy(*p, from("222222222222", "sqs:ReceiveMessage")), PolicyDecision::Allow);
  EXPECT_EQ(evaluatePolicy(*p, from("222222222222", "sqs:DeleteMessage")), PolicyDecision::NoMatch);
  auto dup = addPermission(*p, kArn, "grant1", {"3"}, {"*"});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code(), ErrorCode::InvalidParameterValue);
  EXPECT_FALSE(addPermission(*p, kArn, "bad label!", {"3"}, {"*"}));
  auto two = addPermission(*p, kArn, "grant2", {"333333333333"}, {"*"});
  ASSERT_TRUE(two);
  EXPECT_EQ(evaluatePolicy(*two, from("333333333333", "sqs:PurgeQueue")), PolicyDecision::Allow);
  auto one = removePermission(*two, "grant1");
  ASSERT_TRUE(one);
  EXPECT_EQ(evaluatePolicy(*one, from("222222222222")), PolicyDecision::NoMatch);
  EXPECT_FALSE(removePermission(*one, "grant1"));
  auto none = removePermission(*one, "grant2");
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, "");
}

}  // namespace
}  // namespace overcast::sqs
