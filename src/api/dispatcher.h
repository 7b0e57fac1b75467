// Dispatcher: the API front door. For each request: parse the parameters, route it,
// authenticate it (SigV4 against the key store), decode the input against the service model,
// invoke the service, and encode its output or error in the request's wire protocol.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "api/request_observer.h"
#include "api/service.h"
#include "auth/credential_store.h"
#include "auth/signing_key_cache.h"
#include "auth/sigv4.h"
#include "core/clock.h"
#include "core/http_message.h"
#include "core/id_generator.h"
#include "protocol/service_model.h"

namespace overcast::api {

struct DispatcherOptions {
  auth::VerifyOptions verify;
  std::string defaultRegion = "us-east-1";
};

using Respond = std::function<void(HttpResponse&&)>;

class Dispatcher {
 public:
  // All references must outlive the dispatcher.
  Dispatcher(const protocol::ModelRegistry& models, const auth::CredentialStore& keys, const Clock& clock,
             IdGenerator& ids, RequestObserver& observer, DispatcherOptions options);

  // REQUIRES: before the first handle(); service->name() is a model in the registry.
  void addService(std::unique_ptr<Service> service);
  // Tells every service the server is stopping (Service::stop).
  // Resets every service (Service::reset), one after the other; `done` gets the first error.
  void resetServices(std::function<void(Result<void>)> done);
  void stopServices();

  // Handles one API request; `respond` is called exactly once, possibly on another thread.
  // `bodyTooLarge`: the socket layer dropped a body over its limit.
  void handle(HttpRequest&& request, bool bodyTooLarge, Respond respond);

  const DispatcherOptions& options() const { return options_; }

 private:
  struct Call;
  bool allowsAnonymous(const std::string& service, std::string_view action) const;
  void fail(const std::shared_ptr<Call>& call, const Error& error);
  void finish(const std::shared_ptr<Call>& call, HttpResponse&& response, std::string_view errorCode);

  const protocol::ModelRegistry& models_;
  const auth::CredentialStore& keys_;
  const Clock& clock_;
  IdGenerator& ids_;
  RequestObserver& observer_;
  const DispatcherOptions options_;
  std::map<std::string, std::unique_ptr<Service>, std::less<>> services_;
  auth::SigningKeyCache signingKeys_;
};

}  // namespace overcast::api
