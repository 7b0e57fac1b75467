#include "services/sns/model/sns_rules.h"

#include <gtest/gtest.h>

namespace overcast::sns {
namespace {

TEST(SnsRules, TopicNames) {
  EXPECT_TRUE(isValidTopicName("a", false));
  EXPECT_TRUE(isValidTopicName(std::string(256, 'x'), false));
  EXPECT_FALSE(isValidTopicName(std::string(257, 'x'), false));
  EXPECT_FALSE(isValidTopicName("", false));
  EXPECT_FALSE(isValidTopicName("has space", false));
  EXPECT_FALSE(isValidTopicName("orders.fifo", false));  // '.' is only for the FIFO suffix
  EXPECT_TRUE(isValidTopicName("orders.fifo", true));
  EXPECT_FALSE(isValidTopicName("orders", true));
  EXPECT_FALSE(isValidTopicName(".fifo", true));
}

TEST(SnsRules, Arns) {
  auto t = parseArn("arn:aws:sns:eu-west-1:123456789012:alerts", "sns");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->region, "eu-west-1");
  EXPECT_EQ(t->account, "123456789012");
  EXPECT_EQ(t->resource, "alerts");
  EXPECT_FALSE(parseArn("arn:aws:sqs:eu-west-1:123456789012:alerts", "sns"));
  EXPECT_FALSE(parseArn("arn:aws:sns:eu-west-1:1234:alerts", "sns"));
  EXPECT_FALSE(parseArn("arn:aws:sns:eu-west-1:123456789012:", "sns"));
  EXPECT_EQ(topicArnOf("us-east-1", "000000000000", "t"), "arn:aws:sns:us-east-1:000000000000:t");
  EXPECT_EQ(topicArnOfSubscription("arn:aws:sns:us-east-1:000000000000:t:6a1b"),
            std::optional<std::string>("arn:aws:sns:us-east-1:000000000000:t"));
  EXPECT_FALSE(topicArnOfSubscription("arn:aws:sns:us-east-1:000000000000:t"));
}

TEST(SnsRules, EndpointsMatchTheirProtocol) {
  EXPECT_TRUE(validateEndpoint(Protocol::Http, "http://127.0.0.1:8080/hook").ok());
  EXPECT_FALSE(validateEndpoint(Protocol::Https, "http://127.0.0.1/hook").ok());
  EXPECT_FALSE(validateEndpoint(Protocol::Http, "ftp://x").ok());
  EXPECT_TRUE(validateEndpoint(Protocol::Email, "a@b.c").ok());
  EXPECT_FALSE(validateEndpoint(Protocol::Email, "nobody").ok());
  EXPECT_FALSE(validateEndpoint(Protocol::EmailJson, "a@b.c\r\nBcc: x@y").ok());
  EXPECT_TRUE(validateEndpoint(Protocol::Sqs, "arn:aws:sqs:us-east-1:000000000000:q").ok());
  auto bad = validateEndpoint(Protocol::Sqs, "https://sqs/000000000000/q");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::InvalidParameter);
  EXPECT_EQ(bad.error().message(), "Invalid parameter: SQS endpoint ARN");
}

TEST(SnsRules, TopicAttributes) {
  EXPECT_TRUE(validateTopicAttribute("DisplayName", "Ops", false, false).ok());
  EXPECT_FALSE(validateTopicAttribute("DisplayName", std::string(101, 'x'), false, false).ok());
  EXPECT_TRUE(validateTopicAttribute("FifoTopic", "true", true, true).ok());
  EXPECT_FALSE(validateTopicAttribute("FifoTopic", "true", false, true).ok());  // creation only
  EXPECT_FALSE(validateTopicAttribute("ContentBasedDeduplication", "true", false, false).ok());
  EXPECT_TRUE(validateTopicAttribute("ContentBasedDeduplication", "true", false, true).ok());
  EXPECT_TRUE(validateTopicAttribute("SignatureVersion", "2", false, false).ok());
  EXPECT_FALSE(validateTopicAttribute("SignatureVersion", "3", false, false).ok());
  EXPECT_FALSE(validateTopicAttribute("Policy", "{not json", false, false).ok());
  EXPECT_FALSE(validateTopicAttribute("NoSuchAttribute", "x", false, false).ok());
  EXPECT_FALSE(validateTopicAttribute("DeliveryPolicy",
                                      R"({"http":{"defaultHealthyRetryPolicy":{"numRetries":101}}})", false, false).ok());
}

TEST(SnsRules, SubscriptionAttributes) {
  EXPECT_TRUE(validateSubscriptionAttribute("RawMessageDelivery", "true", Protocol::Sqs).ok());
  EXPECT_FALSE(validateSubscriptionAttribute("RawMessageDelivery", "true", Protocol::Email).ok());
  EXPECT_FALSE(validateSubscriptionAttribute("RawMessageDelivery", "yes", Protocol::Sqs).ok());
  EXPECT_TRUE(validateSubscriptionAttribute("FilterPolicyScope", "MessageBody", Protocol::Sqs).ok());
  EXPECT_FALSE(validateSubscriptionAttribute("FilterPolicyScope", "Body", Protocol::Sqs).ok());
  EXPECT_TRUE(validateSubscriptionAttribute(
                  "RedrivePolicy", R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq"})", Protocol::Http)
                  .ok());
  EXPECT_FALSE(validateSubscriptionAttribute("RedrivePolicy", R"({"deadLetterTargetArn":"x"})", Protocol::Http).ok());
  EXPECT_FALSE(validateSubscriptionAttribute("DeliveryPolicy", "{}", Protocol::Sqs).ok());
  EXPECT_TRUE(validateSubscriptionAttribute("DeliveryPolicy", R"({"healthyRetryPolicy":{"numRetries":5}})",
                                            Protocol::Https).ok());
  EXPECT_FALSE(validateSubscriptionAttribute("Color", "red", Protocol::Sqs).ok());
}

TEST(SnsRules, RetryPolicyInForce) {
  RetryPolicy def = httpRetryPolicy("", "");
  EXPECT_EQ(def.numRetries, 3);
  EXPECT_EQ(retryDelaySeconds(def, 1), 20);
  EXPECT_EQ(retryDelaySeconds(def, 3), 20);
  const std::string topic = R"({"http":{"defaultHealthyRetryPolicy":{"numRetries":7,"minDelayTarget":5,"maxDelayTarget":5}}})";
  EXPECT_EQ(httpRetryPolicy("", topic).numRetries, 7);
  const std::string sub = R"({"healthyRetryPolicy":{"numRetries":2,"minDelayTarget":1,"maxDelayTarget":1}})";
  EXPECT_EQ(httpRetryPolicy(sub, topic).numRetries, 2);
  const std::string locked =
      R"({"http":{"disableSubscriptionOverrides":true,"defaultHealthyRetryPolicy":{"numRetries":7}}})";
  EXPECT_EQ(httpRetryPolicy(sub, locked).numRetries, 7);
}

TEST(SnsRules, RetryDelaysFollowThePhases) {
  RetryPolicy p;
  p.numRetries = 6;
  p.numNoDelayRetries = 1;
  p.numMinDelayRetries = 1;
  p.numMaxDelayRetries = 1;
  p.minDelaySeconds = 2;
  p.maxDelaySeconds = 32;
  p.backoffFunction = "exponential";
  EXPECT_EQ(retryDelaySeconds(p, 1), 0);   // immediate
  EXPECT_EQ(retryDelaySeconds(p, 2), 2);   // pre-backoff
  EXPECT_EQ(retryDelaySeconds(p, 3), 2);   // backoff starts at the minimum...
  EXPECT_EQ(retryDelaySeconds(p, 4), 8);   // ...grows geometrically...
  EXPECT_EQ(retryDelaySeconds(p, 5), 32);  // ...to the maximum
  EXPECT_EQ(retryDelaySeconds(p, 6), 32);  // post-backoff
  p.backoffFunction = "linear";
  EXPECT_EQ(retryDelaySeconds(p, 4), 17);
}

TEST(SnsRules, QueryEncodeAndDefaults) {
  EXPECT_EQ(queryEncode("arn:aws:sns:us-east-1:0:t"), "arn%3Aaws%3Asns%3Aus-east-1%3A0%3At");
  EXPECT_EQ(queryEncode("a b/~"), "a%20b%2F~");
  const std::string policy = defaultTopicPolicy("arn:aws:sns:us-east-1:000000000000:t", "000000000000");
  EXPECT_NE(policy.find("\"Resource\":\"arn:aws:sns:us-east-1:000000000000:t\""), std::string::npos);
  EXPECT_NE(policy.find("\"AWS:SourceOwner\":\"000000000000\""), std::string::npos);
}

}  // namespace
}  // namespace overcast::sns
