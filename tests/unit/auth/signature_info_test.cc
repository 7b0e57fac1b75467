// Parsing the two SigV4 forms, and the errors for requests that carry none or a broken one.
#include <gtest/gtest.h>

#include "auth/sigv4.h"

namespace overcast::auth {
namespace {

constexpr const char* kGoodAuth =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

HttpRequest withAuth(std::string authorization) {
  HttpRequest r;
  r.method = "GET";
  r.target = "/";
  r.headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}};
  r.headers.push_back({"Authorization", std::move(authorization)});
  return r;
}

void expectIncomplete(const HttpRequest& r, std::string_view messagePart = {}) {
  auto info = parseSignatureInfo(r);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code(), ErrorCode::IncompleteSignature) << info.error().message();
  EXPECT_NE(info.error().message().find(messagePart), std::string::npos) << info.error().message();
}

TEST(SignatureInfo, ParsesHeaderForm) {
  HttpRequest r = withAuth(kGoodAuth);
  r.headers.push_back({"X-Amz-Security-Token", " tok "});
  EXPECT_TRUE(hasSigV4(r));
  auto info = parseSignatureInfo(r);
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_EQ(info->accessKeyId, "AKIDEXAMPLE");
  EXPECT_EQ(info->scope.date, "20150830");
  EXPECT_EQ(info->scope.region, "us-east-1");
  EXPECT_EQ(info->scope.service, "service");
  EXPECT_EQ(info->signedHeaders, (std::vector<std::string>{"host", "x-amz-date"}));
  EXPECT_EQ(info->signature, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  EXPECT_EQ(info->amzDate, "20150830T123600Z");
  EXPECT_FALSE(info->presigned);
  EXPECT_FALSE(info->expires.has_value());
  EXPECT_EQ(info->securityToken, "tok");
}

TEST(SignatureInfo, AcceptsBoto2ScopeAndCompactSeparators) {
  HttpRequest r = withAuth(
      "AWS4-HMAC-SHA256 Credential=test/20150830/0/127/aws4_request,SignedHeaders=Host;X-Amz-Date,Signature=ab");
  auto info = parseSignatureInfo(r);
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_EQ(info->scope.region, "0");
  EXPECT_EQ(info->scope.service, "127");
  EXPECT_EQ(info->signedHeaders, (std::vector<std::string>{"host", "x-amz-date"}));
}

TEST(SignatureInfo, FallsBackToDateHeader) {
  HttpRequest r = withAuth(kGoodAuth);
  r.headers[1] = {"Date", "Sun, 30 Aug 2015 12:36:00 GMT"};
  auto info = parseSignatureInfo(r);
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_EQ(info->amzDate, "20150830T123600Z");
}

TEST(SignatureInfo, MissingAuthentication) {
  HttpRequest r;
  r.method = "GET";
  r.target = "/?Action=ListQueues&Signature=abc&SignatureVersion=2";
  EXPECT_FALSE(hasSigV4(r));
  auto info = parseSignatureInfo(r);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code(), ErrorCode::MissingAuthenticationToken);
  EXPECT_EQ(info.error().message(), "Request is missing Authentication Token");
}

TEST(SignatureInfo, MalformedAuthorizationHeaders) {
  expectIncomplete(withAuth(""), "Unsupported AWS 'algorithm'");
  expectIncomplete(withAuth("AWS AKIDEXAMPLE:c2lnbmF0dXJl"), "Unsupported AWS 'algorithm': 'AWS'");
  expectIncomplete(withAuth("AWS4-HMAC-SHA256"), "Authorization header requires 'Credential' parameter.");
  expectIncomplete(
      withAuth("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, Signature=ab"),
      "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Credential=");
  expectIncomplete(withAuth("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                            "SignedHeaders=host"),
                   "Authorization header requires 'Signature' parameter.");
  expectIncomplete(withAuth("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/aws4_request, "
                            "SignedHeaders=host, Signature=ab"),
                   "Credential must have exactly 5 slash-delimited elements");
  expectIncomplete(withAuth("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request/x, "
                            "SignedHeaders=host, Signature=ab"),
                   "Credential must have exactly 5 slash-delimited elements");
  expectIncomplete(withAuth("AWS4-HMAC-SHA256 Credential=/20150830/us-east-1/service/aws4_request, "
                            "SignedHeaders=host, Signature=ab"),
                   "Credential must have exactly 5");
  expectIncomplete(withAuth("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws5_request, "
                            "SignedHeaders=host, Signature=ab"),
                   "valid terminator: 'aws4_request', not 'aws5_request'");
  expectIncomplete(withAuth("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/2015-8-30/us-east-1/service/aws4_request, "
                            "SignedHeaders=host, Signature=ab"),
                   "Invalid credential date");
  expectIncomplete(withAuth("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                            "SignedHeaders=host;;x-amz-date, Signature=ab"),
                   "empty header name");
}

TEST(SignatureInfo, MissingOrBadDate) {
  HttpRequest r = withAuth(kGoodAuth);
  r.headers.erase(r.headers.begin() + 1);
  expectIncomplete(r, "requires existence of either a 'X-Amz-Date' or a 'Date' header");
  r.headers.push_back({"X-Amz-Date", "2015-08-30T12:36:00Z"});
  expectIncomplete(r, "Date must be in ISO-8601 'basic format'. Got '2015-08-30T12:36:00Z'");
  r.headers.back() = {"Date", "yesterday"};
  expectIncomplete(r, "RFC 1123");
}

TEST(SignatureInfo, ParsesPresignedQuery) {
  HttpRequest r;
  r.method = "GET";
  r.target =
      "/?Action=ListQueues&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20150830%2Fus-east-1%2Fsqs%2F"
      "aws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&"
      "X-Amz-Security-Token=a%2Bb&X-Amz-Signature=abcd";
  r.headers = {{"Host", "localhost:4566"}};
  EXPECT_TRUE(hasSigV4(r));
  auto info = parseSignatureInfo(r);
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_TRUE(info->presigned);
  EXPECT_EQ(info->accessKeyId, "AK");
  EXPECT_EQ(info->scope.service, "sqs");
  EXPECT_EQ(info->amzDate, "20150830T123600Z");
  ASSERT_TRUE(info->expires.has_value());
  EXPECT_EQ(info->expires->count(), 900);
  EXPECT_EQ(info->signedHeaders, std::vector<std::string>{"host"});
  EXPECT_EQ(info->signature, "abcd");
  EXPECT_EQ(info->securityToken, "a+b");
}

TEST(SignatureInfo, BadPresignedQueries) {
  const std::string base =
      "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20150830%2Fus-east-1%2Fsqs%2Faws4_request&"
      "X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Signature=abcd";
  HttpRequest r;
  r.method = "GET";
  for (const char* expires : {"0", "604801", "-5", "abc", "", "99999999999"}) {
    r.target = base + "&X-Amz-Expires=" + expires;
    expectIncomplete(r, "X-Amz-Expires must be between 1 and 604800");
  }
  r.target = base + "&X-Amz-Expires=604800";
  EXPECT_TRUE(parseSignatureInfo(r).ok());
  r.target = "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20150830T123600Z";
  expectIncomplete(r, "requires the X-Amz-Algorithm, X-Amz-Credential");
  r.target = "/?X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&X-Amz-Credential=a&X-Amz-Date=20150830T123600Z&"
             "X-Amz-SignedHeaders=host&X-Amz-Signature=ab";
  expectIncomplete(r, "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'");
}

}  // namespace
}  // namespace overcast::auth
