// KeyCache: the access keys in memory, for SigV4 verification on every request. Loaded from
// the store at start and kept current by AccountRepository's mutations (applied in commit
// order), so a running server sees a new or deleted key at once. The store stays the source
// of truth; a cache is rebuilt from it at every start.
//
// Threads: find() is called by every I/O thread and takes only a shared lock; updates take
// the exclusive lock briefly.
#pragma once

#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "auth/credential_store.h"

namespace overcast::accounts {

class KeyCache final : public auth::CredentialStore {
 public:
  std::optional<auth::Credential> find(std::string_view accessKeyId) const override;

  void replaceAll(std::vector<auth::Credential> credentials);
  void put(auth::Credential credential);
  void erase(std::string_view accessKeyId);
  void eraseAccount(std::string_view accountId);
  size_t size() const;

 private:
  mutable std::shared_mutex mu_;
  std::map<std::string, auth::Credential, std::less<>> byKeyId_;  // GUARDED_BY(mu_)
};

}  // namespace overcast::accounts
