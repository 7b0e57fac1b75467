// decode(encode-as-client(x)) == x. The "client" encodings below are what botocore 1.43 (and, for
// SQS-query, botocore 1.29) serialize for x: captured with
//   botocore.serialize.create_serializer(protocol).serialize_to_request(x, operation_model)
// so these tests pin the decoders to real client output.
#include <gtest/gtest.h>

#include "test_models.h"

namespace overcast::protocol {
namespace {

namespace json = boost::json;
using testing::model;
using testing::obj;
using testing::op;

struct QueryCase {
  const char* service;
  const char* action;
  Protocol wire;
  const char* value;  // x, as the value tree
  Params params;      // botocore's serialization of x
};

class QueryRoundTrip : public ::testing::TestWithParam<QueryCase> {};

TEST_P(QueryRoundTrip, DecodesWhatBotocoreSends) {
  const QueryCase& c = GetParam();
  auto r = decodeQueryInput(model(c.service), op(c.service, c.action), c.wire, c.params);
  ASSERT_TRUE(r) << r.error().message();
  json::object expected = obj(c.value);
  EXPECT_EQ(*r, expected);
}

INSTANTIATE_TEST_SUITE_P(
    Botocore, QueryRoundTrip,
    ::testing::Values(
        QueryCase{"ec2", "DescribeRegions", Protocol::Ec2,
                  R"({"RegionNames":["us-east-1","eu-west-1"],"AllRegions":true,"DryRun":false})",
                  {{"Action", "DescribeRegions"}, {"Version", "2016-11-15"},
                   {"RegionName.1", "us-east-1"}, {"RegionName.2", "eu-west-1"},
                   {"AllRegions", "true"}, {"DryRun", "false"}}},
        QueryCase{"ec2", "DescribeAvailabilityZones", Protocol::Ec2,
                  R"({"ZoneNames":["us-east-1a"],"Filters":[{"Name":"region-name",
                      "Values":["us-east-1","us-west-2"]},{"Name":"state","Values":["available"]}],
                      "AllAvailabilityZones":false})",
                  {{"Action", "DescribeAvailabilityZones"}, {"Version", "2016-11-15"},
                   {"ZoneName.1", "us-east-1a"}, {"Filter.1.Name", "region-name"},
                   {"Filter.1.Value.1", "us-east-1"}, {"Filter.1.Value.2", "us-west-2"},
                   {"Filter.2.Name", "state"}, {"Filter.2.Value.1", "available"},
                   {"AllAvailabilityZones", "false"}}},
        QueryCase{"sts", "GetCallerIdentity", Protocol::Query, "{}",
                  {{"Action", "GetCallerIdentity"}, {"Version", "2011-06-15"}}},
        QueryCase{"sns", "Subscribe", Protocol::Query,
                  R"({"TopicArn":"arn:aws:sns:us-east-1:000000000000:t","Protocol":"sqs",
                      "Endpoint":"arn:aws:sqs:us-east-1:000000000000:q",
                      "Attributes":{"RawMessageDelivery":"true","FilterPolicy":"{\"a\":[\"b\"]}"},
                      "ReturnSubscriptionArn":true})",
                  {{"Action", "Subscribe"}, {"Version", "2010-03-31"},
                   {"TopicArn", "arn:aws:sns:us-east-1:000000000000:t"}, {"Protocol", "sqs"},
                   {"Endpoint", "arn:aws:sqs:us-east-1:000000000000:q"},
                   {"Attributes.entry.1.key", "RawMessageDelivery"},
                   {"Attributes.entry.1.value", "true"},
                   {"Attributes.entry.2.key", "FilterPolicy"},
                   {"Attributes.entry.2.value", "{\"a\":[\"b\"]}"},
                   {"ReturnSubscriptionArn", "true"}}},
        QueryCase{"sqs", "ReceiveMessage", Protocol::Query,
                  R"({"QueueUrl":"http://q/1/q","AttributeNames":["All"],
                      "MessageAttributeNames":["a1","b2"],"MaxNumberOfMessages":10,
                      "WaitTimeSeconds":2})",
                  {{"Action", "ReceiveMessage"}, {"Version", "2012-11-05"},
                   {"QueueUrl", "http://q/1/q"}, {"AttributeName.1", "All"},
                   {"MessageAttributeName.1", "a1"}, {"MessageAttributeName.2", "b2"},
                   {"MaxNumberOfMessages", "10"}, {"WaitTimeSeconds", "2"}}},
        QueryCase{"sqs", "SendMessage", Protocol::Query,
                  R"({"QueueUrl":"http://q/1/q","MessageBody":"hello & bye","DelaySeconds":5,
                      "MessageAttributes":{"a1":{"DataType":"String","StringValue":"v 1"}}})",
                  {{"Action", "SendMessage"}, {"Version", "2012-11-05"},
                   {"QueueUrl", "http://q/1/q"}, {"MessageBody", "hello & bye"},
                   {"DelaySeconds", "5"}, {"MessageAttribute.1.Name", "a1"},
                   {"MessageAttribute.1.Value.DataType", "String"},
                   {"MessageAttribute.1.Value.StringValue", "v 1"}}}));

TEST(JsonRoundTrip, SqsSendAndReceiveAsBotocoreSendsThem) {
  auto send = decodeJsonInput(model("sqs"), op("sqs", "SendMessage"),
                              R"({"QueueUrl": "http://q/1/q", "MessageBody": "hello & bye",
                                  "DelaySeconds": 5, "MessageAttributes": {"a1": {"DataType":
                                  "String", "StringValue": "v 1"}}})");
  ASSERT_TRUE(send) << send.error().message();
  EXPECT_EQ(*send, obj(R"({"QueueUrl":"http://q/1/q","MessageBody":"hello & bye","DelaySeconds":5,
                           "MessageAttributes":{"a1":{"DataType":"String","StringValue":"v 1"}}})"));
  auto receive = decodeJsonInput(model("sqs"), op("sqs", "ReceiveMessage"),
                                 R"({"QueueUrl": "http://q/1/q", "AttributeNames": ["All"],
                                     "MessageAttributeNames": ["a1", "b2"],
                                     "MaxNumberOfMessages": 10, "WaitTimeSeconds": 2})");
  ASSERT_TRUE(receive);
  EXPECT_EQ(*receive, obj(R"({"QueueUrl":"http://q/1/q","AttributeNames":["All"],
      "MessageAttributeNames":["a1","b2"],"MaxNumberOfMessages":10,"WaitTimeSeconds":2})"));
}

// The same SQS value tree through both protocols gives the same result: a handler cannot tell
// a query client from a JSON client.
TEST(CrossProtocol, SqsCreateQueueQueryAndJsonAgree) {
  auto q = decodeQueryInput(model("sqs"), op("sqs", "CreateQueue"), Protocol::Query,
                            {{"QueueName", "q"}, {"Attribute.1.Name", "VisibilityTimeout"},
                             {"Attribute.1.Value", "40"}, {"Tag.1.Key", "team"},
                             {"Tag.1.Value", "x"}});
  auto j = decodeJsonInput(model("sqs"), op("sqs", "CreateQueue"),
                           R"({"QueueName": "q", "Attributes": {"VisibilityTimeout": "40"},
                               "tags": {"team": "x"}})");
  ASSERT_TRUE(q);
  ASSERT_TRUE(j);
  EXPECT_EQ(*q, *j);
}

}  // namespace
}  // namespace overcast::protocol
