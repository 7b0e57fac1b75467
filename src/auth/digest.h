// SHA-256 and HMAC-SHA256 through OpenSSL, plus lowercase hex: the primitives SigV4 is built on.
// Internal to src/auth. Fixed-size outputs live on the stack so the hot path does not allocate.
#pragma once

#include <openssl/types.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace overcast::auth {

using Sha256Digest = std::array<unsigned char, 32>;

Sha256Digest sha256(std::string_view data);

// HMAC-SHA256 with one OpenSSL context reused across calls. OpenSSL 3's one-shot HMAC() looks up
// the algorithm and builds a context every time (about 1.1 us); SigV4 needs five MACs per request,
// and reusing one context for them costs about 0.4 us each. Not thread-safe: make one per use.
class HmacSha256 {
 public:
  HmacSha256();
  HmacSha256(const HmacSha256&) = delete;
  HmacSha256& operator=(const HmacSha256&) = delete;

  Sha256Digest operator()(const unsigned char* key, std::size_t keyLen, std::string_view data);
  Sha256Digest operator()(const Sha256Digest& key, std::string_view data) {
    return (*this)(key.data(), key.size(), data);
  }

 private:
  struct Free {
    void operator()(EVP_MAC_CTX* ctx) const;
  };
  std::unique_ptr<EVP_MAC_CTX, Free> ctx_;
};

// Appends the 64 lowercase hex characters of `digest` to `out`.
void appendHex(std::string& out, const Sha256Digest& digest);
std::string toHex(const Sha256Digest& digest);

// Hex SHA-256 of `data`: the SigV4 payload hash and the last line of the string to sign.
inline std::string sha256Hex(std::string_view data) { return toHex(sha256(data)); }

// Compares in time independent of where the inputs differ (CRYPTO_memcmp), so a forger cannot
// learn a signature byte by byte from response times.
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace overcast::auth
