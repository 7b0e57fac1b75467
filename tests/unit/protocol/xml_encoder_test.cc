// Golden XML for the query and EC2 encoders. Each golden string was checked with botocore's
// own parsers (parsers.EC2QueryParser / QueryParser) while it was written.
#include <gtest/gtest.h>

#include "test_models.h"

namespace overcast::protocol {
namespace {

using testing::header;
using testing::model;
using testing::obj;
using testing::op;

constexpr std::string_view kDecl = R"(<?xml version="1.0" encoding="UTF-8"?>)";

std::string encode(std::string_view service, std::string_view action, Protocol wire,
                   std::string_view output) {
  HttpResponse r = encodeOutput(model(service), op(service, action), wire, obj(output), "req-1");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(header(r, "Content-Type"), "text/xml");
  EXPECT_TRUE(r.body.starts_with(kDecl));
  return r.body.substr(kDecl.size());
}

TEST(Ec2XmlEncoder, DescribeRegions) {
  EXPECT_EQ(encode("ec2", "DescribeRegions", Protocol::Ec2,
                   R"({"Regions":[{"RegionName":"us-east-1","Endpoint":"ec2.us-east-1.amazonaws.com",
                       "OptInStatus":"opt-in-not-required"},{"RegionName":"eu-west-1"}],
                       "NotInModel":"dropped"})"),
            R"(<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">)"
            R"(<requestId>req-1</requestId><regionInfo><item>)"
            R"(<optInStatus>opt-in-not-required</optInStatus><regionName>us-east-1</regionName>)"
            R"(<regionEndpoint>ec2.us-east-1.amazonaws.com</regionEndpoint></item><item>)"
            R"(<regionName>eu-west-1</regionName></item></regionInfo></DescribeRegionsResponse>)");
}

TEST(Ec2XmlEncoder, DescribeAvailabilityZonesNestedItems) {
  EXPECT_EQ(encode("ec2", "DescribeAvailabilityZones", Protocol::Ec2,
                   R"({"AvailabilityZones":[{"ZoneName":"us-east-1a","State":"available",
                       "RegionName":"us-east-1","Messages":[{"Message":"ok"}]}]})"),
            R"(<DescribeAvailabilityZonesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">)"
            R"(<requestId>req-1</requestId><availabilityZoneInfo><item><messageSet><item>)"
            R"(<message>ok</message></item></messageSet><regionName>us-east-1</regionName>)"
            R"(<zoneName>us-east-1a</zoneName><zoneState>available</zoneState></item>)"
            R"(</availabilityZoneInfo></DescribeAvailabilityZonesResponse>)");
}

TEST(Ec2XmlEncoder, TimestampsBooleansIntegers) {
  EXPECT_EQ(encode("ec2", "DescribeSnapshots", Protocol::Ec2,
                   R"({"Snapshots":[{"SnapshotId":"snap-1","StartTime":1704164645678,
                       "Encrypted":false,"VolumeSize":8,
                       "Tags":[{"Key":"a&b","Value":"<x>"}]}]})"),
            R"(<DescribeSnapshotsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">)"
            R"(<requestId>req-1</requestId><snapshotSet><item><tagSet><item><key>a&amp;b</key>)"
            R"(<value>&lt;x&gt;</value></item></tagSet><snapshotId>snap-1</snapshotId>)"
            R"(<startTime>2024-01-02T03:04:05.678Z</startTime><volumeSize>8</volumeSize>)"
            R"(<encrypted>false</encrypted></item></snapshotSet></DescribeSnapshotsResponse>)");
}

TEST(Ec2XmlEncoder, NoOutputShapeAnswersReturnTrue) {
  EXPECT_EQ(encode("ec2", "CreateTags", Protocol::Ec2, "{}"),
            R"(<CreateTagsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">)"
            R"(<requestId>req-1</requestId><return>true</return></CreateTagsResponse>)");
}

TEST(QueryXmlEncoder, StsGetCallerIdentity) {
  EXPECT_EQ(encode("sts", "GetCallerIdentity", Protocol::Query,
                   R"({"UserId":"AKIA","Account":"000000000000",
                       "Arn":"arn:aws:iam::000000000000:root"})"),
            R"(<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">)"
            R"(<GetCallerIdentityResult><UserId>AKIA</UserId><Account>000000000000</Account>)"
            R"(<Arn>arn:aws:iam::000000000000:root</Arn></GetCallerIdentityResult>)"
            R"(<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>)"
            R"(</GetCallerIdentityResponse>)");
}

TEST(QueryXmlEncoder, SnsMapsAndMemberLists) {
  EXPECT_EQ(encode("sns", "GetTopicAttributes", Protocol::Query,
                   R"({"Attributes":{"TopicArn":"arn:t","Policy":"{}"}})"),
            R"(<GetTopicAttributesResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">)"
            R"(<GetTopicAttributesResult><Attributes><entry><key>TopicArn</key><value>arn:t</value>)"
            R"(</entry><entry><key>Policy</key><value>{}</value></entry></Attributes>)"
            R"(</GetTopicAttributesResult><ResponseMetadata><RequestId>req-1</RequestId>)"
            R"(</ResponseMetadata></GetTopicAttributesResponse>)");
  EXPECT_EQ(encode("sns", "ListTopics", Protocol::Query,
                   R"({"Topics":[{"TopicArn":"arn:a"},{"TopicArn":"arn:b"}]})"),
            R"(<ListTopicsResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">)"
            R"(<ListTopicsResult><Topics><member><TopicArn>arn:a</TopicArn></member><member>)"
            R"(<TopicArn>arn:b</TopicArn></member></Topics></ListTopicsResult><ResponseMetadata>)"
            R"(<RequestId>req-1</RequestId></ResponseMetadata></ListTopicsResponse>)");
  EXPECT_EQ(encode("sns", "Subscribe", Protocol::Query, R"({"SubscriptionArn":"arn:s"})"),
            R"(<SubscribeResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">)"
            R"(<SubscribeResult><SubscriptionArn>arn:s</SubscriptionArn></SubscribeResult>)"
            R"(<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>)"
            R"(</SubscribeResponse>)");
}

TEST(QueryXmlEncoder, SqsReceiveMessageFlattened) {
  EXPECT_EQ(encode("sqs", "ReceiveMessage", Protocol::Query,
                   R"({"Messages":[{"MessageId":"m1","ReceiptHandle":"rh","MD5OfBody":"x",
                       "Body":"hi","Attributes":{"SenderId":"1","SentTimestamp":"2"},
                       "MessageAttributes":{"a1":{"StringValue":"v","DataType":"String"}}}]})"),
            R"(<ReceiveMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">)"
            R"(<ReceiveMessageResult><Message><MessageId>m1</MessageId>)"
            R"(<ReceiptHandle>rh</ReceiptHandle><MD5OfBody>x</MD5OfBody><Body>hi</Body><Attribute>)"
            R"(<Name>SenderId</Name><Value>1</Value></Attribute><Attribute>)"
            R"(<Name>SentTimestamp</Name><Value>2</Value></Attribute><MessageAttribute>)"
            R"(<Name>a1</Name><Value><StringValue>v</StringValue><DataType>String</DataType>)"
            R"(</Value></MessageAttribute></Message></ReceiveMessageResult><ResponseMetadata>)"
            R"(<RequestId>req-1</RequestId></ResponseMetadata></ReceiveMessageResponse>)");
}

TEST(QueryXmlEncoder, SqsEmptyResultAndNoOutput) {
  EXPECT_EQ(encode("sqs", "ReceiveMessage", Protocol::Query, "{}"),
            R"(<ReceiveMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">)"
            R"(<ReceiveMessageResult/><ResponseMetadata><RequestId>req-1</RequestId>)"
            R"(</ResponseMetadata></ReceiveMessageResponse>)");
  EXPECT_EQ(encode("sqs", "DeleteMessage", Protocol::Query, "{}"),
            R"(<DeleteMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">)"
            R"(<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>)"
            R"(</DeleteMessageResponse>)");
}

}  // namespace
}  // namespace overcast::protocol
