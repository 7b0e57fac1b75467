// Requests signed by botocore 1.43 (SigV4Auth / SigV4QueryAuth, time fixed at
// 2015-08-30T12:36:00Z, AKIDEXAMPLE): independent of our signer, so they pin the server side to
// what real clients send, including a double-encoded path and presigned URLs with a token.
#include <gtest/gtest.h>

#include "auth/sigv4.h"
#include "map_credential_store.h"

namespace overcast::auth {
namespace {

using namespace std::chrono;
const TimePoint kT0 = sys_days(year{2015} / August / day{30}) + hours(12) + minutes(36);

Result<Verified> check(const HttpRequest& r, TimePoint now = kT0) {
  auto store = testing::suiteStore();
  return verify(r, store, now, VerifyOptions{});
}

TEST(BotocoreVectors, HeaderSignedSqsPostWithEncodedPath) {
  HttpRequest r;
  r.method = "POST";
  r.target = "/path%20x/";
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
               {"Host", "localhost:4566"},
               {"X-Amz-Date", "20150830T123600Z"},
               {"Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sqs/aws4_request, "
                "SignedHeaders=content-type;host;x-amz-date, "
                "Signature=a7427cfffaef7620e94a5ff0f56df6a24cf785c0037886172433ea70defe3b8f"}};
  r.body = "Action=SendMessage&MessageBody=hello%20world";
  auto v = check(r);
  ASSERT_TRUE(v.ok()) << v.error().message();
  auto info = parseSignatureInfo(r);
  ASSERT_TRUE(info.ok());
  EXPECT_NE(canonicalRequest(r, *info).find("\n/path%2520x/\n"), std::string::npos);
}

TEST(BotocoreVectors, PresignedStsPost) {
  HttpRequest r;
  r.method = "POST";
  r.target =
      "/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%"
      "2F20150830%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=900&X-Amz-"
      "SignedHeaders=host&X-Amz-Signature=4afb5b62fb744f9644fe243a810d49b22c3ae36a1ffda3272eafcb78c166fa2b";
  r.headers = {{"Host", "localhost:4566"}};
  auto v = check(r, kT0 + minutes(14));
  ASSERT_TRUE(v.ok()) << v.error().message();
  EXPECT_TRUE(v->info.presigned);
  EXPECT_FALSE(check(r, kT0 + minutes(16)).ok());
}

TEST(BotocoreVectors, PresignedEc2GetWithSessionToken) {
  HttpRequest r;
  r.method = "GET";
  r.target =
      "/?Action=DescribeRegions&Version=2016-11-15&Filter.1.Name=region-name&Filter.1.Value.1=us%20east&X-Amz-"
      "Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fec2%2Faws4_request&X-Amz-"
      "Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Security-Token=TOKEN123&X-Amz-"
      "Signature=c29651c5465400585fba99167397f7d42beeea523d4aa3ea1ebac71bebfaed4e";
  r.headers = {{"Host", "127.0.0.1:4566"}};
  auto v = check(r);
  ASSERT_TRUE(v.ok()) << v.error().message();
  EXPECT_EQ(v->info.securityToken, "TOKEN123");
  HttpRequest tampered = r;
  tampered.target.replace(tampered.target.find("us%20east"), 9, "us%20west");
  EXPECT_FALSE(check(tampered).ok());
}

}  // namespace
}  // namespace overcast::auth
