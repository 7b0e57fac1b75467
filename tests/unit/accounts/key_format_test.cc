#include "accounts/key_format.h"

#include <gtest/gtest.h>

#include <set>

namespace overcast::accounts {
namespace {

bool allIn(std::string_view s, std::string_view alphabet) {
  return s.find_first_not_of(alphabet) == std::string_view::npos;
}

TEST(KeyFormat, AccountIds) {
  EXPECT_TRUE(isValidAccountId("000000000000"));
  EXPECT_TRUE(isValidAccountId("123456789012"));
  EXPECT_FALSE(isValidAccountId("12345678901"));
  EXPECT_FALSE(isValidAccountId("1234567890123"));
  EXPECT_FALSE(isValidAccountId("12345678901a"));
  auto ids = makeRandomIdGenerator();
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(isValidAccountId(newAccountId(*ids)));
}

TEST(KeyFormat, AccessKeysLookLikeAws) {
  auto ids = makeRandomIdGenerator();
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string id = newAccessKeyId(*ids);
    ASSERT_EQ(id.size(), 20u);
    EXPECT_EQ(id.substr(0, 4), "AKIA");
    EXPECT_TRUE(allIn(id.substr(4), "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")) << id;
    seen.insert(id);
    std::string secret = newSecretAccessKey(*ids);
    ASSERT_EQ(secret.size(), 40u);
    EXPECT_TRUE(allIn(secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")) << secret;
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(KeyFormat, DeterministicUnderASequentialGenerator) {
  auto a = makeSequentialIdGenerator(1);
  auto b = makeSequentialIdGenerator(1);
  EXPECT_EQ(newAccessKeyId(*a), newAccessKeyId(*b));
  EXPECT_EQ(newAccountId(*a), newAccountId(*b));
  auto c = makeSequentialIdGenerator(7);
  EXPECT_EQ(newAccountId(*c), "000000000007");
  // Counter 8 in the last of 80 bits: base32 of ...0001000 -> "...AI".
  EXPECT_EQ(newAccessKeyId(*c), "AKIAAAAAAAAAAAAAAAAI");
}

}  // namespace
}  // namespace overcast::accounts
