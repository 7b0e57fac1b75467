#include "auth/uri_encode.h"

#include <gtest/gtest.h>

namespace overcast::auth {
namespace {

std::string encode(std::string_view s, bool keepSlash) {
  std::string out;
  appendUriEncoded(out, s, keepSlash);
  return out;
}

TEST(UriEncode, EncodesAllButUnreserved) {
  EXPECT_EQ(encode("AZaz09-_.~", false), "AZaz09-_.~");
  EXPECT_EQ(encode("a b+c/d=e&f%", false), "a%20b%2Bc%2Fd%3De%26f%25");
  EXPECT_EQ(encode("/a b/%20", true), "/a%20b/%2520");  // the path is encoded a second time
  EXPECT_EQ(encode("\xE1\x88\xB4", false), "%E1%88%B4");
  EXPECT_EQ(encode(std::string_view("\0\xff", 2), false), "%00%FF");
}

TEST(UriEncode, DecodesEscapesAndKeepsInvalidOnes) {
  EXPECT_EQ(percentDecode("a%20b%2fc%2F"), "a b/c/");
  EXPECT_EQ(percentDecode("a+b"), "a+b");
  EXPECT_EQ(percentDecode("%zz%2"), "%zz%2");
  EXPECT_EQ(percentDecode("%"), "%");
  EXPECT_EQ(percentDecode("%E1%88%B4"), "\xE1\x88\xB4");
}

TEST(UriEncode, NormalizesPathsLikeBotocore) {
  struct Case {
    const char* in;
    const char* out;
  };
  for (const Case& c : {Case{"", "/"}, Case{"/", "/"}, Case{"//", "/"}, Case{"/./", "/"}, Case{"/example/..", "/"},
                        Case{"/example1/example2/../..", "/"}, Case{"/./example", "/example"},
                        Case{"//example//", "/example/"}, Case{"/a/b/../c/./d", "/a/c/d"}, Case{"/a/b/..", "/a"},
                        Case{"/../../a", "/a"}, Case{"/a%2E%2E/b", "/a%2E%2E/b"}, Case{"/a/", "/a/"}})
    EXPECT_EQ(normalizePath(c.in), c.out) << c.in;
}

TEST(UriEncode, DecodesQueryPairs) {
  auto q = decodeQuery("a=1&&b&c=&d=x%3Dy=z&%41=%42");
  ASSERT_EQ(q.size(), 5u);
  EXPECT_EQ(q[0].name, "a");
  EXPECT_EQ(q[0].value, "1");
  EXPECT_EQ(q[1].name, "b");
  EXPECT_EQ(q[1].value, "");
  EXPECT_EQ(q[2].name, "c");
  EXPECT_EQ(q[2].value, "");
  EXPECT_EQ(q[3].name, "d");
  EXPECT_EQ(q[3].value, "x=y=z");
  EXPECT_EQ(q[4].name, "A");
  EXPECT_EQ(q[4].value, "B");
  EXPECT_TRUE(decodeQuery("").empty());
}

}  // namespace
}  // namespace overcast::auth
