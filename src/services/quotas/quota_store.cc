#include "services/quotas/quota_store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

namespace overcast::quotas {
namespace {

namespace json = boost::json;

int64_t millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint fromMillis(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

std::string stringAt(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

double numberAt(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return 0;
}

}  // namespace

Result<std::vector<StoredQuota>> loadQuotas(store::ReadTxn& txn) {
  auto rows = txn.query("SELECT account_id, region, service_code, quota_code, kind, value FROM service_quotas");
  if (!rows) return rows.error();
  std::vector<StoredQuota> out;
  out.reserve(rows->size());
  for (const auto& row : *rows)
    out.push_back({row.text(0), row.text(1), row.text(2), row.text(3), row.text(4), row.real(5)});
  return out;
}

Result<void> saveQuota(store::WriteTxn& txn, const StoredQuota& q) {
  auto r = txn.exec(
      "INSERT OR REPLACE INTO service_quotas (account_id, region, service_code, quota_code, kind, value) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {q.accountId, q.region, q.serviceCode, q.quotaCode, q.kind, q.value});
  if (!r) return r.error();
  return {};
}

Result<void> deleteAccountQuotas(store::WriteTxn& txn) {
  if (auto r = txn.exec("DELETE FROM service_quotas WHERE kind = ?", {std::string(kValueKind)}); !r) return r.error();
  if (auto r = txn.exec("DELETE FROM service_quota_requests"); !r) return r.error();
  return {};
}

Result<std::vector<QuotaRequest>> loadRequests(store::ReadTxn& txn) {
  auto rows = txn.query(
      "SELECT id, account_id, region, doc, created_at FROM service_quota_requests ORDER BY created_at, id");
  if (!rows) return rows.error();
  std::vector<QuotaRequest> out;
  out.reserve(rows->size());
  for (const auto& row : *rows) {
    boost::system::error_code ec;
    auto doc = json::parse(row.text(3), ec);
    if (ec || !doc.is_object()) {
      spdlog::error("service quotas: request {} has an unreadable document; left out", row.text(0));
      continue;
    }
    const auto& o = doc.get_object();
    QuotaRequest r;
    r.id = row.text(0);
    r.accountId = row.text(1);
    r.region = row.text(2);
    r.serviceCode = stringAt(o, "ServiceCode");
    r.quotaCode = stringAt(o, "QuotaCode");
    r.desiredValue = numberAt(o, "DesiredValue");
    r.status = stringAt(o, "Status");
    r.created = fromMillis(row.integer(4));
    r.lastUpdated = fromMillis(static_cast<int64_t>(numberAt(o, "LastUpdated")));
    out.push_back(std::move(r));
  }
  return out;
}

Result<void> saveRequest(store::WriteTxn& txn, const QuotaRequest& r) {
  json::object doc{{"ServiceCode", r.serviceCode},
                   {"QuotaCode", r.quotaCode},
                   {"DesiredValue", r.desiredValue},
                   {"Status", r.status},
                   {"LastUpdated", millis(r.lastUpdated)}};
  auto res = txn.exec(
      "INSERT OR REPLACE INTO service_quota_requests (id, account_id, region, doc, created_at) VALUES (?, ?, ?, ?, ?)",
      {r.id, r.accountId, r.region, json::serialize(doc), millis(r.created)});
  if (!res) return res.error();
  return {};
}

}  // namespace overcast::quotas
