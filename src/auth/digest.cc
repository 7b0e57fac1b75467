#include "auth/digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>

namespace overcast::auth {

Sha256Digest sha256(std::string_view data) {
  Sha256Digest out{};
  unsigned int len = 0;
  // EVP_Digest only fails on allocation failure or a broken provider; neither is request data.
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1) std::abort();
  return out;
}

Sha256Digest hmacSha256(const unsigned char* key, std::size_t keyLen, std::string_view data) {
  Sha256Digest out{};
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key, static_cast<int>(keyLen), reinterpret_cast<const unsigned char*>(data.data()),
           data.size(), out.data(), &len) == nullptr)
    std::abort();
  return out;
}

void appendHex(std::string& out, const Sha256Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0x0f]);
  }
}

std::string toHex(const Sha256Digest& digest) {
  std::string out;
  out.reserve(digest.size() * 2);
  appendHex(out, digest);
  return out;
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  // The length of a well-formed signature is public (64), so an early exit on it leaks nothing.
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace overcast::auth
