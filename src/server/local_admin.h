// The local admin credential: a fresh admin key made at each start, kept in memory only and
// written with the endpoint to <data>/admin-credentials.json (mode 0600), so that whoever can
// read the data directory — `overcast admin --data DIR` — can administer the running server.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "auth/credential_store.h"
#include "core/result.h"

namespace overcast::server {

struct LocalAdminFile {
  std::string endpoint;  // "http://127.0.0.1:4566"
  std::string accessKeyId;
  std::string secretAccessKey;
  long pid = 0;
};

std::filesystem::path localAdminPath(const std::filesystem::path& dataDir);
Result<void> writeLocalAdmin(const std::filesystem::path& dataDir, const LocalAdminFile& file);
Result<LocalAdminFile> readLocalAdmin(const std::filesystem::path& dataDir);
void removeLocalAdmin(const std::filesystem::path& dataDir);

// The stored keys, plus one extra credential that lives only in memory.
class WithLocalAdmin final : public auth::CredentialStore {
 public:
  WithLocalAdmin(const auth::CredentialStore& stored, auth::Credential extra)
      : stored_(stored), extra_(std::move(extra)) {}
  std::optional<auth::Credential> find(std::string_view accessKeyId) const override {
    if (accessKeyId == extra_.accessKeyId) return extra_;
    return stored_.find(accessKeyId);
  }

 private:
  const auth::CredentialStore& stored_;
  auth::Credential extra_;
};

}  // namespace overcast::server
