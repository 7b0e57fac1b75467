#include "accounts/key_cache.h"

#include <mutex>

namespace overcast::accounts {

std::optional<auth::Credential> KeyCache::find(std::string_view accessKeyId) const {
  std::shared_lock lock(mu_);
  auto it = byKeyId_.find(accessKeyId);
  if (it == byKeyId_.end()) return std::nullopt;
  return it->second;
}

void KeyCache::replaceAll(std::vector<auth::Credential> credentials) {
  std::map<std::string, auth::Credential, std::less<>> fresh;
  for (auto& c : credentials) {
    std::string id = c.accessKeyId;
    fresh.emplace(std::move(id), std::move(c));
  }
  std::unique_lock lock(mu_);
  byKeyId_.swap(fresh);
}

void KeyCache::put(auth::Credential credential) {
  std::unique_lock lock(mu_);
  std::string id = credential.accessKeyId;
  byKeyId_.insert_or_assign(std::move(id), std::move(credential));
}

void KeyCache::erase(std::string_view accessKeyId) {
  std::unique_lock lock(mu_);
  if (auto it = byKeyId_.find(accessKeyId); it != byKeyId_.end()) byKeyId_.erase(it);
}

void KeyCache::eraseAccount(std::string_view accountId) {
  std::unique_lock lock(mu_);
  std::erase_if(byKeyId_, [&](const auto& kv) { return kv.second.accountId == accountId; });
}

size_t KeyCache::size() const {
  std::shared_lock lock(mu_);
  return byKeyId_.size();
}

}  // namespace overcast::accounts
