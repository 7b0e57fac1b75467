#include <chrono>

#include <gtest/gtest.h>

#include "test_models.h"

namespace overcast::protocol {
namespace {

namespace json = boost::json;
using testing::model;
using testing::obj;
using testing::op;

Result<json::object> decode(std::string_view service, std::string_view action, Protocol wire,
                            const Params& params) {
  return decodeQueryInput(model(service), op(service, action), wire, params);
}

TEST(QueryDecoderEc2, FiltersAndIndexedLists) {
  auto r = decode("ec2", "DescribeInstances", Protocol::Ec2,
                  {{"Action", "DescribeInstances"}, {"Version", "2016-11-15"},
                   {"Filter.1.Name", "instance-state-name"}, {"Filter.1.Value.1", "running"},
                   {"Filter.1.Value.2", "stopped"}, {"Filter.2.Name", "tag:Name"},
                   {"Filter.2.Value.1", "web"}, {"InstanceId.1", "i-1"}, {"InstanceId.2", "i-2"},
                   {"MaxResults", "5"}, {"DryRun", "true"}, {"Unknown.1", "ignored"}});
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(*r, obj(R"({"Filters":[{"Name":"instance-state-name","Values":["running","stopped"]},
                               {"Name":"tag:Name","Values":["web"]}],
                       "InstanceIds":["i-1","i-2"],"MaxResults":5,"DryRun":true})"));
}

TEST(QueryDecoderEc2, NestedTagSpecificationsAndRequired) {
  Params p{{"ImageId", "ami-1"}, {"MinCount", "1"}, {"MaxCount", "2"},
           {"TagSpecification.1.ResourceType", "instance"},
           {"TagSpecification.1.Tag.1.Key", "k"}, {"TagSpecification.1.Tag.1.Value", "v"}};
  auto r = decode("ec2", "RunInstances", Protocol::Ec2, p);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->at("TagSpecifications"),
            json::parse(R"([{"ResourceType":"instance","Tags":[{"Key":"k","Value":"v"}]}])"));
  EXPECT_EQ(r->at("MinCount"), 1);

  p.erase(p.begin() + 1);  // MinCount
  auto missing = decode("ec2", "RunInstances", Protocol::Ec2, p);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::MissingParameter);
  EXPECT_EQ(missing.error().message(), "The request must contain the parameter MinCount");
}

TEST(QueryDecoderEc2, MistypedIntegerAndBoolean) {
  auto badInt = decode("ec2", "DescribeInstances", Protocol::Ec2, {{"MaxResults", "ten"}});
  ASSERT_FALSE(badInt);
  EXPECT_EQ(badInt.error().code(), ErrorCode::InvalidParameterValue);
  EXPECT_EQ(badInt.error().message(),
            "Value (ten) for parameter MaxResults is invalid. Expected: 'integer'.");
  auto overflow = decode("ec2", "DescribeInstances", Protocol::Ec2, {{"MaxResults", "4294967296"}});
  ASSERT_FALSE(overflow);
  EXPECT_EQ(overflow.error().code(), ErrorCode::InvalidParameterValue);
  auto badBool = decode("ec2", "DescribeRegions", Protocol::Ec2, {{"AllRegions", "maybe"}});
  ASSERT_FALSE(badBool);
  EXPECT_EQ(badBool.error().code(), ErrorCode::InvalidParameterValue);
  EXPECT_NE(badBool.error().message().find("parameter AllRegions"), std::string::npos);
}

TEST(QueryDecoderEc2, OldApiVersionUsesTheSameModel) {
  // boto 2 sends Version=2014-10-01; the names it uses are the same.
  auto r = decode("ec2", "DescribeRegions", Protocol::Ec2,
                  {{"Action", "DescribeRegions"}, {"Version", "2014-10-01"},
                   {"RegionName.1", "us-east-1"}, {"AWSAccessKeyId", "x"},
                   {"SignatureVersion", "2"}, {"Timestamp", "2014-01-01T00:00:00Z"},
                   {"X-Amz-Date", "20140101T000000Z"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, obj(R"({"RegionNames":["us-east-1"]})"));
}

TEST(QueryDecoderEc2, HostileIndicesStaySparseAndCompactInOrder) {
  auto r = decode("ec2", "DescribeInstances", Protocol::Ec2,
                  {{"Filter.99999999.Name", "last"}, {"Filter.3.Name", "first"},
                   {"Filter.0.Name", "zero-is-no-index"}, {"Filter.007.Name", "leading-zero"},
                   {"Filter.999999999999999999999999.Name", "too-long"},
                   {"Filter.-1.Name", "negative"}, {"InstanceId.18446744073709551615", "i-x"}});
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(*r, obj(R"({"Filters":[{"Name":"first"},{"Name":"last"}]})"));
}

TEST(QueryDecoderEc2, TenThousandParamsStayFast) {
  Params p;
  for (int i = 1; i <= 10000; ++i) p.emplace_back("InstanceId." + std::to_string(i), "i-" + std::to_string(i));
  auto start = std::chrono::steady_clock::now();
  auto r = decode("ec2", "DescribeInstances", Protocol::Ec2, p);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(r);
  ASSERT_EQ(r->at("InstanceIds").as_array().size(), 10000u);
  EXPECT_EQ(r->at("InstanceIds").as_array()[9999], "i-10000");
  EXPECT_LT(elapsed, std::chrono::seconds(2));  // generous: ASan build on a busy machine
}

TEST(QueryDecoderEc2, DeepNamesAreDropped) {
  std::string deep = "Filter";
  for (int i = 0; i < 5000; ++i) deep += ".1";
  auto r = decode("ec2", "DescribeInstances", Protocol::Ec2, {{deep, "x"}});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
}

TEST(QueryDecoderQuery, SnsMapEntriesAndMemberLists) {
  auto sub = decode("sns", "Subscribe", Protocol::Query,
                    {{"TopicArn", "arn:t"}, {"Protocol", "sqs"}, {"Endpoint", "arn:q"},
                     {"Attributes.entry.1.key", "RawMessageDelivery"},
                     {"Attributes.entry.1.value", "true"},
                     {"Attributes.entry.2.key", "FilterPolicy"},
                     {"Attributes.entry.2.value", "{\"a\":[\"b\"]}"},
                     {"ReturnSubscriptionArn", "true"}});
  ASSERT_TRUE(sub) << sub.error().message();
  EXPECT_EQ(*sub, obj(R"({"TopicArn":"arn:t","Protocol":"sqs","Endpoint":"arn:q",
      "Attributes":{"RawMessageDelivery":"true","FilterPolicy":"{\"a\":[\"b\"]}"},
      "ReturnSubscriptionArn":true})"));

  auto topic = decode("sns", "CreateTopic", Protocol::Query,
                      {{"Name", "t"}, {"Tags.member.2.Key", "b"}, {"Tags.member.2.Value", "2"},
                       {"Tags.member.1.Key", "a"}, {"Tags.member.1.Value", "1"}});
  ASSERT_TRUE(topic);
  EXPECT_EQ(*topic, obj(R"({"Name":"t","Tags":[{"Key":"a","Value":"1"},{"Key":"b","Value":"2"}]})"));

  auto missing = decode("sns", "Subscribe", Protocol::Query, {{"Protocol", "sqs"}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message(), "The request must contain the parameter TopicArn");
}

TEST(QueryDecoderQuery, EmptyListAsBotocoreSendsIt) {
  auto r = decode("sns", "CreateTopic", Protocol::Query, {{"Name", "t"}, {"Tags", ""}});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, obj(R"({"Name":"t","Tags":[]})"));
}

TEST(QueryDecoderQuery, SqsFlattenedAttributesAndMessageAttributes) {
  auto create = decode("sqs", "CreateQueue", Protocol::Query,
                       {{"QueueName", "q"}, {"Attribute.1.Name", "VisibilityTimeout"},
                        {"Attribute.1.Value", "40"}, {"Attribute.2.Name", "DelaySeconds"},
                        {"Attribute.2.Value", "1"}, {"Tag.1.Key", "team"}, {"Tag.1.Value", "x"}});
  ASSERT_TRUE(create) << create.error().message();
  EXPECT_EQ(*create, obj(R"({"QueueName":"q","Attributes":{"VisibilityTimeout":"40",
      "DelaySeconds":"1"},"tags":{"team":"x"}})"));

  auto send = decode("sqs", "SendMessage", Protocol::Query,
                     {{"QueueUrl", "http://q/1/q"}, {"MessageBody", "hello & bye"},
                      {"MessageAttribute.1.Name", "a1"},
                      {"MessageAttribute.1.Value.DataType", "String"},
                      {"MessageAttribute.1.Value.StringValue", "v 1"},
                      {"MessageAttribute.2.Name", "b2"},
                      {"MessageAttribute.2.Value.DataType", "Binary"},
                      {"MessageAttribute.2.Value.BinaryValue", "AAFiaW4="}});
  ASSERT_TRUE(send) << send.error().message();
  json::object expected = obj(R"({"QueueUrl":"http://q/1/q","MessageBody":"hello & bye",
      "MessageAttributes":{"a1":{"DataType":"String","StringValue":"v 1"},
                           "b2":{"DataType":"Binary"}}})");
  expected["MessageAttributes"].as_object()["b2"].as_object()["BinaryValue"] =
      std::string("\x00\x01" "bin", 5);
  EXPECT_EQ(*send, expected);

  auto badBlob = decode("sqs", "SendMessage", Protocol::Query,
                        {{"QueueUrl", "u"}, {"MessageBody", "b"}, {"MessageAttribute.1.Name", "n"},
                         {"MessageAttribute.1.Value.DataType", "Binary"},
                         {"MessageAttribute.1.Value.BinaryValue", "not base64!"}});
  ASSERT_FALSE(badBlob);
  EXPECT_EQ(badBlob.error().code(), ErrorCode::InvalidParameterValue);
  auto noType = decode("sqs", "SendMessage", Protocol::Query,
                       {{"QueueUrl", "u"}, {"MessageBody", "b"}, {"MessageAttribute.1.Name", "n"},
                        {"MessageAttribute.1.Value.StringValue", "v"}});
  ASSERT_FALSE(noType);
  EXPECT_EQ(noType.error().message(),
            "The request must contain the parameter MessageAttribute.1.Value.DataType");
}

TEST(QueryDecoderQuery, SqsReceiveMessageFlattenedLists) {
  auto r = decode("sqs", "ReceiveMessage", Protocol::Query,
                  {{"QueueUrl", "http://q/1/q"}, {"AttributeName.1", "All"},
                   {"MessageAttributeName.1", "a1"}, {"MessageAttributeName.2", "b2"},
                   {"MaxNumberOfMessages", "10"}, {"WaitTimeSeconds", "2"}});
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(*r, obj(R"({"QueueUrl":"http://q/1/q","AttributeNames":["All"],
      "MessageAttributeNames":["a1","b2"],"MaxNumberOfMessages":10,"WaitTimeSeconds":2})"));
}

TEST(QueryDecoderQuery, NoInputShape) {
  auto r = decode("sts", "GetCallerIdentity", Protocol::Query,
                  {{"Action", "GetCallerIdentity"}, {"Version", "2011-06-15"}});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
}

}  // namespace
}  // namespace overcast::protocol
