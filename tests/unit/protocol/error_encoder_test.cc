#include <gtest/gtest.h>

#include "test_models.h"

namespace overcast::protocol {
namespace {

namespace json = boost::json;
using testing::header;
using testing::model;

constexpr std::string_view kDecl = R"(<?xml version="1.0" encoding="UTF-8"?>)";

TEST(ErrorEncoder, Ec2ShapeWithCapitalRequestID) {
  HttpResponse r = encodeError(&model("ec2"), Protocol::Ec2,
                               Error(ErrorCode::InvalidParameterValue, "bad <value>"), "req-1");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(header(r, "Content-Type"), "text/xml");
  EXPECT_EQ(r.body, std::string(kDecl) +
                        "<Response><Errors><Error><Code>InvalidParameterValue</Code>"
                        "<Message>bad &lt;value&gt;</Message></Error></Errors>"
                        "<RequestID>req-1</RequestID></Response>");
}

TEST(ErrorEncoder, QueryShapeWithTypeAndNamespace) {
  HttpResponse r = encodeError(&model("sns"), Protocol::Query,
                               Error(ErrorCode::InternalFailure, "oops"), "req-2");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, std::string(kDecl) +
                        R"(<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">)"
                        "<Error><Type>Receiver</Type><Code>InternalFailure</Code>"
                        "<Message>oops</Message></Error><RequestId>req-2</RequestId>"
                        "</ErrorResponse>");
}

TEST(ErrorEncoder, UnroutedRequestHasNoModel) {
  HttpResponse q = encodeError(nullptr, Protocol::Query,
                               Error(ErrorCode::InvalidAction, "no such action"), "r");
  EXPECT_EQ(q.status, 400);
  EXPECT_EQ(q.body, std::string(kDecl) +
                        "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code>"
                        "<Message>no such action</Message></Error><RequestId>r</RequestId>"
                        "</ErrorResponse>");
  HttpResponse j = encodeError(nullptr, Protocol::Json,
                               Error(ErrorCode::UnknownOperation, "x"), "r");
  EXPECT_EQ(header(j, "Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(header(j, "x-amzn-query-error"), "");
  EXPECT_EQ(json::parse(j.body), json::parse(R"({"__type":"UnknownOperationException","message":"x"})"));
}

TEST(ErrorEncoder, SqsJsonCarriesTheLegacyQueryCode) {
  HttpResponse r = encodeError(&model("sqs"), Protocol::Json,
                               Error(ErrorCode::MissingParameter, "The request must contain the parameter QueueUrl"),
                               "req-3");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(header(r, "x-amzn-RequestId"), "req-3");
  EXPECT_EQ(header(r, "x-amzn-query-error"), "MissingParameter;Sender");
  EXPECT_EQ(json::parse(r.body),
            json::parse(R"({"__type":"MissingParameter",
                            "message":"The request must contain the parameter QueueUrl"})"));
}

// The SQS error rows (QueueDoesNotExist, ...) belong to the SQS area; this model-only test
// builds the same mapping from the alias table so it does not depend on their spelling.
TEST(ErrorEncoder, SqsAliasesMapBothWays) {
  const ServiceModel& sqs = model("sqs");
  const QueryErrorAlias* alias = sqs.queryErrorAlias("AWS.SimpleQueueService.NonExistentQueue");
  ASSERT_NE(alias, nullptr);
  EXPECT_EQ(alias->shapeName, "QueueDoesNotExist");
}

}  // namespace
}  // namespace overcast::protocol

namespace overcast::protocol {
namespace {

// A model whose "MissingParameter" shape has a legacy query code, to drive the alias path with
// an error code that exists in error_codes.def.
std::unique_ptr<ServiceModel> aliasModel() {
  auto m = ServiceModel::fromJson("t", testing::obj(R"({
    "metadata":{"protocol":"json","jsonVersion":"1.0","awsQueryCompatible":{},
                "queryXmlNamespace":"urn:q"},
    "operations":{},
    "shapes":{"MissingParameter":{"type":"structure","members":{},"exception":true,
              "queryError":{"code":"AWS.Legacy.Missing","httpStatusCode":400,"senderFault":true}}}})"));
  EXPECT_TRUE(m);
  return std::move(*m);
}

TEST(ErrorEncoder, AliasGivesShapeNameInJsonAndLegacyCodeInQuery) {
  auto m = aliasModel();
  Error error(ErrorCode::MissingParameter, "m");
  HttpResponse j = encodeError(m.get(), Protocol::Json, error, "r");
  EXPECT_EQ(testing::header(j, "x-amzn-query-error"), "AWS.Legacy.Missing;Sender");
  EXPECT_EQ(boost::json::parse(j.body),
            boost::json::parse(R"({"__type":"MissingParameter","message":"m"})"));
  HttpResponse q = encodeError(m.get(), Protocol::Query, error, "r");
  EXPECT_NE(q.body.find(R"(<ErrorResponse xmlns="urn:q">)"), std::string::npos) << q.body;
  EXPECT_NE(q.body.find("<Code>AWS.Legacy.Missing</Code>"), std::string::npos) << q.body;
}

}  // namespace
}  // namespace overcast::protocol
