#include "auth/digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>

#include <algorithm>
#include <cstdlib>

#include "core/digest_algorithms.h"
#include "core/hex.h"

namespace overcast::auth {

Sha256Digest sha256(std::string_view data) {
  Sha256Digest out{};
  unsigned char full[EVP_MAX_MD_SIZE];
  digestInto(sha256Algorithm(), data, full);
  std::copy_n(full, out.size(), out.begin());
  return out;
}

void HmacSha256::Free::operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }

namespace {

const EVP_MAC* hmacAlgorithm() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);  // kept for the process's life
  if (mac == nullptr) std::abort();  // no default provider: a broken installation, not request data
  return mac;
}

}  // namespace

HmacSha256::HmacSha256() {
  ctx_.reset(EVP_MAC_CTX_new(const_cast<EVP_MAC*>(hmacAlgorithm())));
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  if (!ctx_ || EVP_MAC_CTX_set_params(ctx_.get(), params) != 1) std::abort();
}

Sha256Digest HmacSha256::operator()(const unsigned char* key, std::size_t keyLen, std::string_view data) {
  Sha256Digest out{};
  std::size_t len = 0;
  if (EVP_MAC_init(ctx_.get(), key, keyLen, nullptr) != 1 ||
      EVP_MAC_update(ctx_.get(), reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1 ||
      EVP_MAC_final(ctx_.get(), out.data(), &len, out.size()) != 1)
    std::abort();
  return out;
}

void appendHex(std::string& out, const Sha256Digest& digest) { overcast::appendHex(out, digest); }

std::string toHex(const Sha256Digest& digest) { return overcast::toHex(digest); }

bool constantTimeEquals(std::string_view a, std::string_view b) {
  // The length of a well-formed signature is public (64), so an early exit on it leaks nothing.
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace overcast::auth
