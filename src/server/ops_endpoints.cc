#include "server/ops_endpoints.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/regions.h"

namespace overcast::server {
namespace {

namespace json = boost::json;

HttpResponse jsonResponse(int status, const json::object& body) {
  HttpResponse r;
  r.status = status;
  r.setHeader("Content-Type", "application/json");
  r.body = json::serialize(body);
  r.body += "\n";
  return r;
}

}  // namespace

bool isOpsPath(std::string_view path) {
  return (path.starts_with("/_overcast/") && path != "/_overcast/admin") || path == "/metrics";
}

HttpResponse handleOps(const HttpRequest& request, const OpsInfo& info, const Metrics& metrics,
                       const store::Store& store) {
  if (request.method != "GET" && request.method != "HEAD")
    return jsonResponse(405, {{"error", "method not allowed"}});
  const auto path = request.path();
  const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - info.started);
  if (path == "/_overcast/health") {
    return jsonResponse(200, {{"status", "ok"},
                              {"version", info.version},
                              {"uptime_seconds", uptime.count()},
                              {"store", store.describe()}});
  }
  if (path == "/_overcast/info") {
    json::array regions;
    for (const auto& r : allRegions()) regions.emplace_back(r.name);
    json::array services;
    for (const auto& s : info.services) services.emplace_back(s);
    json::object body{{"version", info.version},
                      {"services", std::move(services)},
                      {"regions", std::move(regions)},
                      {"endpoint", info.endpoint},
                      {"data_dir", info.dataDir}};
    if (!info.tlsEndpoint.empty()) body["tls_endpoint"] = info.tlsEndpoint;
    return jsonResponse(200, body);
  }
  if (path != "/metrics") return jsonResponse(404, {{"error", "no such endpoint"}});
  std::string out;
  out.reserve(16 * 1024);
  metrics.render(out);
  auto s = store.stats();
  out += "# HELP overcast_store_commits_total Group commits of the store.\n# TYPE overcast_store_commits_total counter\n";
  out += fmt::format("overcast_store_commits_total {}\n", s.commits);
  out += "# HELP overcast_store_writes_total Write transactions committed.\n# TYPE overcast_store_writes_total counter\n";
  out += fmt::format("overcast_store_writes_total {}\n", s.writes);
  out += "# HELP overcast_store_commit_seconds_total Time spent committing.\n# TYPE overcast_store_commit_seconds_total counter\n";
  out += fmt::format("overcast_store_commit_seconds_total {}\n", static_cast<double>(s.commitMicrosTotal) / 1e6);
  out += "# HELP overcast_store_writes_per_commit Mean writes sharing one commit.\n# TYPE overcast_store_writes_per_commit gauge\n";
  out += fmt::format("overcast_store_writes_per_commit {}\n",
                     s.commits ? static_cast<double>(s.writes) / static_cast<double>(s.commits) : 0.0);
  out += "# HELP overcast_store_queue_depth Writes waiting for the writer.\n# TYPE overcast_store_queue_depth gauge\n";
  out += fmt::format("overcast_store_queue_depth {}\n", s.queueDepth);
  out += "# HELP overcast_jobs_queue_depth Jobs pending or running.\n# TYPE overcast_jobs_queue_depth gauge\n";
  out += fmt::format("overcast_jobs_queue_depth {}\n", info.jobQueueDepth ? info.jobQueueDepth() : 0);
  out += "# HELP overcast_uptime_seconds Seconds since start.\n# TYPE overcast_uptime_seconds gauge\n";
  out += fmt::format("overcast_uptime_seconds {}\n", uptime.count());
  HttpResponse r;
  r.setHeader("Content-Type", "text/plain; version=0.0.4");
  r.body = std::move(out);
  return r;
}

}  // namespace overcast::server
