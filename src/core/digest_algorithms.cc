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

}  // namespace overcast
