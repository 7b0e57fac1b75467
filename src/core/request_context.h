// RequestContext: the per-request facts every handler may need, passed down explicitly.
#pragma once

#include <string>

#include "core/clock.h"

namespace overcast {

class IdGenerator;

struct RequestContext {
  std::string requestId;
  std::string accountId;    // the authenticated account (12 digits)
  std::string accessKeyId;  // the key that signed the request
  std::string region;       // e.g. "us-east-1"
  std::string service;      // e.g. "ec2", "sts"
  std::string action;       // e.g. "DescribeRegions"
  std::string host;         // the Host header as sent, for endpoint URLs in responses
  bool tls = false;
  TimePoint now;            // taken once, when the request arrived
  IdGenerator* ids = nullptr;
};

}  // namespace overcast
