#include "services/sqs/model/queue_attributes.h"

#include <gtest/gtest.h>

#include <string>

namespace overcast::sqs {
namespace {

Result<QueueSettings> create(const AttributeMap& attributes, bool fifoName = false) {
  return applyAttributes(QueueSettings{}, attributes, /*creating=*/true, fifoName);
}

Result<QueueSettings> set(const QueueSettings& base, const AttributeMap& attributes) {
  return applyAttributes(base, attributes, /*creating=*/false, base.fifoQueue);
}

void expectError(const Result<QueueSettings>& r, ErrorCode code, const std::string& message = {}) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), code) << r.error().message();
  if (!message.empty()) {
    EXPECT_EQ(r.error().message(), message);
  }
}

QueueSettings fifoQueue() {
  auto r = create({{"FifoQueue", "true"}}, true);
  EXPECT_TRUE(r.ok());
  return *r;
}

TEST(QueueAttributesTest, DefaultsAsAws) {
  auto r = create({});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, QueueSettings{});
  EXPECT_EQ(r->visibilityTimeout, 30);
  EXPECT_EQ(r->maximumMessageSize, 1048576);
  EXPECT_EQ(r->messageRetentionPeriod, 345600);
  EXPECT_TRUE(r->sqsManagedSseEnabled);
}

struct RangeCase {
  const char* name;
  int64_t min;
  int64_t max;
  int64_t QueueSettings::*field;
};

TEST(QueueAttributesTest, IntegerRangesInclusive) {
  const RangeCase cases[] = {
      {"VisibilityTimeout", 0, 43200, &QueueSettings::visibilityTimeout},
      {"MaximumMessageSize", 1024, 1048576, &QueueSettings::maximumMessageSize},
      {"MessageRetentionPeriod", 60, 1209600, &QueueSettings::messageRetentionPeriod},
      {"DelaySeconds", 0, 900, &QueueSettings::delaySeconds},
      {"ReceiveMessageWaitTimeSeconds", 0, 20, &QueueSettings::receiveMessageWaitTimeSeconds},
      {"KmsDataKeyReusePeriodSeconds", 60, 86400, &QueueSettings::kmsDataKeyReusePeriodSeconds},
  };
  for (const auto& c : cases) {
    for (int64_t ok : {c.min, c.max}) {
      auto r = create({{c.name, std::to_string(ok)}});
      ASSERT_TRUE(r.ok()) << c.name << "=" << ok;
      EXPECT_EQ((*r).*c.field, ok);
    }
    for (int64_t bad : {c.min - 1, c.max + 1})
      expectError(create({{c.name, std::to_string(bad)}}), ErrorCode::InvalidAttributeValue,
                  std::string("Invalid value for the parameter ") + c.name + ".");
  }
}

TEST(QueueAttributesTest, IntegersArePlainDecimal) {
  for (std::string bad : {"1e3", " 30", "30 ", "30s", "+30", "-0", "", "3.0", "0x10", "99999999999999999999"})
    expectError(create({{"VisibilityTimeout", bad}}), ErrorCode::InvalidAttributeValue,
                "Invalid value for the parameter VisibilityTimeout.");
  auto r = create({{"VisibilityTimeout", "045"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->visibilityTimeout, 45);
}

TEST(QueueAttributesTest, UnknownAndReadOnlyNames) {
  expectError(create({{"Bogus", "1"}}), ErrorCode::InvalidAttributeName, "Unknown Attribute Bogus.");
  expectError(create({{"QueueArn", "x"}}), ErrorCode::InvalidAttributeName, "Unknown Attribute QueueArn.");
  expectError(create({{"ApproximateNumberOfMessages", "0"}}), ErrorCode::InvalidAttributeName);
  expectError(create({{"visibilitytimeout", "1"}}), ErrorCode::InvalidAttributeName);
  expectError(create({{"All", "1"}}), ErrorCode::InvalidAttributeName);
}

TEST(QueueAttributesTest, FifoNeedsFifoNameAndViceVersa) {
  auto fifo = create({{"FifoQueue", "true"}}, true);
  ASSERT_TRUE(fifo.ok());
  EXPECT_TRUE(fifo->fifoQueue);
  auto upper = create({{"FifoQueue", "TRUE"}}, true);
  ASSERT_TRUE(upper.ok());
  EXPECT_TRUE(upper->fifoQueue);
  expectError(create({{"FifoQueue", "true"}}, false), ErrorCode::InvalidParameterValue,
              "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end "
              "with .fifo suffix and be 1 to 80 in length.");
  expectError(create({}, true), ErrorCode::InvalidParameterValue);
  expectError(create({{"FifoQueue", "false"}}, true), ErrorCode::InvalidParameterValue);
  expectError(create({{"FifoQueue", "yes"}}, true), ErrorCode::InvalidAttributeValue);
  auto standard = create({{"FifoQueue", "false"}});
  ASSERT_TRUE(standard.ok());
  EXPECT_FALSE(standard->fifoQueue);
}

TEST(QueueAttributesTest, FifoOnlyAttributes) {
  expectError(create({{"ContentBasedDeduplication", "true"}}), ErrorCode::InvalidAttributeName,
              "Unknown Attribute ContentBasedDeduplication.");
  expectError(create({{"DeduplicationScope", "queue"}}), ErrorCode::InvalidAttributeName);
  expectError(create({{"FifoThroughputLimit", "perQueue"}}), ErrorCode::InvalidAttributeName);
  auto r = create({{"FifoQueue", "true"},
                   {"ContentBasedDeduplication", "True"},
                   {"DeduplicationScope", "messageGroup"},
                   {"FifoThroughputLimit", "perMessageGroupId"}},
                  true);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->contentBasedDeduplication);
  EXPECT_EQ(r->deduplicationScope, "messageGroup");
  EXPECT_EQ(r->fifoThroughputLimit, "perMessageGroupId");
  expectError(set(*r, {{"DeduplicationScope", "group"}}), ErrorCode::InvalidAttributeValue);
  expectError(set(*r, {{"FifoThroughputLimit", "perGroup"}}), ErrorCode::InvalidAttributeValue);
  expectError(set(*r, {{"ContentBasedDeduplication", "1"}}), ErrorCode::InvalidAttributeValue);
}

TEST(QueueAttributesTest, FifoQueueCannotChangeAfterCreation) {
  expectError(set(fifoQueue(), {{"FifoQueue", "false"}}), ErrorCode::InvalidAttributeValue);
  expectError(set(QueueSettings{}, {{"FifoQueue", "true"}}), ErrorCode::InvalidAttributeValue);
}

TEST(QueueAttributesTest, SetKeepsOtherValues) {
  auto base = create({{"VisibilityTimeout", "60"}, {"DelaySeconds", "5"}});
  ASSERT_TRUE(base.ok());
  auto r = set(*base, {{"DelaySeconds", "7"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->visibilityTimeout, 60);
  EXPECT_EQ(r->delaySeconds, 7);
  // A failing set changes nothing: the caller keeps `base`.
  expectError(set(*base, {{"DelaySeconds", "8"}, {"VisibilityTimeout", "x"}}), ErrorCode::InvalidAttributeValue);
}

TEST(QueueAttributesTest, PolicyMustBeJsonObjectAndEmptyClears) {
  const std::string policy = R"({"Version":"2012-10-17","Statement":[]})";
  auto r = create({{"Policy", policy}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->policy, policy);
  for (std::string bad : {"[]", "nope", "{", "\"s\""})
    expectError(create({{"Policy", bad}}), ErrorCode::InvalidAttributeValue, "Invalid value for the parameter Policy.");
  auto cleared = set(*r, {{"Policy", ""}});
  ASSERT_TRUE(cleared.ok());
  EXPECT_EQ(cleared->policy, "");
}

TEST(QueueAttributesTest, RedrivePoliciesValidatedAndEmptyClears) {
  const std::string redrive = R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq","maxReceiveCount":"3"})";
  auto r = create({{"RedrivePolicy", redrive}, {"RedriveAllowPolicy", R"({"redrivePermission":"denyAll"})"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->redrivePolicy, redrive);
  EXPECT_EQ(r->redriveAllowPolicy, R"({"redrivePermission":"denyAll"})");
  EXPECT_FALSE(create({{"RedrivePolicy", R"({"maxReceiveCount":3})"}}).ok());
  EXPECT_FALSE(create({{"RedriveAllowPolicy", R"({"redrivePermission":"maybe"})"}}).ok());
  auto cleared = set(*r, {{"RedrivePolicy", ""}, {"RedriveAllowPolicy", ""}});
  ASSERT_TRUE(cleared.ok());
  EXPECT_EQ(cleared->redrivePolicy, "");
  EXPECT_EQ(cleared->redriveAllowPolicy, "");
}

TEST(QueueAttributesTest, KmsAndSqsManagedSse) {
  auto kms = create({{"KmsMasterKeyId", "alias/aws/sqs"}});
  ASSERT_TRUE(kms.ok());
  EXPECT_EQ(kms->kmsMasterKeyId, "alias/aws/sqs");
  EXPECT_FALSE(kms->sqsManagedSseEnabled);
  expectError(create({{"KmsMasterKeyId", "alias/x"}, {"SqsManagedSseEnabled", "true"}}),
              ErrorCode::InvalidAttributeValue);
  auto back = set(*kms, {{"SqsManagedSseEnabled", "true"}});
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->sqsManagedSseEnabled);
  EXPECT_EQ(back->kmsMasterKeyId, "");
  auto off = create({{"SqsManagedSseEnabled", "false"}});
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->sqsManagedSseEnabled);
}

QueueFacts facts() {
  QueueFacts f;
  f.queueArn = "arn:aws:sqs:us-east-1:123456789012:q";
  f.createdTimestamp = 1700000000;
  f.lastModifiedTimestamp = 1700000123;
  f.approximateNumberOfMessages = 4;
  f.approximateNumberOfMessagesNotVisible = 2;
  f.approximateNumberOfMessagesDelayed = 1;
  return f;
}

TEST(QueueAttributesTest, RenderAllOnStandardQueue) {
  auto r = renderAttributes(QueueSettings{}, facts(), {"All"});
  ASSERT_TRUE(r.ok());
  const AttributeMap expected{
      {"QueueArn", "arn:aws:sqs:us-east-1:123456789012:q"},
      {"ApproximateNumberOfMessages", "4"},
      {"ApproximateNumberOfMessagesNotVisible", "2"},
      {"ApproximateNumberOfMessagesDelayed", "1"},
      {"CreatedTimestamp", "1700000000"},
      {"LastModifiedTimestamp", "1700000123"},
      {"VisibilityTimeout", "30"},
      {"MaximumMessageSize", "1048576"},
      {"MessageRetentionPeriod", "345600"},
      {"DelaySeconds", "0"},
      {"ReceiveMessageWaitTimeSeconds", "0"},
      {"SqsManagedSseEnabled", "true"},
  };
  EXPECT_EQ(*r, expected);
}

TEST(QueueAttributesTest, RenderAllOnFifoQueueWithOptionals) {
  auto s = create({{"FifoQueue", "true"},
                   {"Policy", "{}"},
                   {"KmsMasterKeyId", "alias/k"},
                   {"KmsDataKeyReusePeriodSeconds", "600"}},
                  true);
  ASSERT_TRUE(s.ok());
  auto r = renderAttributes(*s, facts(), {"All"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->at("FifoQueue"), "true");
  EXPECT_EQ(r->at("ContentBasedDeduplication"), "false");
  EXPECT_EQ(r->at("DeduplicationScope"), "queue");
  EXPECT_EQ(r->at("FifoThroughputLimit"), "perQueue");
  EXPECT_EQ(r->at("Policy"), "{}");
  EXPECT_EQ(r->at("KmsMasterKeyId"), "alias/k");
  EXPECT_EQ(r->at("KmsDataKeyReusePeriodSeconds"), "600");
  EXPECT_EQ(r->at("SqsManagedSseEnabled"), "false");
  EXPECT_EQ(r->count("RedrivePolicy"), 0u);
}

TEST(QueueAttributesTest, RenderExplicitNames) {
  auto r = renderAttributes(QueueSettings{}, facts(), {"VisibilityTimeout", "FifoQueue", "Policy", "QueueArn"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (AttributeMap{{"VisibilityTimeout", "30"}, {"QueueArn", "arn:aws:sqs:us-east-1:123456789012:q"}}));
  auto none = renderAttributes(QueueSettings{}, facts(), {});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto bad = renderAttributes(QueueSettings{}, facts(), {"All", "Nope"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::InvalidAttributeName);
  EXPECT_EQ(bad.error().message(), "Unknown Attribute Nope.");
}

TEST(QueueAttributesTest, ComparableAttributesTreatExplicitDefaultsAsEqual) {
  auto implicit = create({});
  auto explicitDefaults = create({{"VisibilityTimeout", "30"}, {"DelaySeconds", "0"}, {"FifoQueue", "false"}});
  auto different = create({{"VisibilityTimeout", "31"}});
  ASSERT_TRUE(implicit.ok() && explicitDefaults.ok() && different.ok());
  EXPECT_EQ(comparableAttributes(*implicit), comparableAttributes(*explicitDefaults));
  EXPECT_NE(comparableAttributes(*implicit), comparableAttributes(*different));
  const auto all = comparableAttributes(*implicit);
  EXPECT_EQ(all.size(), 15u);
  EXPECT_EQ(all.at("VisibilityTimeout"), "30");
  EXPECT_EQ(all.at("FifoQueue"), "false");
}

}  // namespace
}  // namespace overcast::sqs
