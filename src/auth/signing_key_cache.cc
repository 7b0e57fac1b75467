#include "auth/signing_key_cache.h"

#include <mutex>

namespace overcast::auth {

Sha256Digest deriveSigningKey(std::string_view secretAccessKey, const Scope& scope) {
  std::string secretKey;
  secretKey.reserve(4 + secretAccessKey.size());
  secretKey.append("AWS4");
  secretKey.append(secretAccessKey);
  HmacSha256 hmac;
  Sha256Digest key = hmac(reinterpret_cast<const unsigned char*>(secretKey.data()), secretKey.size(), scope.date);
  key = hmac(key, scope.region);
  key = hmac(key, scope.service);
  return hmac(key, "aws4_request");
}

std::string signWithKey(const Sha256Digest& signingKey, std::string_view stringToSign) {
  // Building an HMAC context costs more than the MAC itself; each thread keeps one (it holds
  // no key between calls: every call initializes it with its own).
  thread_local HmacSha256 hmac;
  return toHex(hmac(signingKey, stringToSign));
}

Sha256Digest SigningKeyCache::get(std::string_view secretAccessKey, const Scope& scope) {
  // '\n' cannot appear in a scope element that parsed, so the joined key is unambiguous.
  std::string id;
  id.reserve(secretAccessKey.size() + scope.date.size() + scope.region.size() + scope.service.size() + 3);
  id.append(secretAccessKey).append(1, '\n').append(scope.date).append(1, '\n').append(scope.region)
      .append(1, '\n').append(scope.service);
  {
    std::shared_lock lock(mu_);
    if (auto it = keys_.find(id); it != keys_.end()) return it->second;
  }
  Sha256Digest key = deriveSigningKey(secretAccessKey, scope);
  std::unique_lock lock(mu_);
  if (keys_.size() >= maxEntries_) keys_.clear();
  keys_.emplace(std::move(id), key);
  return key;
}

}  // namespace overcast::auth
