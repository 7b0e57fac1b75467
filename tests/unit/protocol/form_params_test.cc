#include "protocol/codec.h"

#include <gtest/gtest.h>

namespace overcast::protocol {
namespace {

TEST(FormParams, SplitsPairsInOrder) {
  auto p = parseFormEncoded("Action=DescribeRegions&Version=2016-11-15&RegionName.1=us-east-1");
  ASSERT_TRUE(p);
  Params expected{{"Action", "DescribeRegions"}, {"Version", "2016-11-15"},
                  {"RegionName.1", "us-east-1"}};
  EXPECT_EQ(*p, expected);
}

TEST(FormParams, PercentDecodesAndPlusIsSpace) {
  auto p = parseFormEncoded("MessageBody=hello+world%21%20%26%3D%2B&Name%2E1=%C3%A9");
  ASSERT_TRUE(p);
  ASSERT_EQ(p->size(), 2u);
  EXPECT_EQ((*p)[0].second, "hello world! &=+");
  EXPECT_EQ((*p)[1].first, "Name.1");
  EXPECT_EQ((*p)[1].second, "\xC3\xA9");
}

TEST(FormParams, EmptyPiecesAndMissingValues) {
  auto p = parseFormEncoded("&a=&&b&c=1=2&");
  ASSERT_TRUE(p);
  Params expected{{"a", ""}, {"b", ""}, {"c", "1=2"}};
  EXPECT_EQ(*p, expected);
  auto empty = parseFormEncoded("");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(FormParams, MalformedEscapesAreErrors) {
  for (const char* bad : {"a=%", "a=%4", "a=%zz", "a%G1=1", "x=1&a=%2"}) {
    auto p = parseFormEncoded(bad);
    ASSERT_FALSE(p) << bad;
    EXPECT_EQ(p.error().code(), ErrorCode::MalformedQueryString) << bad;
  }
}

TEST(FormParams, Utf8IsRequired) {
  auto good = parseFormEncoded("a=%E2%82%AC&b=%F0%9F%98%80&c=caf%C3%A9");
  ASSERT_TRUE(good);
  EXPECT_EQ((*good)[0].second, "\xE2\x82\xAC");
  for (const char* bad : {"a=%FF%FE", "a=%C0%AF", "a=%E0%80%AF", "a=%ED%A0%80", "a=%F4%90%80%80", "a=%C3", "%FF=1",
                          "a=%E2%82"}) {
    auto p = parseFormEncoded(bad);
    ASSERT_FALSE(p) << bad;
    EXPECT_EQ(p.error().code(), ErrorCode::InvalidParameterValue) << bad;
  }
}

TEST(FormParams, TooManyParametersAreRefused) {
  std::string text;
  for (size_t i = 0; i < kMaxParams; ++i) text += "p" + std::to_string(i) + "=1&";
  ASSERT_TRUE(parseFormEncoded(text));
  text += "one=more";
  auto p = parseFormEncoded(text);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code(), ErrorCode::InvalidParameterValue);
}

}  // namespace
}  // namespace overcast::protocol
