#include "core/id_generator.h"

#include <set>

#include <gtest/gtest.h>

namespace overcast {
namespace {

bool isLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

TEST(RandomIdGenerator, UuidIsVersion4InTextForm) {
  auto ids = makeRandomIdGenerator();
  for (int i = 0; i < 1000; ++i) {
    const std::string u = ids->uuid();
    ASSERT_EQ(u.size(), 36u) << u;
    for (size_t p = 0; p < u.size(); ++p) {
      if (p == 8 || p == 13 || p == 18 || p == 23) {
        EXPECT_EQ(u[p], '-') << u;
      } else {
        EXPECT_TRUE(isLowerHex(u[p])) << u;
      }
    }
    EXPECT_EQ(u[14], '4') << u;                                   // version
    EXPECT_NE(std::string("89ab").find(u[19]), std::string::npos) << u;  // RFC 4122 variant
  }
}

TEST(RandomIdGenerator, IdsDoNotRepeatAcrossPoolRefills) {
  auto ids = makeRandomIdGenerator();
  std::set<std::string> seen;
  for (int i = 0; i < 5000; ++i) {  // 5000 x 16 bytes: many refills of the random pool
    ASSERT_TRUE(seen.insert(ids->uuid()).second);
  }
  std::set<std::string> secrets;
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(secrets.insert(ids->randomHex(20)).second);
}

TEST(RandomIdGenerator, HexLengthsAndPrefixes) {
  auto ids = makeRandomIdGenerator();
  EXPECT_EQ(ids->randomHex(20).size(), 40u);
  EXPECT_EQ(ids->randomHex(4000).size(), 8000u);  // larger than the pool: drawn directly
  const std::string id = ids->resourceId("i");
  ASSERT_EQ(id.size(), 19u);
  EXPECT_EQ(id.substr(0, 2), "i-");
  for (char c : id.substr(2)) EXPECT_TRUE(isLowerHex(c)) << id;
}

TEST(SequentialIdGenerator, CountsInTheSameFormats) {
  auto ids = makeSequentialIdGenerator(10);
  EXPECT_EQ(ids->uuid(), "00000000-0000-4000-8000-00000000000a");
  EXPECT_EQ(ids->resourceId("vol", 8), "vol-0000000b");
}

}  // namespace
}  // namespace overcast
