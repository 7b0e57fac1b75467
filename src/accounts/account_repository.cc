#include "accounts/account_repository.h"

#include <future>

#include <fmt/format.h>

#include "accounts/key_format.h"

namespace overcast::accounts {
namespace {

using store::ReadTxn;
using store::Row;
using store::WriteTxn;

// Fresh ids that collide with existing ones are drawn again; with 10^12 account ids and
// 32^16 key ids a second collision in a row means the generator is broken.
constexpr int kMaxIdDraws = 8;

int64_t toMillis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
TimePoint fromMillis(int64_t ms) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(ms)));
}

AccessKey keyFromRow(const Row& r) {
  return AccessKey{r.text(0), r.text(1), r.text(2), r.integer(3) != 0, fromMillis(r.integer(4))};
}

auth::Credential credentialOf(const AccessKey& k) {
  return auth::Credential{k.accessKeyId, k.secretAccessKey, k.accountId, k.admin};
}

constexpr std::string_view kSelectKeys =
    "SELECT access_key_id, secret_access_key, account_id, is_admin, created_at FROM access_keys";

Result<bool> exists(ReadTxn& t, std::string_view sql, const std::string& id) {
  auto row = t.queryOne(sql, {id});
  if (!row) return row.error();
  return row->has_value();
}

Result<bool> accountExists(ReadTxn& t, const std::string& id) {
  return exists(t, "SELECT 1 FROM accounts WHERE account_id = ?", id);
}

// Admin keys that would remain if those matching `where` (with `param`) were deleted.
Result<int64_t> adminKeysLeftWithout(ReadTxn& t, std::string_view where, const std::string& param) {
  auto row = t.queryOne(fmt::format("SELECT count(*) FROM access_keys WHERE is_admin = 1 AND NOT ({})", where),
                        {param});
  if (!row) return row.error();
  return (*row)->integer(0);
}

Result<std::vector<AccessKey>> selectKeys(ReadTxn& t) {
  auto rows = t.query(fmt::format("{} ORDER BY account_id, access_key_id", kSelectKeys));
  if (!rows) return rows.error();
  std::vector<AccessKey> out;
  for (const Row& r : *rows) out.push_back(keyFromRow(r));
  return out;
}

Result<void> insertKey(WriteTxn& t, const AccessKey& k) {
  auto r = t.exec(
      "INSERT INTO access_keys (access_key_id, secret_access_key, account_id, is_admin, created_at) "
      "VALUES (?, ?, ?, ?, ?)",
      {k.accessKeyId, k.secretAccessKey, k.accountId, int64_t{k.admin ? 1 : 0}, toMillis(k.createdAt)});
  if (!r) return r.error();
  return {};
}

Error lastAdminKey() {
  return Error(ErrorCode::InvalidParameterValue,
               "that would delete the last admin access key; create another admin key first");
}

}  // namespace

AccountRepository::AccountRepository(store::Store& store, Clock& clock, IdGenerator& ids)
    : store_(store), clock_(clock), ids_(ids) {}

Result<void> AccountRepository::writeThenApply(store::Store::WriteFn fn, std::function<void()> onCommit) {
  auto promise = std::make_shared<std::promise<Result<void>>>();
  auto future = promise->get_future();
  store_.write(std::move(fn), [promise, onCommit = std::move(onCommit)](Result<void> r) {
    if (r && onCommit) onCommit();
    promise->set_value(std::move(r));
  });
  return future.get();
}

Result<bool> AccountRepository::ensureDefaultAccount() {
  bool created = false;
  const TimePoint now = clock_.now();
  auto r = store_.writeSync([&](WriteTxn& t) -> Result<void> {
    auto any = t.queryOne("SELECT 1 FROM accounts LIMIT 1");
    if (!any) return any.error();
    if (any->has_value()) return {};
    auto a = t.exec("INSERT INTO accounts (account_id, created_at) VALUES (?, ?)",
                    {std::string(kDefaultAccountId), toMillis(now)});
    if (!a) return a.error();
    created = true;
    return insertKey(t, AccessKey{std::string(kDefaultAccessKeyId), std::string(kDefaultSecretAccessKey),
                                  std::string(kDefaultAccountId), true, now});
  });
  if (!r) return r.error();
  if (auto loaded = reloadKeyCache(); !loaded) return loaded.error();
  return created;
}

Result<void> AccountRepository::reloadKeyCache() {
  // Read through the writer, applying on commit: the swap then takes its place in commit
  // order among the mutations' own cache updates, and never shows an uncommitted group-mate.
  std::vector<auth::Credential> creds;
  return writeThenApply(
      [&](WriteTxn& t) -> Result<void> {
        auto keys = selectKeys(t);
        if (!keys) return keys.error();
        creds.clear();
        for (const auto& k : *keys) creds.push_back(credentialOf(k));
        return {};
      },
      [&] { cache_.replaceAll(std::move(creds)); });
}

Result<Account> AccountRepository::createAccount(std::optional<std::string> accountId) {
  if (accountId && !isValidAccountId(*accountId)) {
    return Error(ErrorCode::InvalidParameterValue,
                 fmt::format("account id '{}' is not 12 digits", *accountId));
  }
  Account account{accountId.value_or(""), clock_.now()};
  auto r = store_.writeSync([&](WriteTxn& t) -> Result<void> {
    if (accountId) {
      auto taken = accountExists(t, *accountId);
      if (!taken) return taken.error();
      if (*taken) return Error(ErrorCode::AccountAlreadyExists, fmt::format("account {} already exists", *accountId));
    } else {
      for (int i = 0;; ++i) {
        if (i == kMaxIdDraws) return Error(ErrorCode::InternalFailure, "could not draw an unused account id");
        account.accountId = newAccountId(ids_);
        auto taken = accountExists(t, account.accountId);
        if (!taken) return taken.error();
        if (!*taken) break;
      }
    }
    auto ins = t.exec("INSERT INTO accounts (account_id, created_at) VALUES (?, ?)",
                      {account.accountId, toMillis(account.createdAt)});
    if (!ins) return ins.error();
    return {};
  });
  if (!r) return r.error();
  return account;
}

Result<std::vector<Account>> AccountRepository::listAccounts() {
  std::vector<Account> out;
  auto r = store_.read([&](ReadTxn& t) -> Result<void> {
    auto rows = t.query("SELECT account_id, created_at FROM accounts ORDER BY account_id");
    if (!rows) return rows.error();
    for (const Row& row : *rows) out.push_back(Account{row.text(0), fromMillis(row.integer(1))});
    return {};
  });
  if (!r) return r.error();
  return out;
}

Result<AccessKey> AccountRepository::createAccessKey(const std::string& accountId, bool admin) {
  AccessKey key{"", newSecretAccessKey(ids_), accountId, admin, clock_.now()};
  auto r = writeThenApply(
      [&](WriteTxn& t) -> Result<void> {
        auto found = accountExists(t, accountId);
        if (!found) return found.error();
        if (!*found) return Error(ErrorCode::AccountNotFound, fmt::format("account {} does not exist", accountId));
        for (int i = 0;; ++i) {
          if (i == kMaxIdDraws) return Error(ErrorCode::InternalFailure, "could not draw an unused access key id");
          key.accessKeyId = newAccessKeyId(ids_);
          auto taken = exists(t, "SELECT 1 FROM access_keys WHERE access_key_id = ?", key.accessKeyId);
          if (!taken) return taken.error();
          if (!*taken) break;
        }
        return insertKey(t, key);
      },
      [&] { cache_.put(credentialOf(key)); });
  if (!r) return r.error();
  return key;
}

Result<std::vector<AccessKey>> AccountRepository::listAccessKeys(std::optional<std::string> accountId) {
  std::vector<AccessKey> out;
  auto r = store_.read([&](ReadTxn& t) -> Result<void> {
    if (!accountId) {
      auto keys = selectKeys(t);
      if (!keys) return keys.error();
      out = std::move(*keys);
      return {};
    }
    auto found = accountExists(t, *accountId);
    if (!found) return found.error();
    if (!*found) return Error(ErrorCode::AccountNotFound, fmt::format("account {} does not exist", *accountId));
    auto rows = t.query(fmt::format("{} WHERE account_id = ? ORDER BY access_key_id", kSelectKeys), {*accountId});
    if (!rows) return rows.error();
    for (const Row& row : *rows) out.push_back(keyFromRow(row));
    return {};
  });
  if (!r) return r.error();
  return out;
}

Result<void> AccountRepository::deleteAccessKey(const std::string& accessKeyId) {
  return writeThenApply(
      [&](WriteTxn& t) -> Result<void> {
        auto row = t.queryOne("SELECT is_admin FROM access_keys WHERE access_key_id = ?", {accessKeyId});
        if (!row) return row.error();
        if (!*row) return Error(ErrorCode::AccessKeyNotFound, fmt::format("access key {} does not exist", accessKeyId));
        if ((*row)->integer(0) != 0) {
          auto left = adminKeysLeftWithout(t, "access_key_id = ?", accessKeyId);
          if (!left) return left.error();
          if (*left == 0) return lastAdminKey();
        }
        auto del = t.exec("DELETE FROM access_keys WHERE access_key_id = ?", {accessKeyId});
        if (!del) return del.error();
        return {};
      },
      [&] { cache_.erase(accessKeyId); });
}

Result<void> AccountRepository::deleteAccount(const std::string& accountId) {
  return writeThenApply(
      [&](WriteTxn& t) -> Result<void> {
        auto found = accountExists(t, accountId);
        if (!found) return found.error();
        if (!*found) return Error(ErrorCode::AccountNotFound, fmt::format("account {} does not exist", accountId));
        auto hadAdmin = t.queryOne("SELECT 1 FROM access_keys WHERE is_admin = 1 AND account_id = ? LIMIT 1",
                                   {accountId});
        if (!hadAdmin) return hadAdmin.error();
        if (hadAdmin->has_value()) {
          auto left = adminKeysLeftWithout(t, "account_id = ?", accountId);
          if (!left) return left.error();
          if (*left == 0) return lastAdminKey();
        }
        if (auto d = t.exec("DELETE FROM access_keys WHERE account_id = ?", {accountId}); !d) return d.error();
        if (auto d = t.exec("DELETE FROM accounts WHERE account_id = ?", {accountId}); !d) return d.error();
        return {};
      },
      [&] { cache_.eraseAccount(accountId); });
}

}  // namespace overcast::accounts
