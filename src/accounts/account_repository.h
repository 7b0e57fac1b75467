// AccountRepository: accounts and their access keys, over the store, plus the KeyCache that
// request authentication reads. Every mutation commits and then updates the cache, in commit
// order (on the store's writer thread), so the cache never runs behind or ahead of the store
// for long enough to matter: the call returns only once both are done.
//
// Rules:
//  - A fresh store gets account 000000000000 with the admin key "test" / "test"
//    (ensureDefaultAccount), the well-known credentials AWS emulators use.
//  - The last admin access key in the store cannot be deleted, by deleteAccessKey or by
//    deleteAccount: nobody could then reach the admin API to make another. Make a new admin
//    key first.
//  - deleteAccount removes the account and its keys. It does not reach into services' tables;
//    a service that stores per-account rows with a foreign key to accounts makes the delete
//    fail (InternalFailure) while such rows exist.
//
// Threads: all methods are thread-safe and BLOCK on a store write or read: call them at
// start, from tools, or from the admin API (rare), not in a hot request path.
// REQUIRES: not on the store's writer thread (they wait for it).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/key_cache.h"
#include "core/clock.h"
#include "core/id_generator.h"
#include "core/result.h"
#include "store/store.h"

namespace overcast::accounts {

inline constexpr std::string_view kDefaultAccountId = "000000000000";
inline constexpr std::string_view kDefaultAccessKeyId = "test";
inline constexpr std::string_view kDefaultSecretAccessKey = "test";

struct Account {
  std::string accountId;
  TimePoint createdAt;
};

struct AccessKey {
  std::string accessKeyId;
  std::string secretAccessKey;
  std::string accountId;
  bool admin = false;
  TimePoint createdAt;
};

class AccountRepository {
 public:
  AccountRepository(store::Store& store, Clock& clock, IdGenerator& ids);

  // If the store has no account at all, creates the default account and key; returns whether
  // it did. Either way, (re)loads the KeyCache from the store. Call once at start.
  Result<bool> ensureDefaultAccount();

  // Rebuilds the KeyCache from the store.
  Result<void> reloadKeyCache();

  // Creates an account with `accountId` (must be 12 digits: else InvalidParameterValue;
  // AccountAlreadyExists if taken), or a random unused 12-digit id.
  Result<Account> createAccount(std::optional<std::string> accountId = std::nullopt);
  Result<std::vector<Account>> listAccounts();  // by id

  // A new key for an existing account (AccountNotFound otherwise).
  Result<AccessKey> createAccessKey(const std::string& accountId, bool admin);
  // The keys of one account (AccountNotFound if it does not exist), or of all; by account, id.
  Result<std::vector<AccessKey>> listAccessKeys(std::optional<std::string> accountId = std::nullopt);
  // AccessKeyNotFound; InvalidParameterValue if it is the last admin key.
  Result<void> deleteAccessKey(const std::string& accessKeyId);
  // AccountNotFound; InvalidParameterValue if it holds the last admin key.
  Result<void> deleteAccount(const std::string& accountId);

  // What request authentication reads. Lives as long as the repository.
  const KeyCache& keyCache() const { return cache_; }

 private:
  // Runs `fn` as a store write and, once it is durable, `onCommit` on the writer thread
  // (so cache updates happen in commit order); waits for both.
  Result<void> writeThenApply(store::Store::WriteFn fn, std::function<void()> onCommit);

  store::Store& store_;
  Clock& clock_;
  IdGenerator& ids_;
  KeyCache cache_;
};

}  // namespace overcast::accounts
