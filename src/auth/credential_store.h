// CredentialStore: where the verifier looks up an access key. Implemented over the store
// (accounts/), and by a map in tests.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace overcast::auth {

struct Credential {
  std::string accessKeyId;
  std::string secretAccessKey;
  std::string accountId;  // 12 digits
  bool admin = false;     // may call the /_overcast/admin API
};

class CredentialStore {
 public:
  virtual ~CredentialStore() = default;
  // The credential for `accessKeyId`, or nullopt if no such key. Thread-safe.
  virtual std::optional<Credential> find(std::string_view accessKeyId) const = 0;
};

}  // namespace overcast::auth
