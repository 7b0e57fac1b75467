#include "services/sns/model/filter_policy.h"

#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

namespace overcast::sns {
namespace {

constexpr auto kAttributes = FilterScope::MessageAttributes;
constexpr auto kBody = FilterScope::MessageBody;

FilterAttribute str(std::string v) { return {"String", std::move(v)}; }
FilterAttribute num(std::string v) { return {"Number", std::move(v)}; }
FilterAttribute arr(std::string v) { return {"String.Array", std::move(v)}; }
FilterAttribute bin(std::string v) { return {"Binary", std::move(v)}; }

// Parses `policy` (which must be valid) and matches the attributes.
bool matchesAttrs(std::string_view policy, const FilterAttributes& attributes) {
  auto p = FilterPolicy::parse(policy, kAttributes);
  if (!p) {
    ADD_FAILURE() << "policy rejected: " << policy << ": " << p.error().message();
    return false;
  }
  return p->matchesAttributes(attributes);
}

bool matchesBody(std::string_view policy, std::string_view body) {
  auto p = FilterPolicy::parse(policy, kBody);
  if (!p) {
    ADD_FAILURE() << "policy rejected: " << policy << ": " << p.error().message();
    return false;
  }
  return p->matchesBody(body);
}

// The error message for a policy that must be rejected.
std::string errorOf(std::string_view policy, FilterScope scope = kBody) {
  auto p = FilterPolicy::parse(policy, scope);
  if (p) {
    ADD_FAILURE() << "policy accepted: " << policy;
    return "";
  }
  EXPECT_EQ(p.error().code(), ErrorCode::InvalidParameter);
  EXPECT_EQ(p.error().wireCode(), "InvalidParameter");
  EXPECT_EQ(p.error().httpStatus(), 400);
  return p.error().message();
}

std::string reason(std::string_view text) { return fmt::format("Invalid parameter: FilterPolicy: {}", text); }

// A JSON array of n distinct strings.
std::string values(int n) {
  std::string out = "[";
  for (int i = 0; i < n; ++i) out += fmt::format("{}\"v{}\"", i ? "," : "", i);
  return out + "]";
}

// ---- attribute scope ------------------------------------------------------------------------

TEST(FilterPolicyAttributes, EmptyPolicyMatchesEverything) {
  auto p = FilterPolicy::parse("{}", kAttributes);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->empty());
  EXPECT_TRUE(p->matchesAttributes({}));
  EXPECT_TRUE(p->matchesAttributes({{"a", str("x")}}));
  auto b = FilterPolicy::parse(" { } ", kBody);
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->matchesBody("not json"));
  EXPECT_FALSE(FilterPolicy::parse(R"({"a":["x"]})", kBody)->empty());
}

TEST(FilterPolicyAttributes, ExactStringIsCaseSensitive) {
  const char* policy = R"({"store":["example_corp"]})";
  EXPECT_TRUE(matchesAttrs(policy, {{"store", str("example_corp")}}));
  EXPECT_FALSE(matchesAttrs(policy, {{"store", str("Example_Corp")}}));
  EXPECT_FALSE(matchesAttrs(policy, {{"store", str("example_corp ")}}));
  EXPECT_FALSE(matchesAttrs(policy, {{"other", str("example_corp")}}));
}

TEST(FilterPolicyAttributes, KeysAreAndedValuesAreOred) {
  const char* policy = R"({"store":["a","b"],"event":["placed"]})";
  EXPECT_TRUE(matchesAttrs(policy, {{"store", str("a")}, {"event", str("placed")}}));
  EXPECT_TRUE(matchesAttrs(policy, {{"store", str("b")}, {"event", str("placed")}, {"extra", str("z")}}));
  EXPECT_FALSE(matchesAttrs(policy, {{"store", str("c")}, {"event", str("placed")}}));
  EXPECT_FALSE(matchesAttrs(policy, {{"store", str("a")}}));
  EXPECT_FALSE(matchesAttrs(policy, {{"store", str("a")}, {"event", str("cancelled")}}));
}

TEST(FilterPolicyAttributes, CustomStringTypeIsAString) {
  EXPECT_TRUE(matchesAttrs(R"({"a":["x"]})", {{"a", {"String.custom", "x"}}}));
}

TEST(FilterPolicyAttributes, StringArrayMatchesAnyElement) {
  const char* policy = R"({"customer_interests":["rugby","tennis"]})";
  EXPECT_TRUE(matchesAttrs(policy, {{"customer_interests", arr(R"(["soccer","rugby","hockey"])")}}));
  EXPECT_TRUE(matchesAttrs(policy, {{"customer_interests", arr(R"(["tennis"])")}}));
  EXPECT_FALSE(matchesAttrs(policy, {{"customer_interests", arr(R"(["baseball"])")}}));
  EXPECT_FALSE(matchesAttrs(policy, {{"customer_interests", arr("[]")}}));
  // Not a JSON array: matches nothing (not even as a plain string).
  EXPECT_FALSE(matchesAttrs(policy, {{"customer_interests", arr("rugby")}}));
  EXPECT_FALSE(matchesAttrs(policy, {{"customer_interests", arr(R"("rugby")")}}));
  // A plain String attribute holding array text is one string.
  EXPECT_FALSE(matchesAttrs(policy, {{"customer_interests", str(R"(["rugby"])")}}));
}

TEST(FilterPolicyAttributes, StringArrayElementsKeepTheirJsonTypes) {
  EXPECT_TRUE(matchesAttrs(R"({"a":[{"numeric":[">",10]}]})", {{"a", arr(R"(["x", 11])")}}));
  EXPECT_FALSE(matchesAttrs(R"({"a":[{"numeric":[">",10]}]})", {{"a", arr(R"(["11"])")}}));
  EXPECT_TRUE(matchesAttrs(R"({"a":[true]})", {{"a", arr("[false, true]")}}));
  EXPECT_FALSE(matchesAttrs(R"({"a":[true]})", {{"a", arr(R"(["true"])")}}));
  EXPECT_TRUE(matchesAttrs(R"({"a":[null]})", {{"a", arr(R"(["x", null])")}}));
  EXPECT_FALSE(matchesAttrs(R"({"a":[null]})", {{"a", arr(R"(["null"])")}}));
}

TEST(FilterPolicyAttributes, NumberAttributesCompareNumerically) {
  EXPECT_TRUE(matchesAttrs(R"({"price_usd":[{"numeric":["=",301.5]}]})", {{"price_usd", num("301.5")}}));
  EXPECT_TRUE(matchesAttrs(R"({"price_usd":[{"numeric":["=",301.5]}]})", {{"price_usd", num("3.015e2")}}));
  EXPECT_FALSE(matchesAttrs(R"({"price_usd":[{"numeric":["=",301.5]}]})", {{"price_usd", num("301.51")}}));
  // A plain number is numeric equality too.
  EXPECT_TRUE(matchesAttrs(R"({"n":[100]})", {{"n", num("100.0")}}));
  EXPECT_TRUE(matchesAttrs(R"({"n":[100]})", {{"n", num("1e2")}}));
  EXPECT_TRUE(matchesAttrs(R"({"n":[100]})", {{"n", {"Number.int", "100"}}}));
  EXPECT_FALSE(matchesAttrs(R"({"n":[100]})", {{"n", num("101")}}));
  // Strings and numbers never meet.
  EXPECT_FALSE(matchesAttrs(R"({"n":[100]})", {{"n", str("100")}}));
  EXPECT_FALSE(matchesAttrs(R"({"n":["100"]})", {{"n", num("100")}}));
  EXPECT_FALSE(matchesAttrs(R"({"n":[{"numeric":[">",0]}]})", {{"n", str("5")}}));
  EXPECT_FALSE(matchesAttrs(R"({"n":[{"prefix":"1"}]})", {{"n", num("100")}}));
  // Number text that isn't a number matches nothing.
  EXPECT_FALSE(matchesAttrs(R"({"n":[{"numeric":[">",0]}]})", {{"n", num("abc")}}));
  EXPECT_FALSE(matchesAttrs(R"({"n":[{"numeric":[">",0]}]})", {{"n", num("inf")}}));
  EXPECT_FALSE(matchesAttrs(R"({"n":[{"numeric":[">",0]}]})", {{"n", num("5x")}}));
}

TEST(FilterPolicyAttributes, NumericRanges) {
  const char* policy = R"({"p":[{"numeric":[">",0,"<=",150]}]})";
  EXPECT_FALSE(matchesAttrs(policy, {{"p", num("0")}}));
  EXPECT_TRUE(matchesAttrs(policy, {{"p", num("0.00001")}}));
  EXPECT_TRUE(matchesAttrs(policy, {{"p", num("150")}}));
  EXPECT_FALSE(matchesAttrs(policy, {{"p", num("150.00001")}}));
  EXPECT_FALSE(matchesAttrs(policy, {{"p", num("-1")}}));
  const char* halfOpen = R"({"p":[{"numeric":[">=",10,"<",20]}]})";
  EXPECT_TRUE(matchesAttrs(halfOpen, {{"p", num("10")}}));
  EXPECT_FALSE(matchesAttrs(halfOpen, {{"p", num("20")}}));
  EXPECT_TRUE(matchesAttrs(R"({"p":[{"numeric":["<",0]}]})", {{"p", num("-0.5")}}));
  EXPECT_FALSE(matchesAttrs(R"({"p":[{"numeric":["<",0]}]})", {{"p", num("0")}}));
  EXPECT_TRUE(matchesAttrs(R"({"p":[{"numeric":["<=",0]}]})", {{"p", num("0")}}));
  EXPECT_TRUE(matchesAttrs(R"({"p":[{"numeric":[">=",5]}]})", {{"p", num("5")}}));
  EXPECT_FALSE(matchesAttrs(R"({"p":[{"numeric":[">",5]}]})", {{"p", num("5")}}));
  // OR of ranges.
  const char* either = R"({"p":[{"numeric":["<",0]},{"numeric":[">",100]}]})";
  EXPECT_TRUE(matchesAttrs(either, {{"p", num("101")}}));
  EXPECT_FALSE(matchesAttrs(either, {{"p", num("50")}}));
}

TEST(FilterPolicyAttributes, BinaryAttributesAreIgnored) {
  EXPECT_FALSE(matchesAttrs(R"({"b":["x"]})", {{"b", bin("x")}}));
  EXPECT_FALSE(matchesAttrs(R"({"b":[{"exists":true}]})", {{"b", bin("x")}}));
  EXPECT_TRUE(matchesAttrs(R"({"b":[{"exists":false}]})", {{"b", bin("x")}, {"s", str("y")}}));
  // Only Binary attributes: as if there were none.
  EXPECT_FALSE(matchesAttrs(R"({"b":[{"exists":false}]})", {{"b", bin("x")}}));
}

TEST(FilterPolicyAttributes, PrefixSuffixEqualsIgnoreCase) {
  EXPECT_TRUE(matchesAttrs(R"({"c":[{"prefix":"bas"}]})", {{"c", str("basketball")}}));
  EXPECT_FALSE(matchesAttrs(R"({"c":[{"prefix":"bas"}]})", {{"c", str("rugby")}}));
  EXPECT_FALSE(matchesAttrs(R"({"c":[{"prefix":"bas"}]})", {{"c", str("Baseball")}}));
  EXPECT_TRUE(matchesAttrs(R"({"c":[{"prefix":"bas"}]})", {{"c", arr(R"(["rugby","baseball"])")}}));
  EXPECT_TRUE(matchesAttrs(R"({"c":[{"suffix":"ball"}]})", {{"c", str("baseball")}}));
  EXPECT_FALSE(matchesAttrs(R"({"c":[{"suffix":"ball"}]})", {{"c", str("ballet")}}));
  EXPECT_TRUE(matchesAttrs(R"({"c":[{"equals-ignore-case":"ReD"}]})", {{"c", str("rEd")}}));
  EXPECT_FALSE(matchesAttrs(R"({"c":[{"equals-ignore-case":"red"}]})", {{"c", str("reds")}}));
  EXPECT_FALSE(matchesAttrs(R"({"c":[{"equals-ignore-case":"red"}]})", {{"c", str("rex")}}));
}

TEST(FilterPolicyAttributes, AnythingBut) {
  const char* list = R"({"c":[{"anything-but":["rugby","tennis"]}]})";
  EXPECT_TRUE(matchesAttrs(list, {{"c", str("baseball")}}));
  EXPECT_FALSE(matchesAttrs(list, {{"c", str("rugby")}}));
  EXPECT_FALSE(matchesAttrs(list, {{"c", str("tennis")}}));
  EXPECT_TRUE(matchesAttrs(list, {{"c", arr(R"(["rugby","baseball"])")}}));
  EXPECT_FALSE(matchesAttrs(list, {{"c", arr(R"(["rugby","tennis"])")}}));
  // A missing attribute is not "anything but": combine with exists:false for that.
  EXPECT_FALSE(matchesAttrs(list, {{"other", str("x")}}));
  const char* orMissing = R"({"c":[{"anything-but":["rugby"]},{"exists":false}]})";
  EXPECT_TRUE(matchesAttrs(orMissing, {{"other", str("x")}}));
  EXPECT_FALSE(matchesAttrs(orMissing, {{"c", str("rugby")}}));

  EXPECT_TRUE(matchesAttrs(R"({"c":[{"anything-but":"rugby"}]})", {{"c", str("golf")}}));
  EXPECT_FALSE(matchesAttrs(R"({"c":[{"anything-but":"rugby"}]})", {{"c", str("rugby")}}));

  const char* numbers = R"({"price":[{"anything-but":[100,500]}]})";
  EXPECT_TRUE(matchesAttrs(numbers, {{"price", num("101")}}));
  EXPECT_TRUE(matchesAttrs(numbers, {{"price", num("100.1")}}));
  EXPECT_FALSE(matchesAttrs(numbers, {{"price", num("100")}}));
  EXPECT_FALSE(matchesAttrs(numbers, {{"price", num("5e2")}}));
  EXPECT_TRUE(matchesAttrs(R"({"price":[{"anything-but":100}]})", {{"price", num("99")}}));

  const char* prefix = R"({"e":[{"anything-but":{"prefix":"order-"}}]})";
  EXPECT_TRUE(matchesAttrs(prefix, {{"e", str("invoice-1")}}));
  EXPECT_FALSE(matchesAttrs(prefix, {{"e", str("order-1")}}));
  const char* suffix = R"({"e":[{"anything-but":{"suffix":".png"}}]})";
  EXPECT_TRUE(matchesAttrs(suffix, {{"e", str("a.jpg")}}));
  EXPECT_FALSE(matchesAttrs(suffix, {{"e", str("a.png")}}));
}

TEST(FilterPolicyAttributes, Exists) {
  const char* present = R"({"store":[{"exists":true}]})";
  EXPECT_TRUE(matchesAttrs(present, {{"store", str("fans")}}));
  EXPECT_TRUE(matchesAttrs(present, {{"store", num("1")}}));
  EXPECT_FALSE(matchesAttrs(present, {{"customer_interests", arr(R"(["baseball"])")}}));
  EXPECT_FALSE(matchesAttrs(present, {{"store", arr("[]")}}));
  const char* absent = R"({"store":[{"exists":false}]})";
  EXPECT_FALSE(matchesAttrs(absent, {{"store", str("fans")}}));
  EXPECT_TRUE(matchesAttrs(absent, {{"customer_interests", arr(R"(["baseball"])")}}));
  // attribute-key-matching.html: an empty attribute set matches no exists:false.
  EXPECT_FALSE(matchesAttrs(absent, {}));
  EXPECT_FALSE(matchesAttrs(R"({"a":["x"]})", {}));
}

TEST(FilterPolicyAttributes, Cidr) {
  const char* v4 = R"({"ip":[{"cidr":"10.0.0.0/24"}]})";
  EXPECT_TRUE(matchesAttrs(v4, {{"ip", str("10.0.0.0")}}));
  EXPECT_TRUE(matchesAttrs(v4, {{"ip", str("10.0.0.255")}}));
  EXPECT_FALSE(matchesAttrs(v4, {{"ip", str("10.0.1.0")}}));
  EXPECT_FALSE(matchesAttrs(v4, {{"ip", str("not an ip")}}));
  EXPECT_FALSE(matchesAttrs(v4, {{"ip", str("::ffff:10.0.0.1")}}));
  EXPECT_FALSE(matchesAttrs(v4, {{"ip", str("")}}));
  EXPECT_TRUE(matchesAttrs(R"({"ip":[{"cidr":"10.0.0.0/23"}]})", {{"ip", str("10.0.1.7")}}));
  EXPECT_FALSE(matchesAttrs(R"({"ip":[{"cidr":"10.0.0.0/23"}]})", {{"ip", str("10.0.2.7")}}));
  EXPECT_TRUE(matchesAttrs(R"({"ip":[{"cidr":"192.168.1.7/32"}]})", {{"ip", str("192.168.1.7")}}));
  EXPECT_FALSE(matchesAttrs(R"({"ip":[{"cidr":"192.168.1.7/32"}]})", {{"ip", str("192.168.1.8")}}));
  EXPECT_TRUE(matchesAttrs(R"({"ip":[{"cidr":"0.0.0.0/0"}]})", {{"ip", str("8.8.8.8")}}));
  // Host bits in the policy are ignored.
  EXPECT_TRUE(matchesAttrs(R"({"ip":[{"cidr":"10.0.0.77/24"}]})", {{"ip", str("10.0.0.3")}}));

  const char* v6 = R"({"ip":[{"cidr":"2001:db8::/32"}]})";
  EXPECT_TRUE(matchesAttrs(v6, {{"ip", str("2001:db8:1::1")}}));
  EXPECT_TRUE(matchesAttrs(v6, {{"ip", str("2001:0DB8:ffff:ffff:ffff:ffff:ffff:ffff")}}));
  EXPECT_FALSE(matchesAttrs(v6, {{"ip", str("2001:db9::1")}}));
  EXPECT_FALSE(matchesAttrs(v6, {{"ip", str("10.0.0.1")}}));
  EXPECT_TRUE(matchesAttrs(R"({"ip":[{"cidr":"2001:db8::/127"}]})", {{"ip", str("2001:db8::1")}}));
  EXPECT_FALSE(matchesAttrs(R"({"ip":[{"cidr":"2001:db8::/127"}]})", {{"ip", str("2001:db8::2")}}));
  EXPECT_TRUE(matchesAttrs(R"({"ip":[{"cidr":"fe80::/10"}]})", {{"ip", str("febf::1")}}));
  EXPECT_FALSE(matchesAttrs(R"({"ip":[{"cidr":"fe80::/10"}]})", {{"ip", str("fec0::1")}}));
}

TEST(FilterPolicyAttributes, OrOperator) {
  const char* policy = R"({"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]})";
  EXPECT_TRUE(matchesAttrs(policy, {{"source", str("aws.cloudwatch")}, {"metricName", str("CPUUtilization")}}));
  EXPECT_TRUE(matchesAttrs(policy, {{"source", str("aws.cloudwatch")}, {"namespace", str("AWS/EC2")}}));
  EXPECT_FALSE(matchesAttrs(policy, {{"source", str("aws.cloudwatch")}, {"namespace", str("AWS/S3")}}));
  EXPECT_FALSE(matchesAttrs(policy, {{"source", str("aws.s3")}, {"namespace", str("AWS/EC2")}}));
  // $or inside $or, and two $or groups AND-ed through a branch.
  const char* nested = R"({"$or":[{"a":["1"]},{"$or":[{"b":["2"]},{"c":["3"]}]}]})";
  EXPECT_TRUE(matchesAttrs(nested, {{"c", str("3")}}));
  EXPECT_TRUE(matchesAttrs(nested, {{"a", str("1")}}));
  EXPECT_FALSE(matchesAttrs(nested, {{"c", str("4")}}));
}

TEST(FilterPolicyAttributes, CopiesShareThePolicy) {
  auto p = FilterPolicy::parse(R"({"a":["x"]})", kAttributes);
  ASSERT_TRUE(p.ok());
  FilterPolicy copy = *p;
  EXPECT_EQ(copy.scope(), kAttributes);
  EXPECT_TRUE(copy.matchesAttributes({{"a", str("x")}}));
  EXPECT_FALSE(copy.matchesAttributes({{"a", str("y")}}));
}

// ---- body scope -----------------------------------------------------------------------------

TEST(FilterPolicyBody, ExactAndTypes) {
  EXPECT_TRUE(matchesBody(R"({"store":["example_corp"]})", R"({"store":"example_corp","x":1})"));
  EXPECT_FALSE(matchesBody(R"({"store":["example_corp"]})", R"({"store":"Example_corp"})"));
  EXPECT_FALSE(matchesBody(R"({"store":["example_corp"]})", R"({"shop":"example_corp"})"));
  EXPECT_TRUE(matchesBody(R"({"n":[301.5]})", R"({"n":3.015e2})"));
  EXPECT_TRUE(matchesBody(R"({"n":[5]})", R"({"n":5.0})"));
  EXPECT_FALSE(matchesBody(R"({"n":[5]})", R"({"n":"5"})"));
  EXPECT_FALSE(matchesBody(R"({"n":["5"]})", R"({"n":5})"));
  EXPECT_TRUE(matchesBody(R"({"b":[false]})", R"({"b":false})"));
  EXPECT_FALSE(matchesBody(R"({"b":[false]})", R"({"b":"false"})"));
  EXPECT_FALSE(matchesBody(R"({"b":[false]})", R"({"b":0})"));
}

TEST(FilterPolicyBody, NullMatchesJsonNullOnly) {
  EXPECT_TRUE(matchesBody(R"({"a":[null]})", R"({"a":null})"));
  EXPECT_FALSE(matchesBody(R"({"a":[null]})", R"({"a":"null"})"));
  EXPECT_FALSE(matchesBody(R"({"a":[null]})", R"({"b":1})"));
  EXPECT_FALSE(matchesBody(R"({"a":["x"]})", R"({"a":null})"));
}

TEST(FilterPolicyBody, BodyThatIsNotAJsonObjectNeverMatches) {
  const char* policy = R"({"a":[{"exists":false}]})";
  EXPECT_FALSE(matchesBody(policy, "hello"));
  EXPECT_FALSE(matchesBody(policy, R"(["a"])"));
  EXPECT_FALSE(matchesBody(policy, R"("a")"));
  EXPECT_FALSE(matchesBody(policy, R"({"b":1)"));
  EXPECT_FALSE(matchesBody(policy, "{}"));
  EXPECT_TRUE(matchesBody(policy, R"({"b":1})"));
}

TEST(FilterPolicyBody, NestedKeysWalkIntoObjects) {
  const char* policy = R"({"customer":{"address":{"country":["DE","FR"]}},"kind":["order"]})";
  EXPECT_TRUE(matchesBody(policy, R"({"kind":"order","customer":{"address":{"country":"FR","zip":"1"}}})"));
  EXPECT_FALSE(matchesBody(policy, R"({"kind":"order","customer":{"address":{"country":"US"}}})"));
  EXPECT_FALSE(matchesBody(policy, R"({"kind":"order","customer":{"country":"FR"}})"));
  EXPECT_FALSE(matchesBody(policy, R"({"kind":"order","customer":"FR"})"));
  EXPECT_FALSE(matchesBody(policy, R"({"customer":{"address":{"country":"FR"}}})"));
  // A leaf policy doesn't match an object value.
  EXPECT_FALSE(matchesBody(R"({"customer":["x"]})", R"({"customer":{"x":"x"}})"));
}

TEST(FilterPolicyBody, ArraysMatchAnyElement) {
  const char* policy = R"({"customer_interests":["rugby"]})";
  EXPECT_TRUE(matchesBody(policy, R"({"customer_interests":["soccer","rugby"]})"));
  EXPECT_TRUE(matchesBody(policy, R"({"customer_interests":[["soccer"],["rugby"]]})"));
  EXPECT_FALSE(matchesBody(policy, R"({"customer_interests":["soccer"]})"));
  EXPECT_FALSE(matchesBody(policy, R"({"customer_interests":[]})"));
  EXPECT_TRUE(matchesBody(R"({"n":[{"numeric":[">",10]}]})", R"({"n":[1,2,30]})"));
  EXPECT_FALSE(matchesBody(R"({"n":[{"numeric":[">",10]}]})", R"({"n":[1,2,3]})"));
}

TEST(FilterPolicyBody, ArraysOfObjectsMatchWithinOneElement) {
  const char* policy = R"({"items":{"sku":["A"],"qty":[{"numeric":[">",5]}]}})";
  EXPECT_TRUE(matchesBody(policy, R"({"items":[{"sku":"B","qty":9},{"sku":"A","qty":6}]})"));
  // sku A and qty > 5 exist, but in different elements.
  EXPECT_FALSE(matchesBody(policy, R"({"items":[{"sku":"A","qty":1},{"sku":"B","qty":9}]})"));
  EXPECT_TRUE(matchesBody(policy, R"({"items":[[{"sku":"A","qty":7}]]})"));
  const char* absent = R"({"items":{"gift":[{"exists":false}]}})";
  EXPECT_TRUE(matchesBody(absent, R"({"items":[{"gift":true},{"sku":"A"}]})"));
  EXPECT_FALSE(matchesBody(absent, R"({"items":[{"gift":true},{"gift":false}]})"));
  EXPECT_TRUE(matchesBody(absent, R"({"items":[1,2]})"));
}

TEST(FilterPolicyBody, Exists) {
  EXPECT_TRUE(matchesBody(R"({"a":{"b":[{"exists":true}]}})", R"({"a":{"b":"x"}})"));
  EXPECT_TRUE(matchesBody(R"({"a":{"b":[{"exists":true}]}})", R"({"a":{"b":0}})"));
  EXPECT_FALSE(matchesBody(R"({"a":{"b":[{"exists":true}]}})", R"({"a":{"c":"x"}})"));
  EXPECT_FALSE(matchesBody(R"({"a":[{"exists":true}]})", R"({"a":null})"));
  EXPECT_FALSE(matchesBody(R"({"a":[{"exists":true}]})", R"({"a":{"b":1}})"));  // leaf nodes only
  EXPECT_FALSE(matchesBody(R"({"a":[{"exists":true}]})", R"({"a":[]})"));
  EXPECT_TRUE(matchesBody(R"({"a":[{"exists":true}]})", R"({"a":[null, 1]})"));
  EXPECT_TRUE(matchesBody(R"({"a":{"b":[{"exists":false}]}})", R"({"c":1})"));
  EXPECT_TRUE(matchesBody(R"({"a":{"b":[{"exists":false}]}})", R"({"a":{"c":1}})"));
  EXPECT_FALSE(matchesBody(R"({"a":{"b":[{"exists":false}]}})", R"({"a":{"b":"x"}})"));
}

TEST(FilterPolicyBody, StringOperators) {
  EXPECT_TRUE(matchesBody(R"({"a":[{"prefix":"ab"}]})", R"({"a":"abc"})"));
  EXPECT_FALSE(matchesBody(R"({"a":[{"prefix":"ab"}]})", R"({"a":"xabc"})"));
  EXPECT_FALSE(matchesBody(R"({"a":[{"prefix":"1"}]})", R"({"a":12})"));
  EXPECT_TRUE(matchesBody(R"({"a":[{"suffix":".jpg"}]})", R"({"a":"x.jpg"})"));
  EXPECT_FALSE(matchesBody(R"({"a":[{"suffix":".jpg"}]})", R"({"a":"x.JPG"})"));
  EXPECT_TRUE(matchesBody(R"({"a":[{"equals-ignore-case":"x.JPG"}]})", R"({"a":"X.jpg"})"));
  EXPECT_TRUE(matchesBody(R"({"ip":[{"cidr":"10.1.0.0/16"}]})", R"({"ip":"10.1.200.3"})"));
  EXPECT_FALSE(matchesBody(R"({"ip":[{"cidr":"10.1.0.0/16"}]})", R"({"ip":"10.2.0.3"})"));
  EXPECT_TRUE(matchesBody(R"({"ip":[{"cidr":"::1/128"}]})", R"({"ip":["10.0.0.1","::1"]})"));
}

TEST(FilterPolicyBody, AnythingBut) {
  const char* policy = R"({"a":[{"anything-but":["x","y"]}]})";
  EXPECT_TRUE(matchesBody(policy, R"({"a":"z"})"));
  EXPECT_FALSE(matchesBody(policy, R"({"a":"x"})"));
  EXPECT_TRUE(matchesBody(policy, R"({"a":5})"));
  EXPECT_TRUE(matchesBody(policy, R"({"a":true})"));
  EXPECT_FALSE(matchesBody(policy, R"({"a":null})"));
  EXPECT_FALSE(matchesBody(policy, R"({"b":"z"})"));
  EXPECT_TRUE(matchesBody(policy, R"({"a":["x","q"]})"));
  EXPECT_FALSE(matchesBody(policy, R"({"a":["x","y"]})"));
  EXPECT_TRUE(matchesBody(R"({"a":[{"anything-but":[100,500]}]})", R"({"a":100.1})"));
  EXPECT_FALSE(matchesBody(R"({"a":[{"anything-but":[100,500]}]})", R"({"a":500})"));
  EXPECT_FALSE(matchesBody(R"({"a":[{"anything-but":{"prefix":"in"}}]})", R"({"a":"init"})"));
  EXPECT_TRUE(matchesBody(R"({"a":[{"anything-but":{"prefix":"in"}}]})", R"({"a":"out"})"));
  EXPECT_FALSE(matchesBody(R"({"a":[{"anything-but":{"suffix":"ed"}}]})", R"({"a":"shipped"})"));
  EXPECT_TRUE(matchesBody(R"({"a":[{"anything-but":{"suffix":"ed"}}]})", R"({"a":"shipping"})"));
}

TEST(FilterPolicyBody, OrAtTopLevelAndInsideNesting) {
  const char* top = R"({"$or":[{"a":["1"]},{"b":{"c":["2"]}}]})";
  EXPECT_TRUE(matchesBody(top, R"({"a":"1"})"));
  EXPECT_TRUE(matchesBody(top, R"({"b":{"c":"2"}})"));
  EXPECT_FALSE(matchesBody(top, R"({"a":"2","b":{"c":"1"}})"));
  const char* inner = R"({"x":{"$or":[{"y":["1"]},{"z":["2"]}],"w":["0"]}})";
  EXPECT_TRUE(matchesBody(inner, R"({"x":{"z":"2","w":"0"}})"));
  EXPECT_FALSE(matchesBody(inner, R"({"x":{"z":"2","w":"1"}})"));
  EXPECT_FALSE(matchesBody(inner, R"({"z":"2","w":"0"})"));
}

TEST(FilterPolicyBody, PreParsedBody) {
  auto p = FilterPolicy::parse(R"({"a":{"b":[{"numeric":["=",2]}]}})", kBody);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->matchesParsedBody(boost::json::parse(R"({"a":{"b":2}})")));
  EXPECT_FALSE(p->matchesParsedBody(boost::json::parse(R"({"a":{"b":3}})")));
  EXPECT_FALSE(p->matchesParsedBody(boost::json::parse(R"([{"a":{"b":2}}])")));
}

// ---- validation -----------------------------------------------------------------------------

TEST(FilterPolicyValidation, NotJsonOrNotAnObject) {
  EXPECT_TRUE(errorOf(R"({"a":["x"])").starts_with(reason("failed to parse JSON.")));
  EXPECT_TRUE(errorOf("").starts_with(reason("failed to parse JSON.")));
  EXPECT_EQ(errorOf(R"(["a"])"), reason("Filter policy must be a JSON object"));
  EXPECT_EQ(errorOf("null", kAttributes), reason("Filter policy must be a JSON object"));
}

TEST(FilterPolicyValidation, KeyValueShapes) {
  EXPECT_EQ(errorOf(R"({"a":"x"})"), reason(R"("a" must be an object or an array)"));
  EXPECT_EQ(errorOf(R"({"a":5})", kAttributes), reason(R"("a" must be an object or an array)"));
  EXPECT_EQ(errorOf(R"({"a":null})"), reason(R"("a" must be an object or an array)"));
  EXPECT_EQ(errorOf(R"({"a":[]})"), reason("Empty arrays are not allowed"));
  EXPECT_EQ(errorOf(R"({"a":{}})"), reason("Empty objects are not allowed"));
  EXPECT_EQ(errorOf(R"({"a":[["x"]]})"), reason("Match value must be String, number, true, false, or null"));
  EXPECT_EQ(errorOf(R"({"a":[{}]})"), reason("Empty objects are not allowed"));
  EXPECT_EQ(errorOf(R"({"a":[{"prefix":"x","suffix":"y"}]})"), reason("Only one key allowed in match expression"));
  EXPECT_EQ(errorOf(R"({"a":[{"wildcard":"x*"}]})"), reason("Unrecognized match type wildcard"));
}

TEST(FilterPolicyValidation, NestingIsForBodyScopeOnly) {
  EXPECT_EQ(errorOf(R"({"a":{"b":["x"]}})", kAttributes),
            "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy");
  EXPECT_EQ(errorOf(R"({"$or":[{"a":["x"]},{"b":{"c":["y"]}}]})", kAttributes),
            "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy");
  EXPECT_TRUE(FilterPolicy::parse(R"({"a":{"b":["x"]}})", kBody).ok());
}

TEST(FilterPolicyValidation, StringOperatorsNeedStrings) {
  EXPECT_EQ(errorOf(R"({"a":[{"prefix":1}]})"), reason("prefix match pattern must be a string"));
  EXPECT_EQ(errorOf(R"({"a":[{"suffix":null}]})"), reason("suffix match pattern must be a string"));
  EXPECT_EQ(errorOf(R"({"a":[{"equals-ignore-case":["x"]}]})"),
            reason("equals-ignore-case match pattern must be a string"));
  EXPECT_EQ(errorOf(R"({"a":[{"exists":"true"}]})"), reason("exists match pattern must be either true or false."));
  EXPECT_EQ(errorOf(R"({"a":[{"exists":1}]})"), reason("exists match pattern must be either true or false."));
}

TEST(FilterPolicyValidation, AnythingBut) {
  EXPECT_EQ(errorOf(R"({"a":[{"anything-but":true}]})"),
            reason("Value of anything-but must be an array or single string/number value."));
  EXPECT_EQ(errorOf(R"({"a":[{"anything-but":null}]})"),
            reason("Value of anything-but must be an array or single string/number value."));
  EXPECT_EQ(errorOf(R"({"a":[{"anything-but":["x",true]}]})"),
            reason("Inside anything but list, start|null|boolean is not supported."));
  EXPECT_EQ(errorOf(R"({"a":[{"anything-but":[["x"]]}]})"),
            reason("Inside anything but list, start|null|boolean is not supported."));
  EXPECT_EQ(errorOf(R"({"a":[{"anything-but":[]}]})"), reason("Empty arrays are not allowed"));
  EXPECT_EQ(errorOf(R"({"a":[{"anything-but":{"equals-ignore-case":"x"}}]})"),
            reason("Unsupported anything-but pattern: equals-ignore-case"));
  EXPECT_EQ(errorOf(R"({"a":[{"anything-but":{"prefix":5}}]})"), reason("prefix match pattern must be a string"));
  EXPECT_EQ(errorOf(R"({"a":[{"anything-but":{"prefix":"a","suffix":"b"}}]})"),
            reason("Only one key allowed in match expression"));
  EXPECT_EQ(errorOf(R"({"a":[{"anything-but":[1000000001]}]})"),
            reason("Numeric values must be between -1000000000 and 1000000000, inclusive"));
}

TEST(FilterPolicyValidation, Numeric) {
  EXPECT_EQ(errorOf(R"({"a":[{"numeric":5}]})"), reason("Value of numeric must be an array."));
  EXPECT_EQ(errorOf(R"({"a":[{"numeric":[]}]})"), reason("Invalid member in numeric match: ]"));
  EXPECT_EQ(errorOf(R"({"a":[{"numeric":[5,"="]}]})"), reason("Invalid member in numeric match: 5"));
  EXPECT_EQ(errorOf(R"({"a":[{"numeric":["==",5]}]})"), reason("Unrecognized numeric range operator: =="));
  EXPECT_EQ(errorOf(R"({"a":[{"numeric":["="]}]})"), reason("Value of equals must be numeric"));
  EXPECT_EQ(errorOf(R"({"a":[{"numeric":["=","5"]}]})"), reason("Value of equals must be numeric"));
  EXPECT_EQ(errorOf(R"({"a":[{"numeric":[">","5"]}]})"), reason("Value of > must be numeric"));
  EXPECT_EQ(errorOf(R"({"a":[{"numeric":["=",5,"<",6]}]})"), reason("Too many elements in numeric expression"));
  EXPECT_EQ(errorOf(R"({"a":[{"numeric":["<",5,">",1]}]})"), reason("Too many elements in numeric expression"));
  EXPECT_EQ(errorOf(R"({"a":[{"numeric":[">",5,6]}]})"), reason("Bad value in numeric range: 6"));
  EXPECT_EQ(errorOf(R"({"a":[{"numeric":[">",5,">",6]}]})"), reason("Bad numeric range operator: >"));
  EXPECT_EQ(errorOf(R"({"a":[{"numeric":[">",5,"<"]}]})"), reason("Value of < must be numeric"));
  EXPECT_EQ(errorOf(R"({"a":[{"numeric":[">",5,"<=","x"]}]})"), reason("Value of <= must be numeric"));
  EXPECT_EQ(errorOf(R"({"a":[{"numeric":[">",5,"<",5]}]})"), reason("Bottom must be less than top"));
  EXPECT_EQ(errorOf(R"({"a":[{"numeric":[">=",5,"<",1]}]})"), reason("Bottom must be less than top"));
  EXPECT_EQ(errorOf(R"({"a":[{"numeric":[">",0,"<",5,"<",6]}]})"),
            reason("Too many terms in numeric range expression"));
}

TEST(FilterPolicyValidation, NumberLimits) {
  const std::string range = reason("Numeric values must be between -1000000000 and 1000000000, inclusive");
  const std::string places = reason("Numeric values can have at most 5 digits after the decimal point");
  EXPECT_TRUE(FilterPolicy::parse(R"({"a":[1000000000, -1000000000, 0.00001, 999999999.12345]})", kBody).ok());
  EXPECT_TRUE(FilterPolicy::parse(R"({"a":[{"numeric":[">",-1e9,"<=",1e9]}]})", kBody).ok());
  EXPECT_EQ(errorOf(R"({"a":[1000000001]})"), range);
  EXPECT_EQ(errorOf(R"({"a":[-1000000000.5]})"), range);
  EXPECT_EQ(errorOf(R"({"a":[{"numeric":["<",1e10]}]})"), range);
  EXPECT_EQ(errorOf(R"({"a":[{"numeric":[">",0,"<",18446744073709551615]}]})"), range);
  EXPECT_EQ(errorOf(R"({"a":[0.000001]})"), places);
  EXPECT_EQ(errorOf(R"({"a":[1.123456]})"), places);
  EXPECT_EQ(errorOf(R"({"a":[{"numeric":["=",1e-7]}]})"), places);
  EXPECT_EQ(errorOf(R"({"a":[{"anything-but":0.1234567}]})"), places);
}

TEST(FilterPolicyValidation, Cidr) {
  EXPECT_EQ(errorOf(R"({"a":[{"cidr":10}]})"), reason("prefix match pattern must be a string"));
  EXPECT_EQ(errorOf(R"({"a":[{"cidr":"10.0.0.0"}]})"), reason("Malformed CIDR, one '/' required"));
  EXPECT_EQ(errorOf(R"({"a":[{"cidr":"10.0.0.0/8/8"}]})"), reason("Malformed CIDR, one '/' required"));
  EXPECT_EQ(errorOf(R"({"a":[{"cidr":"10.0.0.0/x"}]})"), reason("Malformed CIDR, mask bits must be an integer"));
  EXPECT_EQ(errorOf(R"({"a":[{"cidr":"10.0.0.0/"}]})"), reason("Malformed CIDR, mask bits must be an integer"));
  EXPECT_EQ(errorOf(R"({"a":[{"cidr":"10.0.0.0/-1"}]})"), reason("Malformed CIDR, mask bits must be an integer"));
  EXPECT_EQ(errorOf(R"({"a":[{"cidr":"10.0.0.0/33"}]})"), reason("Malformed CIDR, mask bits must be between 0 and 32"));
  EXPECT_EQ(errorOf(R"({"a":[{"cidr":"::/129"}]})"), reason("Malformed CIDR, mask bits must be between 0 and 128"));
  EXPECT_EQ(errorOf(R"({"a":[{"cidr":"10.0.0.256/24"}]})"), reason("Nonstandard IP address: 10.0.0.256"));
  EXPECT_EQ(errorOf(R"({"a":[{"cidr":"2001:db8:::1/64"}]})"), reason("Nonstandard IP address: 2001:db8:::1"));
}

TEST(FilterPolicyValidation, OrShape) {
  const std::string shape = reason(R"("$or" must be an array of at least 2 objects)");
  EXPECT_EQ(errorOf(R"({"$or":{"a":["x"]}})"), shape);
  EXPECT_EQ(errorOf(R"({"$or":[{"a":["x"]}]})"), shape);
  EXPECT_EQ(errorOf(R"({"$or":[{"a":["x"]},"b"]})"), shape);
  EXPECT_EQ(errorOf(R"({"$or":[{"a":["x"]},{}]})"), reason("Empty objects are not allowed"));
  EXPECT_EQ(errorOf(R"({"$or":[{"a":["x"]},{"b":[]}]})"), reason("Empty arrays are not allowed"));
  EXPECT_EQ(errorOf(R"({"$or":[{"a":["x"]},{"b":[{"numeric":[]}]}]})"), reason("Invalid member in numeric match: ]"));
}

TEST(FilterPolicyValidation, PolicySize) {
  const std::string small = fmt::format(R"({{"a":["{}"]}})", std::string(200 * 1024, 'x'));
  EXPECT_TRUE(FilterPolicy::parse(small, kAttributes).ok());
  const std::string big = fmt::format(R"({{"a":["{}"]}})", std::string(kFilterPolicyMaxBytes, 'x'));
  EXPECT_EQ(errorOf(big, kAttributes), reason("Filter policy is too large"));
}

TEST(FilterPolicyValidation, AtMostFiveTopLevelKeys) {
  EXPECT_TRUE(FilterPolicy::parse(R"({"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"]})", kAttributes).ok());
  EXPECT_EQ(errorOf(R"({"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]})", kAttributes),
            reason("Filter policy can not have more than 5 keys"));
  // "$or" counts its widest branch.
  EXPECT_TRUE(FilterPolicy::parse(R"({"a":["1"],"$or":[{"b":["1"],"c":["1"],"d":["1"],"e":["1"]},{"f":["1"]}]})",
                                  kAttributes).ok());
  EXPECT_EQ(errorOf(R"({"a":["1"],"$or":[{"b":["1"],"c":["1"],"d":["1"],"e":["1"],"g":["1"]},{"f":["1"]}]})",
                    kAttributes),
            reason("Filter policy can not have more than 5 keys"));
  // Nested keys don't count in body scope.
  EXPECT_TRUE(FilterPolicy::parse(R"({"a":{"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"],"g":["1"]}})", kBody).ok());
}

TEST(FilterPolicyValidation, Complexity) {
  const std::string tooComplex = reason("Filter policy is too complex");
  // Attribute scope: the product of the value counts.
  EXPECT_TRUE(FilterPolicy::parse(fmt::format(R"({{"a":{},"b":{}}})", values(10), values(15)), kAttributes).ok());
  EXPECT_EQ(errorOf(fmt::format(R"({{"a":{},"b":{}}})", values(10), values(16)), kAttributes), tooComplex);
  EXPECT_TRUE(FilterPolicy::parse(fmt::format(R"({{"a":{}}})", values(150)), kAttributes).ok());
  EXPECT_EQ(errorOf(fmt::format(R"({{"a":{}}})", values(151)), kAttributes), tooComplex);
  // Body scope: each count weighted by its depth (3 x 4 x 2 x 3 = 72 in AWS's example).
  EXPECT_TRUE(FilterPolicy::parse(fmt::format(R"({{"a":{{"b":{{"c":{}}}}},"d":{{"e":{}}}}})", values(4), values(3)),
                                  kBody).ok());
  EXPECT_TRUE(FilterPolicy::parse(fmt::format(R"({{"a":{{"b":{{"c":{}}}}}}})", values(50)), kBody).ok());
  EXPECT_EQ(errorOf(fmt::format(R"({{"a":{{"b":{{"c":{}}}}}}})", values(51))), tooComplex);
  EXPECT_TRUE(FilterPolicy::parse(fmt::format(R"({{"c":{}}})", values(51)), kBody).ok());
  // "$or" adds its branches.
  EXPECT_TRUE(
      FilterPolicy::parse(fmt::format(R"({{"$or":[{{"a":{}}},{{"b":{}}}]}})", values(100), values(50)), kAttributes).ok());
  EXPECT_EQ(errorOf(fmt::format(R"({{"$or":[{{"a":{}}},{{"b":{}}}]}})", values(100), values(51)), kAttributes), tooComplex);
  EXPECT_EQ(errorOf(fmt::format(R"({{"x":{},"$or":[{{"a":{}}},{{"b":{}}}]}})", values(2), values(50), values(26)),
                    kAttributes),
            tooComplex);
  // Operators count as one value each.
  EXPECT_TRUE(FilterPolicy::parse(R"({"a":[{"prefix":"x"},{"numeric":[">",1,"<",2]}]})", kBody).ok());
}

}  // namespace
}  // namespace overcast::sns
