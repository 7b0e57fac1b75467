#include "server/metrics.h"

#include <fmt/compile.h>
#include <fmt/format.h>

namespace overcast::server {

Metrics::Metrics(AccessLog* accessLog) : accessLog_(accessLog) {}

void Metrics::onRequest(const api::RequestRecord& r) {
  std::string_view service = r.service.empty() ? "unknown" : r.service;
  std::string_view action = r.action.empty() ? "unknown" : r.action;
  if (accessLog_) {
    // time (added by the log), client, account, service, action, status, microseconds, error, id
    fmt::memory_buffer line;
    fmt::format_to(std::back_inserter(line), FMT_COMPILE("{} {} {} {} {} {}us {} {}"), r.remoteAddress,
                   r.accountId.empty() ? "-" : r.accountId, service, action, r.status, r.micros,
                   r.errorCode.empty() ? "-" : r.errorCode, r.requestId);
    accessLog_->append(r.arrived, std::string_view(line.data(), line.size()));
  }
  std::lock_guard lock(mu_);
  // Look up by views; the keys' strings are made only the first time a combination is seen.
  auto counter = requests_.find(std::tuple<std::string_view, std::string_view, int>(service, action, r.status));
  if (counter == requests_.end())
    counter = requests_.emplace(Key(std::string(service), std::string(action), r.status), 0).first;
  ++counter->second;
  auto latency = latency_.find(std::tuple<std::string_view, std::string_view>(service, action));
  if (latency == latency_.end())
    latency = latency_.emplace(std::tuple(std::string(service), std::string(action)), Latency{}).first;
  auto& l = latency->second;
  for (size_t i = 0; i < kBucketsMicros.size(); ++i)
    if (r.micros <= kBucketsMicros[i]) ++l.buckets[i];
  ++l.count;
  l.sumMicros += r.micros;
}

void Metrics::render(std::string& out) const {
  std::lock_guard lock(mu_);
  out += "# HELP overcast_requests_total API requests by service, action and HTTP status.\n";
  out += "# TYPE overcast_requests_total counter\n";
  for (const auto& [key, n] : requests_)
    out += fmt::format("overcast_requests_total{{service=\"{}\",action=\"{}\",status=\"{}\"}} {}\n",
                       std::get<0>(key), std::get<1>(key), std::get<2>(key), n);
  out += "# HELP overcast_request_duration_seconds API request latency, arrival to response.\n";
  out += "# TYPE overcast_request_duration_seconds histogram\n";
  for (const auto& [key, l] : latency_) {
    const auto& [service, action] = key;
    for (size_t i = 0; i < kBucketsMicros.size(); ++i)
      out += fmt::format("overcast_request_duration_seconds_bucket{{service=\"{}\",action=\"{}\",le=\"{}\"}} {}\n",
                         service, action, static_cast<double>(kBucketsMicros[i]) / 1e6, l.buckets[i]);
    out += fmt::format("overcast_request_duration_seconds_bucket{{service=\"{}\",action=\"{}\",le=\"+Inf\"}} {}\n",
                       service, action, l.count);
    out += fmt::format("overcast_request_duration_seconds_sum{{service=\"{}\",action=\"{}\"}} {}\n", service,
                       action, static_cast<double>(l.sumMicros) / 1e6);
    out += fmt::format("overcast_request_duration_seconds_count{{service=\"{}\",action=\"{}\"}} {}\n", service,
                       action, l.count);
  }
}

}  // namespace overcast::server
