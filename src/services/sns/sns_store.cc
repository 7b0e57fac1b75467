#include "services/sns/sns_store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace overcast::sns {
namespace json = boost::json;
namespace {

template <class Map>
std::string toJson(const Map& m) {
  json::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return json::serialize(o);
}

template <class Map>
Map fromJson(const std::string& text) {
  Map out;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& [k, val] : v.get_object())
    if (val.is_string()) out.emplace(std::string(k), std::string(val.get_string()));
  return out;
}

constexpr std::string_view kSubscriptionColumns =
    "SELECT arn, topic_arn, owner, protocol, endpoint, confirmed, token, attributes, created_at FROM sns_subscriptions";

std::optional<Subscription> subscriptionOf(const store::Row& r) {
  auto protocol = parseProtocol(r.text(3));
  if (!protocol) return std::nullopt;  // a protocol this version does not know: leave the row alone
  Subscription s;
  s.arn = r.text(0);
  s.topicArn = r.text(1);
  s.owner = r.text(2);
  s.protocol = *protocol;
  s.endpoint = r.text(4);
  s.confirmed = r.integer(5) != 0;
  s.token = r.text(6);
  s.attributes = fromJson<AttributeMap>(r.text(7));
  s.createdAt = r.integer(8);
  return s;
}

}  // namespace

Result<std::optional<Subscription>> loadSubscription(store::ReadTxn& txn, const std::string& arn) {
  auto row = txn.queryOne(std::string(kSubscriptionColumns) + " WHERE arn = ?", {arn});
  if (!row) return row.error();
  if (!*row) return std::optional<Subscription>{};
  return subscriptionOf(**row);
}

Result<SnsRows> loadSns(store::ReadTxn& txn) {
  SnsRows rows;
  auto topics = txn.query("SELECT arn, account_id, region, name, attributes, tags, created_at FROM sns_topics ORDER BY arn");
  if (!topics) return topics.error();
  for (const auto& r : *topics) {
    Topic t;
    t.arn = r.text(0);
    t.account = r.text(1);
    t.region = r.text(2);
    t.name = r.text(3);
    t.attributes = fromJson<AttributeMap>(r.text(4));
    t.tags = fromJson<std::map<std::string, std::string>>(r.text(5));
    t.createdAt = r.integer(6);
    rows.topics.push_back(std::move(t));
  }
  auto subs = txn.query(std::string(kSubscriptionColumns) + " ORDER BY arn");
  if (!subs) return subs.error();
  for (const auto& r : *subs)
    if (auto s = subscriptionOf(r)) rows.subscriptions.push_back(std::move(*s));
  return rows;
}

Result<void> upsertTopic(store::WriteTxn& txn, const Topic& t) {
  auto r = txn.exec(
      "INSERT INTO sns_topics (arn, account_id, region, name, attributes, tags, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (arn) DO UPDATE SET attributes = excluded.attributes, tags = excluded.tags",
      {t.arn, t.account, t.region, t.name, toJson(t.attributes), toJson(t.tags), t.createdAt});
  if (!r) return r.error();
  return {};
}

Result<void> deleteTopicRows(store::WriteTxn& txn, const std::string& topicArn) {
  if (auto r = txn.exec("DELETE FROM sns_subscriptions WHERE topic_arn = ?", {topicArn}); !r) return r.error();
  if (auto r = txn.exec("DELETE FROM sns_topics WHERE arn = ?", {topicArn}); !r) return r.error();
  return {};
}

Result<void> upsertSubscription(store::WriteTxn& txn, const Subscription& s) {
  auto r = txn.exec(
      "INSERT INTO sns_subscriptions (arn, topic_arn, owner, protocol, endpoint, confirmed, token, attributes, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (arn) DO UPDATE SET confirmed = excluded.confirmed, "
      "token = excluded.token, attributes = excluded.attributes",
      {s.arn, s.topicArn, s.owner, std::string(toString(s.protocol)), s.endpoint, int64_t{s.confirmed ? 1 : 0}, s.token,
       toJson(s.attributes), s.createdAt});
  if (!r) return r.error();
  return {};
}

Result<void> deleteSubscriptionRow(store::WriteTxn& txn, const std::string& arn) {
  if (auto r = txn.exec("DELETE FROM sns_subscriptions WHERE arn = ?", {arn}); !r) return r.error();
  return {};
}

}  // namespace overcast::sns
