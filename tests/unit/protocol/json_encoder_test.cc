#include <gtest/gtest.h>

#include "test_models.h"

namespace overcast::protocol {
namespace {

namespace json = boost::json;
using testing::header;
using testing::model;
using testing::obj;
using testing::op;

TEST(JsonEncoder, SqsReceiveMessageUsesModelNames) {
  HttpResponse r = encodeOutput(model("sqs"), op("sqs", "ReceiveMessage"), Protocol::Json,
                                obj(R"({"Messages":[{"MessageId":"m1","Body":"hi",
                                    "Attributes":{"SenderId":"1"},
                                    "MessageAttributes":{"a1":{"DataType":"String","StringValue":"v"}},
                                    "Bogus":1}]})"),
                                "req-9");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(header(r, "Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(header(r, "x-amzn-RequestId"), "req-9");
  EXPECT_EQ(json::parse(r.body),
            json::parse(R"({"Messages":[{"MessageId":"m1","Body":"hi","Attributes":{"SenderId":"1"},
                "MessageAttributes":{"a1":{"DataType":"String","StringValue":"v"}}}]})"));
}

TEST(JsonEncoder, ConsumingOverloadShapesInPlaceLikeTheCopyingOne) {
  const char* text = R"({"Messages":[{"MessageId":"m1","Body":"hi","Bogus":{"x":1}}],"Extra":2})";
  HttpResponse copied = encodeOutput(model("sqs"), op("sqs", "ReceiveMessage"), Protocol::Json, obj(text), "r");
  json::object consumed = obj(text);
  HttpResponse moved =
      encodeOutput(model("sqs"), op("sqs", "ReceiveMessage"), Protocol::Json, std::move(consumed), "r");
  EXPECT_EQ(json::parse(moved.body), json::parse(copied.body));
  EXPECT_EQ(json::parse(moved.body), json::parse(R"({"Messages":[{"MessageId":"m1","Body":"hi"}]})"));
}

TEST(QueryJsonEncoder, WrapsTheResultAsBoto2ExpectsFromSns) {
  HttpResponse r = encodeQueryJson(op("sns", "CreateTopic"), obj(R"({"TopicArn":"arn:aws:sns:us-east-1:0:t"})"), "req-1");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(header(r, "Content-Type"), "application/json");
  EXPECT_EQ(json::parse(r.body), json::parse(R"({"CreateTopicResponse":{"CreateTopicResult":
      {"TopicArn":"arn:aws:sns:us-east-1:0:t"},"ResponseMetadata":{"RequestId":"req-1"}}})"));
}

TEST(JsonEncoder, NoOutputShapeIsEmptyObject) {
  HttpResponse r =
      encodeOutput(model("sqs"), op("sqs", "DeleteMessage"), Protocol::Json, {}, "req-1");
  EXPECT_EQ(r.body, "{}");
}

// A tiny model for the scalar types SQS's output does not use.
std::unique_ptr<ServiceModel> scalarModel() {
  auto m = ServiceModel::fromJson("t", obj(R"({
    "metadata":{"protocol":"json","jsonVersion":"1.1","apiVersion":"2020-01-01",
                "xmlNamespace":"urn:t"},
    "operations":{"Get":{"name":"Get","input":{"shape":"Out"},"output":{"shape":"Out"}}},
    "shapes":{
      "Out":{"type":"structure","members":{"When":{"shape":"Time"},"Data":{"shape":"Bytes"},
             "Iso":{"shape":"Time","timestampFormat":"iso8601"},"Ratio":{"shape":"D"},
             "Ok":{"shape":"B"}}},
      "Time":{"type":"timestamp"},"Bytes":{"type":"blob"},"D":{"type":"double"},
      "B":{"type":"boolean"}}})"));
  EXPECT_TRUE(m);
  return std::move(*m);
}

TEST(JsonEncoder, TimestampsAsEpochSecondsAndBlobsAsBase64) {
  auto m = scalarModel();
  json::object out = obj(R"({"When":1704164645500,"Iso":0,"Ratio":0.25,"Ok":true})");
  out["Data"] = "hello";
  HttpResponse r = encodeOutput(*m, *m->operation("Get"), Protocol::Json, out, "r");
  EXPECT_EQ(header(r, "Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(json::parse(r.body), json::parse(R"({"When":1704164645.5,"Data":"aGVsbG8=",
      "Iso":"1970-01-01T00:00:00.000Z","Ratio":0.25,"Ok":true})"));

  // And back: what we write, the JSON decoder reads as the same value tree.
  auto back = decodeJsonInput(*m, *m->operation("Get"), r.body);
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, out);
}

TEST(QueryXmlEncoder, BlobAndTimestampScalars) {
  auto m = scalarModel();
  json::object out = obj(R"({"When":1704164645500,"Ratio":0.25,"Ok":false})");
  out["Data"] = std::string("\x00\xff", 2);
  HttpResponse r = encodeOutput(*m, *m->operation("Get"), Protocol::Query, out, "r");
  EXPECT_EQ(r.body,
            R"(<?xml version="1.0" encoding="UTF-8"?><GetResponse xmlns="urn:t"><GetResult>)"
            R"(<When>2024-01-02T03:04:05.500Z</When><Data>AP8=</Data><Ratio>0.25</Ratio>)"
            R"(<Ok>false</Ok></GetResult><ResponseMetadata><RequestId>r</RequestId>)"
            R"(</ResponseMetadata></GetResponse>)");
}

}  // namespace
}  // namespace overcast::protocol
