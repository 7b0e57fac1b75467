#include "core/digest_algorithms.h"

#include <cstdlib>

namespace overcast {
namespace {

const EVP_MD* fetch(const char* name) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) std::abort();  // no default provider: a broken installation, not request data
  return md;                        // kept for the life of the process
}

}  // namespace

const EVP_MD* sha256Algorithm() {
  static const EVP_MD* const md = fetch("SHA256");
  return md;
}

const EVP_MD* md5Algorithm() {
  static const EVP_MD* const md = fetch("MD5");
  return md;
}

unsigned int digestInto(const EVP_MD* md, std::string_view data, unsigned char* out) {
  struct Context {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Context() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Context scratch;
  unsigned int len = 0;
  // These fail only on allocation failure or a broken provider; neither is request data.
  if (scratch.ctx == nullptr || EVP_DigestInit_ex2(scratch.ctx, md, nullptr) != 1 ||
      EVP_DigestUpdate(scratch.ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(scratch.ctx, out, &len) != 1)
    std::abort();
  return len;
}

}  // namespace overcast
