// TopicRegistry: the topics and subscriptions of every account, in memory (the store is the
// source of truth; this is rebuilt from it at start). Subscriptions are immutable values:
// a change replaces the shared_ptr, so Publish can take a snapshot of a topic's subscriptions
// under the lock and deliver without it. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "services/sns/model/filter_policy.h"
#include "services/sns/model/sns_rules.h"

namespace overcast::sns {

struct Subscription {
  std::string arn;
  std::string topicArn;
  std::string owner;  // the subscribing account
  Protocol protocol = Protocol::Sqs;
  std::string endpoint;
  bool confirmed = false;
  std::string token;  // confirmation token ("" once confirmed)
  AttributeMap attributes;
  int64_t createdAt = 0;
  std::shared_ptr<const FilterPolicy> filter;  // the parsed FilterPolicy attribute, if any

  bool raw() const {
    auto it = attributes.find("RawMessageDelivery");
    return it != attributes.end() && it->second == "true";
  }
  std::string attribute(std::string_view name) const {
    auto it = attributes.find(name);
    return it == attributes.end() ? std::string() : it->second;
  }
};

struct Topic {
  std::string arn;
  std::string account;
  std::string region;
  std::string name;
  AttributeMap attributes;
  std::map<std::string, std::string> tags;
  int64_t createdAt = 0;

  bool fifo() const {
    auto it = attributes.find("FifoTopic");
    return it != attributes.end() && it->second == "true";
  }
  std::string attribute(std::string_view name) const {
    auto it = attributes.find(name);
    return it == attributes.end() ? std::string() : it->second;
  }
};

using SubscriptionPtr = std::shared_ptr<const Subscription>;
using TopicPtr = std::shared_ptr<const Topic>;

class TopicRegistry {
 public:
  std::optional<TopicPtr> topic(std::string_view arn) const;
  // Topics of (account, region) in ARN order, starting after `after` ("" = from the start).
  std::vector<TopicPtr> topics(std::string_view account, std::string_view region, std::string_view after,
                               size_t limit) const;
  void putTopic(TopicPtr topic);
  // Removes the topic and its subscriptions; returns the subscriptions removed.
  std::vector<SubscriptionPtr> removeTopic(std::string_view arn);

  std::optional<SubscriptionPtr> subscription(std::string_view arn) const;
  std::vector<SubscriptionPtr> subscriptionsOf(std::string_view topicArn) const;
  // Every subscription owned by `account` in `region`, in ARN order.
  std::vector<SubscriptionPtr> subscriptionsOwnedBy(std::string_view account, std::string_view region) const;
  std::optional<SubscriptionPtr> findSubscription(std::string_view topicArn, Protocol protocol,
                                                  std::string_view endpoint) const;
  void putSubscription(SubscriptionPtr subscription);
  void removeSubscription(std::string_view arn);
  void countDeleted(std::string_view topicArn);

  struct Counts {
    int64_t pending = 0;
    int64_t confirmed = 0;
    int64_t deleted = 0;
  };
  Counts counts(std::string_view topicArn) const;
  // Forgets every topic and subscription (the test-rig reset).
  void clear() {
    std::lock_guard lock(mu_);
    topics_.clear();
  }

 private:
  struct Entry {
    TopicPtr topic;
    std::map<std::string, SubscriptionPtr, std::less<>> subscriptions;  // by ARN
    int64_t deleted = 0;
  };
  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> topics_;  // GUARDED_BY(mu_), by ARN
};

}  // namespace overcast::sns
