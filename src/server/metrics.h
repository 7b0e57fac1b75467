// Metrics and the access log: the RequestObserver the dispatcher reports to.
// Prometheus text format: requests by service/action/status and latency histograms, plus
// gauges the server adds at render time (store commits, job queue depth).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>

#include <spdlog/logger.h>

#include "api/request_observer.h"

namespace overcast::server {

class Metrics final : public api::RequestObserver {
 public:
  // `accessLog` may be null (no access log).
  Metrics(std::shared_ptr<spdlog::logger> accessLog, spdlog::level::level_enum accessLevel);

  void onRequest(const api::RequestRecord& record) override;

  // Appends the request metrics in Prometheus text format.
  void render(std::string& out) const;

  static constexpr std::array<int64_t, 14> kBucketsMicros = {50,    100,    250,    500,     1000,    2500,    5000,
                                                             10000, 25000, 50000, 100000, 250000, 1000000, 5000000};

 private:
  struct Latency {
    std::array<uint64_t, kBucketsMicros.size()> buckets{};
    uint64_t count = 0;
    int64_t sumMicros = 0;
  };
  using Key = std::tuple<std::string, std::string, int>;  // service, action, status

  std::shared_ptr<spdlog::logger> accessLog_;
  spdlog::level::level_enum accessLevel_;
  mutable std::mutex mu_;
  std::map<Key, uint64_t, std::less<>> requests_;                              // GUARDED_BY(mu_)
  std::map<std::tuple<std::string, std::string>, Latency, std::less<>> latency_;  // GUARDED_BY(mu_)
};

}  // namespace overcast::server
