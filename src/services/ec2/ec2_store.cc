#include "services/ec2/ec2_store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <spdlog/spdlog.h>

namespace overcast::ec2 {

namespace json = boost::json;

Result<std::vector<ResourcePtr>> loadResources(store::ReadTxn& txn) {
  auto rows = txn.query("SELECT account_id, region, id, kind, doc FROM ec2_resources");
  if (!rows) return rows.error();
  std::vector<ResourcePtr> out;
  out.reserve(rows->size());
  for (const auto& row : *rows) {
    boost::system::error_code ec;
    auto doc = json::parse(row.text(4), ec);
    if (ec || !doc.is_object()) {
      spdlog::error("ec2: resource {} has an unreadable document; left out", row.text(2));
      continue;
    }
    auto r = std::make_shared<Resource>();
    r->owner = row.text(0);
    r->region = row.text(1);
    r->id = row.text(2);
    r->kind = row.text(3);
    auto& o = doc.get_object();
    if (auto* d = o.if_contains("data"); d && d->is_object()) r->data = std::move(d->get_object());
    if (auto* m = o.if_contains("meta"); m && m->is_object()) r->meta = std::move(m->get_object());
    out.push_back(std::move(r));
  }
  return out;
}

Result<void> saveResource(store::WriteTxn& txn, const Resource& r) {
  // {"data": ..., "meta": ...} written directly: building a json::object first would copy both.
  std::string doc = "{\"data\":";
  doc += json::serialize(r.data);
  doc += ",\"meta\":";
  doc += json::serialize(r.meta);
  doc += '}';
  auto res = txn.exec("INSERT OR REPLACE INTO ec2_resources (account_id, region, id, kind, doc) VALUES (?, ?, ?, ?, ?)",
                      {r.owner, r.region, r.id, r.kind, std::move(doc)});
  if (!res) return res.error();
  return {};
}

Result<void> deleteResource(store::WriteTxn& txn, const ResourceKey& key) {
  auto res = txn.exec("DELETE FROM ec2_resources WHERE account_id = ? AND region = ? AND id = ?",
                      {key.owner, key.region, key.id});
  if (!res) return res.error();
  return {};
}

Result<void> deleteAccountResources(store::WriteTxn& txn) {
  auto res = txn.exec("DELETE FROM ec2_resources WHERE account_id <> ''");
  if (!res) return res.error();
  return {};
}

}  // namespace overcast::ec2
