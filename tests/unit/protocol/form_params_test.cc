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

}  // namespace
}  // namespace overcast::protocol
