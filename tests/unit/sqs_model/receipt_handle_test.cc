#include "services/sqs/model/receipt_handle.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace overcast::sqs {
namespace {

bool sameHandle(const ReceiptHandle& a, const ReceiptHandle& b) {
  return a.queueId == b.queueId && a.sequence == b.sequence && a.receiveCount == b.receiveCount && a.nonce == b.nonce;
}

bool isUrlSafe(const std::string& s) {
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  return true;
}

TEST(ReceiptHandleTest, RoundTrips) {
  const ReceiptHandle cases[] = {
      {0, 0, 0, ""},
      {1, 2, 3, "nonce"},
      {INT64_MAX, INT64_MAX, INT64_MAX, std::string(255, '\xff')},
      {42, 123456789, 1, std::string("\x00\x01\xfe", 3)},
      {7, 8, 9, "a"},
      {7, 8, 9, "ab"},
  };
  for (const auto& h : cases) {
    const auto text = encodeReceiptHandle(h);
    EXPECT_TRUE(isUrlSafe(text)) << text;
    EXPECT_LE(text.size(), 1024u);
    auto back = decodeReceiptHandle(text);
    ASSERT_TRUE(back.ok()) << text;
    EXPECT_TRUE(sameHandle(*back, h));
  }
}

TEST(ReceiptHandleTest, DistinctHandlesGiveDistinctText) {
  EXPECT_NE(encodeReceiptHandle({1, 2, 3, "n"}), encodeReceiptHandle({1, 2, 4, "n"}));
  EXPECT_NE(encodeReceiptHandle({1, 2, 3, "n"}), encodeReceiptHandle({1, 2, 3, "m"}));
  EXPECT_NE(encodeReceiptHandle({2, 1, 3, "n"}), encodeReceiptHandle({1, 2, 3, "n"}));
}

TEST(ReceiptHandleTest, RejectsMalformedText) {
  const auto good = encodeReceiptHandle({1, 2, 3, "nonce"});
  for (std::string bad : {std::string(), std::string("not a handle"), good + "=", good + "A", good + "AA",
                          good.substr(0, good.size() - 1), good.substr(1), std::string("AAAA"),
                          std::string(2000, 'A'), good + "\n", "+" + good.substr(1), "/" + good.substr(1)}) {
    auto r = decodeReceiptHandle(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::ReceiptHandleIsInvalid);
  }
  auto r = decodeReceiptHandle("abc");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "The input receipt handle \"abc\" is not a valid receipt handle.");
}

TEST(ReceiptHandleTest, RejectsWrongVersionLengthAndNegatives) {
  // Build texts from the same encoder, then damage the bytes through a valid handle's neighbours.
  const auto negative = encodeReceiptHandle({-1, 2, 3, "n"});
  EXPECT_FALSE(decodeReceiptHandle(negative).ok());
  EXPECT_FALSE(decodeReceiptHandle(encodeReceiptHandle({1, -2, 3, "n"})).ok());
  EXPECT_FALSE(decodeReceiptHandle(encodeReceiptHandle({1, 2, INT64_MIN, "n"})).ok());

  // Flipping the first character changes the version byte.
  auto text = encodeReceiptHandle({1, 2, 3, "nonce"});
  ASSERT_EQ(text[0], 'A');  // version 1 = 0b00000001 -> first sextet 0
  text[0] = 'B';
  EXPECT_FALSE(decodeReceiptHandle(text).ok());

  // A handle whose nonce was cut short has a length byte that no longer matches.
  const auto longer = encodeReceiptHandle({1, 2, 3, "nonce-123"});
  EXPECT_FALSE(decodeReceiptHandle(longer.substr(0, longer.size() - 4)).ok());
}

TEST(ReceiptHandleTest, NonCanonicalBase64IsRejected) {
  // 26 fixed bytes + a 2-byte nonce = 28 bytes: the last character carries 2 data bits and 4
  // unused ones. Setting an unused bit keeps the bytes but changes the text: not our handle.
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const auto text = encodeReceiptHandle({1, 2, 3, "ab"});
  ASSERT_TRUE(decodeReceiptHandle(text).ok());
  std::string tweaked = text;
  tweaked.back() = alphabet[alphabet.find(tweaked.back()) ^ 1];
  ASSERT_NE(tweaked, text);
  EXPECT_FALSE(decodeReceiptHandle(tweaked).ok());
}

TEST(ReceiptHandleTest, RandomTextNeverCrashesNorDecodesToAnotherHandle) {
  std::mt19937 rng(12345);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/= \x01\xff";
  for (int i = 0; i < 20000; ++i) {
    std::string text(rng() % 80, 'A');
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    auto r = decodeReceiptHandle(text);
    if (r.ok()) {
      EXPECT_EQ(encodeReceiptHandle(*r), text);
    }
  }
}

TEST(ReceiptHandleTest, MutatedHandlesNeverDecodeToADifferentHandleWithTheSameText) {
  std::mt19937 rng(777);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const auto original = encodeReceiptHandle({5, 6, 7, "random-nonce"});
  int accepted = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string text = original;
    text[rng() % text.size()] = alphabet[rng() % alphabet.size()];
    auto r = decodeReceiptHandle(text);
    if (!r.ok()) continue;
    ++accepted;
    EXPECT_EQ(encodeReceiptHandle(*r), text);
    if (text != original) {
      EXPECT_FALSE(sameHandle(*r, ReceiptHandle{5, 6, 7, "random-nonce"}));
    }
  }
  EXPECT_GT(accepted, 0);  // a one-character change inside the nonce is a different, valid handle
}

}  // namespace
}  // namespace overcast::sqs
