#include "server/metrics.h"

#include <fmt/format.h>

namespace overcast::server {

Metrics::Metrics(std::shared_ptr<spdlog::logger> accessLog, spdlog::level::level_enum accessLevel)
    : accessLog_(std::move(accessLog)), accessLevel_(accessLevel) {}

void Metrics::onRequest(const api::RequestRecord& r) {
  std::string_view service = r.service.empty() ? "unknown" : r.service;
  std::string_view action = r.action.empty() ? "unknown" : r.action;
  if (accessLog_ && accessLog_->should_log(accessLevel_)) {
    // time (by the logger), account, service, action, status, microseconds
    accessLog_->log(accessLevel_, "{} {} {} {} {} {}us {} {}", r.remoteAddress,
                    r.accountId.empty() ? "-" : r.accountId, service, action, r.status, r.micros,
                    r.errorCode.empty() ? "-" : r.errorCode, r.requestId);
  }
  std::lock_guard lock(mu_);
  auto key = Key(std::string(service), std::string(action), r.status);
  ++requests_[key];
  auto& l = latency_[{std::string(service), std::string(action)}];
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
    for (size_t i = 0; i < kBucketsMicros.size(); ++i)
      out += fmt::format("overcast_request_duration_seconds_bucket{{service=\"{}\",action=\"{}\",le=\"{}\"}} {}\n",
                         key.first, key.second, static_cast<double>(kBucketsMicros[i]) / 1e6, l.buckets[i]);
    out += fmt::format("overcast_request_duration_seconds_bucket{{service=\"{}\",action=\"{}\",le=\"+Inf\"}} {}\n",
                       key.first, key.second, l.count);
    out += fmt::format("overcast_request_duration_seconds_sum{{service=\"{}\",action=\"{}\"}} {}\n", key.first,
                       key.second, static_cast<double>(l.sumMicros) / 1e6);
    out += fmt::format("overcast_request_duration_seconds_count{{service=\"{}\",action=\"{}\"}} {}\n", key.first,
                       key.second, l.count);
  }
}

}  // namespace overcast::server
