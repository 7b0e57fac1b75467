#include "auth/signing_key_cache.h"

#include <gtest/gtest.h>

#include "map_credential_store.h"

namespace overcast::auth {
namespace {

TEST(SigningKeyCache, SameKeyAsDerivedAndDistinctPerScope) {
  SigningKeyCache cache(8);
  Scope a{"20150830", "us-east-1", "service"};
  Scope b{"20150831", "us-east-1", "service"};
  Scope c{"20150830", "eu-west-1", "service"};
  EXPECT_EQ(cache.get("secret", a), deriveSigningKey("secret", a));
  EXPECT_EQ(cache.get("secret", a), deriveSigningKey("secret", a));  // a hit
  EXPECT_NE(cache.get("secret", a), cache.get("secret", b));
  EXPECT_NE(cache.get("secret", a), cache.get("secret", c));
  EXPECT_NE(cache.get("secret", a), cache.get("other", a));
  for (int i = 0; i < 20; ++i) {  // past the bound: still right
    Scope s{"20150830", "r" + std::to_string(i), "service"};
    EXPECT_EQ(cache.get("secret", s), deriveSigningKey("secret", s));
  }
}

TEST(SigningKeyCache, VerifyWithCacheAcceptsAndRejectsLikeWithout) {
  testing::MapCredentialStore keys;
  keys.add({"AK", "good-secret", "123456789012", false});
  TimePoint now = TimePoint(std::chrono::seconds(1440938160));  // 2015-08-30T12:36:00Z
  auto signedWith = [&](std::string_view secret) {
    HttpRequest r;
    r.method = "POST";
    r.target = "/";
    r.body = "Action=GetCallerIdentity&Version=2011-06-15";
    r.headers.push_back({"Host", "example.amazonaws.com"});
    signRequest(r, "AK", secret, "us-east-1", "sts", now);
    return r;
  };
  HttpRequest req = signedWith("good-secret");
  SigningKeyCache cache;
  for (int round = 0; round < 2; ++round) {  // a miss, then a hit
    auto info = parseSignatureInfo(req);
    ASSERT_TRUE(info);
    EXPECT_TRUE(verify(req, *info, keys, now, {}, &cache)) << round;
  }
  HttpRequest forged = signedWith("bad-secret");
  auto info = parseSignatureInfo(forged);
  ASSERT_TRUE(info);
  auto r = verify(forged, *info, keys, now, {}, &cache);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::SignatureDoesNotMatch);
}

}  // namespace
}  // namespace overcast::auth
