// signRequest(): what the client side signs, and that verify() accepts it.
#include <gtest/gtest.h>

#include "auth/sigv4.h"
#include "map_credential_store.h"

namespace overcast::auth {
namespace {

using namespace std::chrono;
const TimePoint kNow = sys_days(year{2024} / March / day{5}) + hours(7) + minutes(8) + seconds(9);

TEST(SignRequest, RoundTripsThroughVerify) {
  testing::MapCredentialStore store;
  store.add({"AKIAOVERCAST", "s3cr3t/+=", "123456789012", true});
  HttpRequest r;
  r.method = "POST";
  r.target = "/some%20path/./x//y?b=2&a=%E1%88%B4&a=1&empty=";
  r.headers = {{"Host", "127.0.0.1:4566"},
               {"Content-Type", "application/x-amz-json-1.0"},
               {"X-Amz-Target", "AmazonSQS.ListQueues"},
               {"User-Agent", "bench/1.0"},
               {"X-Custom", "  a   b  "}};
  r.body = R"({"QueueNamePrefix":"q"})";
  signRequest(r, "AKIAOVERCAST", "s3cr3t/+=", "0", "127", kNow);

  EXPECT_EQ(r.header("X-Amz-Date"), "20240305T070809Z");
  std::string auth(r.header("Authorization"));
  EXPECT_EQ(auth.rfind("AWS4-HMAC-SHA256 Credential=AKIAOVERCAST/20240305/0/127/aws4_request, "
                       "SignedHeaders=content-type;host;x-amz-date;x-amz-target;x-custom, Signature=",
                       0),
            0u)
      << auth;

  auto v = verify(r, store, kNow + seconds(30), VerifyOptions{});
  ASSERT_TRUE(v.ok()) << v.error().message();
  EXPECT_EQ(v->credential.accountId, "123456789012");
  EXPECT_TRUE(v->credential.admin);
  EXPECT_EQ(v->info.scope.region, "0");
  EXPECT_EQ(v->info.scope.service, "127");

  // The user agent is not signed, so a proxy may rewrite it; signed things may not change.
  HttpRequest ua = r;
  for (auto& h : ua.headers)
    if (h.name == "User-Agent") h.value = "other";
  EXPECT_TRUE(verify(ua, store, kNow, VerifyOptions{}).ok());
  HttpRequest target = r;
  target.headers[2].value = "AmazonSQS.DeleteQueue";
  EXPECT_FALSE(verify(target, store, kNow, VerifyOptions{}).ok());
  HttpRequest query = r;
  query.target.replace(query.target.find("b=2"), 3, "b=3");
  EXPECT_FALSE(verify(query, store, kNow, VerifyOptions{}).ok());
}

TEST(SignRequest, ReplacesEarlierSignatureAndAddsHost) {
  testing::MapCredentialStore store = testing::suiteStore();
  HttpRequest r;
  r.method = "GET";
  r.target = "/";
  r.headers = {{"authorization", "stale"}, {"x-amz-date", "19990101T000000Z"}};
  signRequest(r, testing::kSuiteAccessKey, testing::kSuiteSecret, "us-east-1", "ec2", kNow);
  int authorizations = 0, dates = 0;
  for (const auto& h : r.headers) {
    authorizations += equalsIgnoreCase(h.name, "Authorization");
    dates += equalsIgnoreCase(h.name, "X-Amz-Date");
  }
  EXPECT_EQ(authorizations, 1);
  EXPECT_EQ(dates, 1);
  EXPECT_EQ(r.header("Host"), "localhost");
  EXPECT_TRUE(verify(r, store, kNow, VerifyOptions{}).ok());
  // Signing again later moves the date and still verifies.
  signRequest(r, testing::kSuiteAccessKey, testing::kSuiteSecret, "us-east-1", "ec2", kNow + hours(1));
  EXPECT_EQ(r.header("X-Amz-Date"), "20240305T080809Z");
  EXPECT_TRUE(verify(r, store, kNow + hours(1), VerifyOptions{}).ok());
  EXPECT_FALSE(verify(r, store, kNow, VerifyOptions{}).ok());
}

}  // namespace
}  // namespace overcast::auth
