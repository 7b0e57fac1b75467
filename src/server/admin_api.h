// The admin API: POST /_overcast/admin with a JSON body {"Action": "...", ...}, SigV4-signed
// with an admin key (the default key of a fresh data directory, a key made with
// `overcast admin create-key --admin`, or the per-run local admin key the server writes to
// <data>/admin-credentials.json). `overcast admin` talks to it when a server runs.
//
// Actions: CreateAccount {AccountId?}, ListAccounts, CreateAccessKey {AccountId, Admin?},
// ListAccessKeys {AccountId?}, DeleteAccessKey {AccessKeyId}; and those added with addAction
// (ImportImage {ImageId, Name?, Description?, Architecture?, Region?}: services/ec2/images.h;
// SetQuota, SetQuotaCeiling, ListQuotas: services/quotas/quota_admin.h).
// Repository calls block on the store, so they run on `blocking`, never on an I/O thread.
#pragma once

#include <functional>
#include <map>
#include <string>

#include <boost/asio/thread_pool.hpp>
#include <boost/json/object.hpp>

#include "accounts/account_repository.h"
#include "auth/credential_store.h"
#include "auth/sigv4.h"
#include "core/clock.h"
#include "core/http_message.h"

namespace overcast::server {

class AdminApi {
 public:
  AdminApi(accounts::AccountRepository& accounts, const auth::CredentialStore& keys, const Clock& clock,
           auth::VerifyOptions verify, boost::asio::thread_pool& blocking);

  void handle(HttpRequest&& request, std::function<void(HttpResponse&&)> respond);

  // The action itself, after authentication. Pure with respect to HTTP: used by tests and by
  // `overcast admin` on a stopped server's data directory.
  static Result<boost::json::object> run(accounts::AccountRepository& accounts, const boost::json::object& request);

  // An action another part of the server serves (e.g. "ImportImage" by EC2), run on `blocking`
  // like the others. Add them before the server starts.
  using Action = std::function<Result<boost::json::object>(const boost::json::object& request)>;
  void addAction(std::string name, Action action) { actions_[std::move(name)] = std::move(action); }

 private:
  accounts::AccountRepository& accounts_;
  const auth::CredentialStore& keys_;
  const Clock& clock_;
  auth::VerifyOptions verify_;
  boost::asio::thread_pool& blocking_;
  std::map<std::string, Action, std::less<>> actions_;
};

}  // namespace overcast::server
