// A CredentialStore over a map, for tests.
#pragma once

#include <map>
#include <string>

#include "auth/credential_store.h"

namespace overcast::auth::testing {

class MapCredentialStore final : public CredentialStore {
 public:
  void add(Credential c) { keys_[c.accessKeyId] = std::move(c); }
  std::optional<Credential> find(std::string_view accessKeyId) const override {
    auto it = keys_.find(std::string(accessKeyId));
    if (it == keys_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::string, Credential> keys_;
};

// The AWS suite's fixed inputs.
inline constexpr std::string_view kSuiteAccessKey = "AKIDEXAMPLE";
inline constexpr std::string_view kSuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

inline MapCredentialStore suiteStore() {
  MapCredentialStore store;
  store.add({std::string(kSuiteAccessKey), std::string(kSuiteSecret), "111122223333", false});
  return store;
}

}  // namespace overcast::auth::testing
