#include "core/hex.h"

#include <array>

#include <gtest/gtest.h>

namespace overcast {
namespace {

TEST(Hex, BytesToLowercaseAndBack) {
  const std::array<unsigned char, 4> bytes{0x00, 0x7f, 0xa5, 0xff};
  EXPECT_EQ(toHex(bytes), "007fa5ff");
  std::string out = "x";
  appendHex(out, bytes);
  EXPECT_EQ(out, "x007fa5ff");
  EXPECT_EQ(hexDigitValue('0'), 0);
  EXPECT_EQ(hexDigitValue('a'), 10);
  EXPECT_EQ(hexDigitValue('F'), 15);
  EXPECT_EQ(hexDigitValue('g'), -1);
  EXPECT_EQ(hexDigitValue('-'), -1);
}

TEST(Hex, UuidText) {
  std::array<unsigned char, 16> id{};
  for (size_t i = 0; i < id.size(); ++i) id[i] = static_cast<unsigned char>(i * 17);
  EXPECT_EQ(uuidText(id), "00112233-4455-6677-8899-aabbccddeeff");
}

}  // namespace
}  // namespace overcast
