// SigningKeyCache: derived SigV4 signing keys, kSigning = HMAC chain over (secret, date,
// region, service). A credential's key changes once a day per region and service, so nearly
// every request hits and verification costs one HMAC instead of five. Thread-safe; bounded
// (cleared when full, which happens only with thousands of live keys).
#pragma once

#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/digest.h"
#include "auth/sigv4.h"

namespace overcast::auth {

class SigningKeyCache {
 public:
  explicit SigningKeyCache(size_t maxEntries = 4096) : maxEntries_(maxEntries) {}

  Sha256Digest get(std::string_view secretAccessKey, const Scope& scope);

 private:
  const size_t maxEntries_;
  std::shared_mutex mu_;
  std::unordered_map<std::string, Sha256Digest> keys_;  // GUARDED_BY(mu_)
};

// kSigning for `secret` and `scope`, computed (no cache).
Sha256Digest deriveSigningKey(std::string_view secretAccessKey, const Scope& scope);

// Step 3 with an already derived key.
std::string signWithKey(const Sha256Digest& signingKey, std::string_view stringToSign);

}  // namespace overcast::auth
