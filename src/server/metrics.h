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

#include "api/request_observer.h"
#include "server/access_log.h"

namespace overcast::server {

class Metrics final : public api::RequestObserver {
 public:
  // `accessLog` may be null (no access log); it must outlive the Metrics.
  explicit Metrics(AccessLog* accessLog);

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

  AccessLog* accessLog_;
  mutable std::mutex mu_;
  std::map<Key, uint64_t, std::less<>> requests_;                              // GUARDED_BY(mu_)
  std::map<std::tuple<std::string, std::string>, Latency, std::less<>> latency_;  // GUARDED_BY(mu_)
};

}  // namespace overcast::server
