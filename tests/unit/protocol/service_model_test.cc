#include "protocol/service_model.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "test_models.h"

namespace overcast::protocol {
namespace {

using testing::model;
using testing::models;

TEST(ModelRegistry, LoadsTheFourBuiltinServices) {
  const ServiceModel& ec2 = model("ec2");
  EXPECT_EQ(ec2.protocol(), Protocol::Ec2);
  EXPECT_EQ(ec2.apiVersion(), "2016-11-15");
  EXPECT_EQ(ec2.signingName(), "ec2");
  ASSERT_NE(ec2.operation("DescribeRegions"), nullptr);
  EXPECT_EQ(ec2.operation("DescribeRegions")->inputShape, "DescribeRegionsRequest");
  EXPECT_EQ(ec2.operation("NoSuchThing"), nullptr);

  EXPECT_EQ(model("sns").protocol(), Protocol::Query);
  EXPECT_EQ(model("sns").xmlNamespace(), "http://sns.amazonaws.com/doc/2010-03-31/");
  EXPECT_EQ(model("sts").operation("GetCallerIdentity")->resultWrapper, "GetCallerIdentityResult");
  EXPECT_EQ(models().service("s3"), nullptr);
}

TEST(ModelRegistry, SqsIsJsonWithMergedQueryTraits) {
  const ServiceModel& sqs = model("sqs");
  EXPECT_EQ(sqs.protocol(), Protocol::Json);
  EXPECT_EQ(sqs.targetPrefix(), "AmazonSQS");
  EXPECT_EQ(sqs.jsonVersion(), "1.0");
  EXPECT_TRUE(sqs.awsQueryCompatible());
  EXPECT_EQ(sqs.signingName(), "sqs");
  EXPECT_EQ(sqs.xmlNamespace(), "http://queue.amazonaws.com/doc/2012-11-05/");
  EXPECT_EQ(sqs.operation("ReceiveMessage")->resultWrapper, "ReceiveMessageResult");
  const auto* map = sqs.shape("QueueAttributeMap");
  ASSERT_NE(map, nullptr);
  EXPECT_EQ(map->at("locationName"), "Attribute");
  EXPECT_EQ(map->at("key").at("locationName"), "Name");
  EXPECT_EQ(map->at("queryTraitsMerged"), true);
  EXPECT_FALSE(sqs.shape("SendMessageRequest")->contains("documentation"));
}

TEST(ModelRegistry, SqsLegacyErrorCodes) {
  const ServiceModel& sqs = model("sqs");
  const QueryErrorAlias* byShape = sqs.queryErrorAlias("QueueDoesNotExist");
  ASSERT_NE(byShape, nullptr);
  EXPECT_EQ(byShape->queryCode, "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_EQ(sqs.queryErrorAlias("AWS.SimpleQueueService.NonExistentQueue"), byShape);
  EXPECT_EQ(sqs.queryErrorAlias("QueueNameExists")->queryCode, "QueueAlreadyExists");
  EXPECT_EQ(sqs.queryErrorAlias("NoSuchCode"), nullptr);
  EXPECT_EQ(model("sns").queryErrorAlias("NotFound"), nullptr);
}

TEST(ModelRegistry, ServicesWithOperation) {
  auto both = models().servicesWithOperation("AddPermission");
  std::vector<std::string> names;
  for (const auto* m : both) names.push_back(m->name());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"sns", "sqs"}));
  EXPECT_EQ(models().servicesWithOperation("RunInstances").size(), 1u);
  EXPECT_TRUE(models().servicesWithOperation("Nope").empty());
}

TEST(ServiceModel, ShapeReferencesAreResolvedAtLoad) {
  const ServiceModel& sqs = model("sqs");
  const boost::json::object* request = sqs.shape("SendMessageRequest");
  ASSERT_NE(request, nullptr);
  const auto& members = request->at("members").as_object();
  const auto* body = sqs.resolvedRef(&members.at("MessageBody").as_object());
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(body->type, ShapeType::String);
  const auto* attributes = sqs.resolvedRef(&members.at("MessageAttributes").as_object());
  ASSERT_NE(attributes, nullptr);
  EXPECT_EQ(attributes->type, ShapeType::Map);
  EXPECT_EQ(attributes->shape, sqs.shape(members.at("MessageAttributes").as_object().at("shape").as_string()));
  // Map values are references too; anything that is not a reference is not resolved.
  const auto* value = sqs.resolvedRef(&attributes->shape->at("value").as_object());
  ASSERT_NE(value, nullptr);
  EXPECT_EQ(value->type, ShapeType::Structure);
  EXPECT_EQ(sqs.resolvedRef(request), nullptr);
}

TEST(ServiceModel, RejectsBadModels) {
  EXPECT_FALSE(ServiceModel::fromJson("x", testing::obj(R"({"metadata":{}})")));
  auto unknownProtocol = ServiceModel::fromJson(
      "x", testing::obj(R"({"metadata":{"protocol":"rest-xml"},"operations":{},"shapes":{}})"));
  ASSERT_FALSE(unknownProtocol);
  EXPECT_EQ(unknownProtocol.error().code(), ErrorCode::InternalFailure);
}

}  // namespace
}  // namespace overcast::protocol
