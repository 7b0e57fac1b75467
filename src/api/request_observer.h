// RequestObserver: told about every finished API request (access log, metrics).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/clock.h"

namespace overcast::api {

struct RequestRecord {
  std::string_view requestId;
  std::string_view accountId;  // empty if authentication failed
  std::string_view service;    // empty if not routed
  std::string_view action;
  std::string_view remoteAddress;
  int status = 0;
  std::string_view errorCode;  // empty on success
  int64_t micros = 0;          // from arrival to response handed to the socket layer
  TimePoint arrived;           // the request's arrival (the context's `now`)
};

class RequestObserver {
 public:
  virtual ~RequestObserver() = default;
  // Called on the thread that completed the request; must not block.
  virtual void onRequest(const RequestRecord& record) = 0;
};

}  // namespace overcast::api
