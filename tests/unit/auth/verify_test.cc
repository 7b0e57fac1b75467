// verify(): the time window, key lookup, presigned URLs, acceptAnyKey and the payload hash.
#include <gtest/gtest.h>

#include "auth/sigv4.h"
#include "map_credential_store.h"
#include "presign.h"

namespace overcast::auth {
namespace {

using namespace std::chrono;
using testing::kSuiteAccessKey;
using testing::kSuiteSecret;

const TimePoint kT0 = sys_days(year{2015} / August / day{30}) + hours(12) + minutes(36);

HttpRequest sqsPost() {
  HttpRequest r;
  r.method = "POST";
  r.target = "/";
  r.headers = {{"Host", "localhost:4566"}, {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  r.body = "Action=SendMessage&QueueUrl=http%3A%2F%2Flocalhost%3A4566%2F000000000000%2Fq&MessageBody=hi";
  return r;
}

HttpRequest signedAt(TimePoint t, std::string_view key = kSuiteAccessKey, std::string_view secret = kSuiteSecret) {
  HttpRequest r = sqsPost();
  signRequest(r, key, secret, "us-east-1", "sqs", t);
  return r;
}

class VerifyTest : public ::testing::Test {
 protected:
  Result<Verified> check(const HttpRequest& r, TimePoint now, VerifyOptions options = {}) const {
    return verify(r, store_, now, options);
  }
  void expectError(const Result<Verified>& v, ErrorCode code, std::string_view message = {}) const {
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.error().code(), code) << v.error().message();
    if (!message.empty()) {
      EXPECT_EQ(v.error().message(), message);
    }
  }
  testing::MapCredentialStore store_ = testing::suiteStore();
};

TEST_F(VerifyTest, ClockSkewInThePast) {
  HttpRequest r = signedAt(kT0);
  EXPECT_TRUE(check(r, kT0 + minutes(5)).ok());
  expectError(check(r, kT0 + minutes(10)), ErrorCode::RequestExpired,
              "Signature expired: 20150830T123600Z is now earlier than 20150830T124100Z (20150830T124600Z - 5 min.)");
  expectError(check(r, kT0 + minutes(5) + seconds(1)), ErrorCode::RequestExpired);
}

TEST_F(VerifyTest, ClockSkewInTheFuture) {
  HttpRequest r = signedAt(kT0);
  EXPECT_TRUE(check(r, kT0 - minutes(5)).ok());
  expectError(check(r, kT0 - minutes(10)), ErrorCode::RequestExpired,
              "Signature not yet current: 20150830T123600Z is still later than 20150830T123100Z "
              "(20150830T122600Z + 5 min.)");
}

TEST_F(VerifyTest, SkewWindowIsConfigurable) {
  HttpRequest r = signedAt(kT0);
  VerifyOptions wide;
  wide.maxClockSkew = minutes(15);
  EXPECT_TRUE(check(r, kT0 + minutes(10), wide).ok());
  VerifyOptions odd;
  odd.maxClockSkew = seconds(90);
  expectError(check(r, kT0 + minutes(2), odd), ErrorCode::RequestExpired,
              "Signature expired: 20150830T123600Z is now earlier than 20150830T123630Z (20150830T123800Z - 90 sec.)");
}

TEST_F(VerifyTest, UnknownKey) {
  expectError(check(signedAt(kT0, "AKIDUNKNOWN"), kT0), ErrorCode::InvalidClientTokenId,
              "The security token included in the request is invalid.");
}

TEST_F(VerifyTest, WrongSecret) {
  expectError(check(signedAt(kT0, kSuiteAccessKey, "not-the-secret"), kT0), ErrorCode::SignatureDoesNotMatch,
              "The request signature we calculated does not match the signature you provided. Check your AWS "
              "Secret Access Key and signing method. Consult the service documentation for details.");
}

TEST_F(VerifyTest, ScopeDateMustMatchRequestDate) {
  HttpRequest r = signedAt(kT0);
  for (auto& h : r.headers)
    if (h.name == "Authorization") h.value.replace(h.value.find("/20150830/"), 10, "/20150831/");
  expectError(check(r, kT0), ErrorCode::SignatureDoesNotMatch);
}

TEST_F(VerifyTest, MissingAuthentication) {
  expectError(check(sqsPost(), kT0), ErrorCode::MissingAuthenticationToken);
}

TEST_F(VerifyTest, MalformedHeaderIsIncompleteSignature) {
  HttpRequest r = signedAt(kT0);
  for (auto& h : r.headers)
    if (h.name == "Authorization") h.value = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sqs";
  expectError(check(r, kT0), ErrorCode::IncompleteSignature);
}

TEST_F(VerifyTest, PresignedUrlAcceptedUntilExpiry) {
  HttpRequest r;
  r.method = "GET";
  r.target = "/000000000000/q?Action=ReceiveMessage&MaxNumberOfMessages=1";
  r.headers = {{"Host", "localhost:4566"}};
  testing::presign(r, kSuiteAccessKey, kSuiteSecret, kT0, 3600);

  auto ok = check(r, kT0 + minutes(59));  // far outside the 5-minute skew, inside X-Amz-Expires
  ASSERT_TRUE(ok.ok()) << ok.error().message();
  EXPECT_TRUE(ok->info.presigned);
  EXPECT_TRUE(check(r, kT0 + seconds(3600)).ok());
  expectError(check(r, kT0 + seconds(3601)), ErrorCode::RequestExpired, "Request has expired.");
  expectError(check(r, kT0 - minutes(6)), ErrorCode::RequestExpired);  // from the future
}

TEST_F(VerifyTest, PresignedUrlTampered) {
  HttpRequest r;
  r.method = "GET";
  r.target = "/?Action=ListQueues&QueueNamePrefix=a";
  r.headers = {{"Host", "localhost:4566"}};
  testing::presign(r, kSuiteAccessKey, kSuiteSecret, kT0, 60);
  ASSERT_TRUE(check(r, kT0).ok());

  HttpRequest param = r;
  param.target.replace(param.target.find("QueueNamePrefix=a"), 17, "QueueNamePrefix=b");
  expectError(check(param, kT0), ErrorCode::SignatureDoesNotMatch);

  HttpRequest expires = r;
  expires.target.replace(expires.target.find("X-Amz-Expires=60"), 16, "X-Amz-Expires=61");
  expectError(check(expires, kT0), ErrorCode::SignatureDoesNotMatch);

  HttpRequest host = r;
  host.headers[0].value = "localhost:4567";
  expectError(check(host, kT0), ErrorCode::SignatureDoesNotMatch);

  HttpRequest body = r;
  body.body = "Action=DeleteQueue";
  expectError(check(body, kT0), ErrorCode::SignatureDoesNotMatch);

  HttpRequest added = r;
  added.target += "&Extra=1";
  expectError(check(added, kT0), ErrorCode::SignatureDoesNotMatch);
}

TEST_F(VerifyTest, AcceptAnyKeySelectsAccount) {
  VerifyOptions any;
  any.acceptAnyKey = true;
  any.defaultAccountId = "000000000000";

  auto twelve = check(signedAt(kT0, "123456789012", "whatever"), kT0, any);
  ASSERT_TRUE(twelve.ok()) << twelve.error().message();
  EXPECT_EQ(twelve->credential.accountId, "123456789012");
  EXPECT_EQ(twelve->credential.accessKeyId, "123456789012");
  EXPECT_FALSE(twelve->credential.admin);

  auto other = check(signedAt(kT0, "test", "test"), kT0, any);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->credential.accountId, "000000000000");

  auto notTwelve = check(signedAt(kT0, "12345678901", "x"), kT0, any);
  ASSERT_TRUE(notTwelve.ok());
  EXPECT_EQ(notTwelve->credential.accountId, "000000000000");

  // Known keys do not get their stored account or admin bit: the signature was not checked.
  auto known = check(signedAt(kT0, kSuiteAccessKey, "wrong"), kT0, any);
  ASSERT_TRUE(known.ok());
  EXPECT_EQ(known->credential.accountId, "000000000000");
  EXPECT_FALSE(known->credential.admin);

  // Still parsed: a broken header is still refused.
  expectError(check(sqsPost(), kT0, any), ErrorCode::MissingAuthenticationToken);
}

TEST_F(VerifyTest, ContentSha256HeaderMustMatchBody) {
  HttpRequest r = sqsPost();
  r.headers.push_back({"X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD"});
  signRequest(r, kSuiteAccessKey, kSuiteSecret, "us-east-1", "sqs", kT0);
  ASSERT_TRUE(check(r, kT0).ok());
  r.body += "&Extra=1";  // an unsigned payload may change
  EXPECT_TRUE(check(r, kT0).ok());

  HttpRequest h = sqsPost();
  // sha256("Action=...hi") of the original body, computed by signing a copy without the header.
  h.headers.push_back({"X-Amz-Content-SHA256", std::string(64, '0')});
  signRequest(h, kSuiteAccessKey, kSuiteSecret, "us-east-1", "sqs", kT0);
  expectError(check(h, kT0), ErrorCode::SignatureDoesNotMatch,
              "The provided 'x-amz-content-sha256' header does not match what was computed.");
}

TEST_F(VerifyTest, ContentSha256OfBodyAccepted) {
  HttpRequest r;
  r.method = "POST";
  r.target = "/";
  r.body = "abc";
  r.headers = {{"Host", "h"},
               {"X-Amz-Content-SHA256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}};
  signRequest(r, kSuiteAccessKey, kSuiteSecret, "us-east-1", "sqs", kT0);
  EXPECT_TRUE(check(r, kT0).ok());
  r.body = "abd";
  expectError(check(r, kT0), ErrorCode::SignatureDoesNotMatch);
}

TEST_F(VerifyTest, DateHeaderInsteadOfXAmzDate) {
  HttpRequest r = sqsPost();
  r.headers.push_back({"Date", "Sun, 30 Aug 2015 12:36:00 GMT"});
  SignatureInfo info;
  info.accessKeyId = kSuiteAccessKey;
  info.amzDate = "20150830T123600Z";
  info.scope = Scope{"20150830", "us-east-1", "sqs"};
  info.signedHeaders = {"content-type", "date", "host"};
  std::string sig = computeSignature(kSuiteSecret, info, stringToSign(info, canonicalRequest(r, info)));
  r.headers.push_back({"Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sqs/aws4_request, "
                                        "SignedHeaders=content-type;date;host, Signature=" + sig});
  auto v = check(r, kT0);
  ASSERT_TRUE(v.ok()) << v.error().message();
  EXPECT_EQ(v->info.amzDate, "20150830T123600Z");
  expectError(check(r, kT0 + hours(1)), ErrorCode::RequestExpired);
}

}  // namespace
}  // namespace overcast::auth
