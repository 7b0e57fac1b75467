#include "protocol/value_conversions.h"

#include <gtest/gtest.h>

namespace overcast::protocol::detail {
namespace {

TEST(Timestamps, ParsesIso8601Variants) {
  EXPECT_EQ(parseTimestamp("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parseTimestamp("2024-01-02T03:04:05Z"), 1704164645000);
  EXPECT_EQ(parseTimestamp("2024-01-02T03:04:05.678Z"), 1704164645678);
  EXPECT_EQ(parseTimestamp("2024-01-02T03:04:05.5"), 1704164645500);
  EXPECT_EQ(parseTimestamp("2024-01-02T05:04:05+02:00"), 1704164645000);
  EXPECT_EQ(parseTimestamp("2024-01-02"), 1704153600000);
  EXPECT_EQ(parseTimestamp("1704164645.25"), 1704164645250);
  for (const char* bad : {"", "2024-13-01", "2024-01-02T25:00:00Z", "yesterday", "2024-01-02Tx",
                          "2024-01-02T03:04:05Zjunk"}) {
    EXPECT_FALSE(parseTimestamp(bad)) << bad;
  }
}

TEST(Timestamps, FormatsWithMillisecondsAndZ) {
  EXPECT_EQ(formatIso8601(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(formatIso8601(1704164645678), "2024-01-02T03:04:05.678Z");
  EXPECT_EQ(formatIso8601(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(parseTimestamp(formatIso8601(951782400123)), 951782400123);  // 2000-02-29
}

TEST(Base64, RoundTripsEveryPaddingLength) {
  for (std::string s : {std::string(), std::string("a"), std::string("ab"), std::string("abc"),
                        std::string("\x00\x01\xff", 3)}) {
    auto back = base64Decode(base64Encode(s));
    ASSERT_TRUE(back) << s;
    EXPECT_EQ(*back, s);
  }
  EXPECT_EQ(base64Encode("hello"), "aGVsbG8=");
  EXPECT_FALSE(base64Decode("aGVsbG8"));
  EXPECT_FALSE(base64Decode("aGV sbG8="));
  EXPECT_FALSE(base64Decode("a*=="));
}

TEST(Scalars, StrictParsing) {
  EXPECT_EQ(parseInt64("42"), 42);
  EXPECT_EQ(parseInt64("-7"), -7);
  EXPECT_FALSE(parseInt64("12abc"));
  EXPECT_FALSE(parseInt64(""));
  EXPECT_FALSE(parseInt64("99999999999999999999"));
  EXPECT_EQ(parseDouble("1.5"), 1.5);
  EXPECT_FALSE(parseDouble("nan"));
  EXPECT_EQ(parseBool("TRUE"), true);
  EXPECT_EQ(parseBool("false"), false);
  EXPECT_FALSE(parseBool("yes"));
  EXPECT_EQ(formatDouble(1.5), "1.5");
  EXPECT_EQ(formatDouble(100.0), "100");
}

}  // namespace
}  // namespace overcast::protocol::detail
