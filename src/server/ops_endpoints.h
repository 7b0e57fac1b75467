// The operations endpoints, unauthenticated and read-only:
//   GET /_overcast/health  JSON: status, version, uptime, store
//   GET /_overcast/info    JSON: services, regions, endpoint, data directory
//   GET /metrics           Prometheus text
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "core/http_message.h"
#include "server/metrics.h"
#include "store/store.h"

namespace overcast::server {

struct OpsInfo {
  std::string version;
  std::string endpoint;      // "http://127.0.0.1:4566"
  std::string tlsEndpoint;   // "" if none
  std::string dataDir;
  std::vector<std::string> services;
  std::chrono::steady_clock::time_point started;
  std::function<size_t()> jobQueueDepth;  // may be empty
};

// True if `path` is one of these endpoints.
bool isOpsPath(std::string_view path);

HttpResponse handleOps(const HttpRequest& request, const OpsInfo& info, const Metrics& metrics,
                       const store::Store& store);

}  // namespace overcast::server
