#include "services/sns/topic_registry.h"

namespace overcast::sns {

std::optional<TopicPtr> TopicRegistry::topic(std::string_view arn) const {
  std::lock_guard lock(mu_);
  auto it = topics_.find(arn);
  if (it == topics_.end()) return std::nullopt;
  return it->second.topic;
}

std::vector<TopicPtr> TopicRegistry::topics(std::string_view account, std::string_view region, std::string_view after,
                                            size_t limit) const {
  std::vector<TopicPtr> out;
  std::lock_guard lock(mu_);
  for (auto it = after.empty() ? topics_.begin() : topics_.upper_bound(after); it != topics_.end(); ++it) {
    const Topic& t = *it->second.topic;
    if (t.account != account || t.region != region) continue;
    out.push_back(it->second.topic);
    if (out.size() == limit) break;
  }
  return out;
}

void TopicRegistry::putTopic(TopicPtr topic) {
  std::lock_guard lock(mu_);
  std::string arn = topic->arn;
  topics_[arn].topic = std::move(topic);
}

std::vector<SubscriptionPtr> TopicRegistry::removeTopic(std::string_view arn) {
  std::lock_guard lock(mu_);
  std::vector<SubscriptionPtr> removed;
  auto it = topics_.find(arn);
  if (it == topics_.end()) return removed;
  for (auto& [_, s] : it->second.subscriptions) removed.push_back(s);
  topics_.erase(it);
  return removed;
}

std::optional<SubscriptionPtr> TopicRegistry::subscription(std::string_view arn) const {
  auto topicArn = topicArnOfSubscription(arn);
  if (!topicArn) return std::nullopt;
  std::lock_guard lock(mu_);
  auto t = topics_.find(*topicArn);
  if (t == topics_.end()) return std::nullopt;
  auto s = t->second.subscriptions.find(arn);
  if (s == t->second.subscriptions.end()) return std::nullopt;
  return s->second;
}

std::vector<SubscriptionPtr> TopicRegistry::subscriptionsOf(std::string_view topicArn) const {
  std::vector<SubscriptionPtr> out;
  std::lock_guard lock(mu_);
  auto t = topics_.find(topicArn);
  if (t == topics_.end()) return out;
  out.reserve(t->second.subscriptions.size());
  for (const auto& [_, s] : t->second.subscriptions) out.push_back(s);
  return out;
}

std::vector<SubscriptionPtr> TopicRegistry::subscriptionsOwnedBy(std::string_view account, std::string_view region) const {
  std::vector<SubscriptionPtr> out;
  std::lock_guard lock(mu_);
  for (const auto& [_, entry] : topics_) {
    if (entry.topic->region != region) continue;
    for (const auto& [arn, s] : entry.subscriptions)
      if (s->owner == account) out.push_back(s);
  }
  return out;
}

std::optional<SubscriptionPtr> TopicRegistry::findSubscription(std::string_view topicArn, Protocol protocol,
                                                               std::string_view endpoint) const {
  std::lock_guard lock(mu_);
  auto t = topics_.find(topicArn);
  if (t == topics_.end()) return std::nullopt;
  for (const auto& [_, s] : t->second.subscriptions)
    if (s->protocol == protocol && s->endpoint == endpoint) return s;
  return std::nullopt;
}

void TopicRegistry::putSubscription(SubscriptionPtr subscription) {
  std::lock_guard lock(mu_);
  auto t = topics_.find(subscription->topicArn);
  if (t == topics_.end()) return;  // the topic went away meanwhile
  std::string arn = subscription->arn;
  t->second.subscriptions[arn] = std::move(subscription);
}

void TopicRegistry::removeSubscription(std::string_view arn) {
  auto topicArn = topicArnOfSubscription(arn);
  if (!topicArn) return;
  std::lock_guard lock(mu_);
  auto t = topics_.find(*topicArn);
  if (t == topics_.end()) return;
  if (auto s = t->second.subscriptions.find(arn); s != t->second.subscriptions.end()) {
    t->second.subscriptions.erase(s);
    ++t->second.deleted;
  }
}

void TopicRegistry::countDeleted(std::string_view topicArn) {
  std::lock_guard lock(mu_);
  if (auto t = topics_.find(topicArn); t != topics_.end()) ++t->second.deleted;
}

TopicRegistry::Counts TopicRegistry::counts(std::string_view topicArn) const {
  Counts c;
  std::lock_guard lock(mu_);
  auto t = topics_.find(topicArn);
  if (t == topics_.end()) return c;
  for (const auto& [_, s] : t->second.subscriptions) (s->confirmed ? c.confirmed : c.pending)++;
  c.deleted = t->second.deleted;
  return c;
}

}  // namespace overcast::sns
