// RequestBuilder: turns a Scenario into the exact bytes sent on the wire, SigV4-signed with
// overcast's own client signer (auth::signRequest) unless signing is off or the scenario has no
// service. A signature stays valid for AWS's 5-minute skew, longer than any run, so fixed
// requests are signed once and replayed.
#pragma once

#include <cstdint>
#include <string>

#include "scenario.h"
#include "session.h"

namespace overcast::bench {

struct SigningOptions {
  bool sign = true;
  std::string accessKey = "test";
  std::string secretKey = "test";
  std::string region = "us-east-1";
};

class RequestBuilder {
 public:
  // `hostHeader` is the Host value, e.g. "127.0.0.1:4566".
  RequestBuilder(const Scenario& scenario, std::string hostHeader, SigningOptions signing);

  // True if every request differs (the scenario has makeBody): call build() for each.
  bool perRequest() const { return scenario_.makeBody != nullptr || sessions_ != nullptr; }
  bool signs() const { return signing_.sign && !scenario_.service.empty(); }

  // The request for fixed scenarios, built and signed in the constructor.
  const std::string& fixedRequest() const { return fixed_; }

  // Builds request number `seq` into `out` (reusing its capacity).
  void build(std::uint64_t seq, std::string& out) const;

  // The scenario's setup request (empty if it has none), and what its answer gave, for makeBody.
  // REQUIRES: setSetupResult before the first build(), never during the run.
  std::string setupRequest() const;
  void setSetupResult(std::string result) { setupResult_ = std::move(result); }
  const std::string& hostHeader() const { return hostHeader_; }

  // Stateful scenarios (SQS): each connection gets a session from this factory and asks it for
  // its requests instead of build(). Set before the connections are made.
  void setSessions(SessionFactory* sessions) { sessions_ = sessions; }
  SessionFactory* sessions() const { return sessions_; }

  // False if this binary was built without a signer (src/auth had no implementation yet).
  static bool signerAvailable();

 private:
  void serialize(std::string_view body, std::string& out) const;

  const Scenario& scenario_;
  std::string hostHeader_;
  SigningOptions signing_;
  std::string fixed_;
  std::string setupResult_;
  SessionFactory* sessions_ = nullptr;
};

}  // namespace overcast::bench
