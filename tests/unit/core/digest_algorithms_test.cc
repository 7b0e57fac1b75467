#include "core/digest_algorithms.h"

#include <string>

#include <gtest/gtest.h>

#include "core/hex.h"

namespace overcast {
namespace {

std::string hexDigest(const EVP_MD* md, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EXPECT_EQ(EVP_Digest(data.data(), data.size(), out, &n, md, nullptr), 1);
  return toHex(std::span<const unsigned char>(out, n));
}

TEST(DigestAlgorithms, FetchedOnceAndCorrect) {
  EXPECT_EQ(sha256Algorithm(), sha256Algorithm());
  EXPECT_EQ(md5Algorithm(), md5Algorithm());
  // Known answers (FIPS 180-2 / RFC 1321 test vectors).
  EXPECT_EQ(hexDigest(sha256Algorithm(), "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hexDigest(md5Algorithm(), "abc"), "900150983cd24fb0d6963f7d28e17f72");
}

}  // namespace
}  // namespace overcast
