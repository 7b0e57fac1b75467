#include "services/ec2/model/filters.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace overcast::ec2 {
namespace {

namespace json = boost::json;

TEST(WildcardMatch, Literals) {
  EXPECT_TRUE(wildcardMatch("us-east-1a", "us-east-1a"));
  EXPECT_FALSE(wildcardMatch("us-east-1a", "us-east-1b"));
  EXPECT_FALSE(wildcardMatch("us-east-1", "us-east-1a"));
  EXPECT_FALSE(wildcardMatch("US-EAST-1A", "us-east-1a"));  // case-sensitive
}

TEST(WildcardMatch, StarAndQuestion) {
  EXPECT_TRUE(wildcardMatch("us-*", "us-east-1"));
  EXPECT_TRUE(wildcardMatch("*", ""));
  EXPECT_TRUE(wildcardMatch("*-1?", "us-east-1a"));
  EXPECT_FALSE(wildcardMatch("*-1?", "us-east-1"));
  EXPECT_TRUE(wildcardMatch("a*b*c", "axxbyyc"));
  EXPECT_FALSE(wildcardMatch("a*b*c", "axxbyy"));
  EXPECT_TRUE(wildcardMatch("2021-09-29T*", "2021-09-29T10:00:00.000Z"));
}

TEST(WildcardMatch, Escapes) {
  EXPECT_TRUE(wildcardMatch("\\*amazon\\?\\\\", "*amazon?\\"));
  EXPECT_FALSE(wildcardMatch("\\*amazon", "xamazon"));
}

TEST(WildcardMatch, PathologicalPatternStaysFast) {
  std::string text(5000, 'a');
  std::string pattern;
  for (int i = 0; i < 50; ++i) pattern += "*a";
  pattern += "b";
  EXPECT_FALSE(wildcardMatch(pattern, text));
}

TEST(ParseFilters, KnownUnknownAndPrefix) {
  auto in = json::parse(R"({"Filters":[{"Name":"zone-name","Values":["us-east-1a","x"]},{"Name":"tag:Env","Values":["p"]}]})")
                .as_object();
  auto filters = parseFilters(in, {"zone-name", "tag:"});
  ASSERT_TRUE(filters);
  ASSERT_EQ(filters->size(), 2u);
  EXPECT_EQ((*filters)[0].values.size(), 2u);
  auto bad = parseFilters(json::parse(R"({"Filters":[{"Name":"nope","Values":["a"]}]})").as_object(), {"zone-name"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::InvalidParameterValue);
  EXPECT_NE(bad.error().message().find("nope"), std::string::npos);
  EXPECT_FALSE(parseFilters(json::parse(R"({"Filters":[{"Name":"tag:","Values":["a"]}]})").as_object(), {"tag:"}));
}

TEST(MatchesAll, ValuesOrFiltersAnd) {
  std::vector<Filter> filters = {{"a", {"1", "2"}}, {"b", {"x*"}}};
  auto values = [](std::string a, std::string b) {
    return [a, b](std::string_view n) -> std::vector<std::string> { return {n == "a" ? a : b}; };
  };
  EXPECT_TRUE(matchesAll(filters, values("2", "xy")));
  EXPECT_FALSE(matchesAll(filters, values("3", "xy")));
  EXPECT_FALSE(matchesAll(filters, values("1", "yx")));
  EXPECT_TRUE(matchesAll({}, values("3", "q")));
}

}  // namespace
}  // namespace overcast::ec2
