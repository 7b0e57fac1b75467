#include "services/sns/topic_registry.h"

#include <gtest/gtest.h>

namespace overcast::sns {
namespace {

TopicPtr topic(const std::string& account, const std::string& name, const std::string& region = "us-east-1") {
  auto t = std::make_shared<Topic>();
  t->account = account;
  t->region = region;
  t->name = name;
  t->arn = topicArnOf(region, account, name);
  return t;
}

SubscriptionPtr subscription(const Topic& t, const std::string& id, const std::string& owner, bool confirmed) {
  auto s = std::make_shared<Subscription>();
  s->arn = t.arn + ":" + id;
  s->topicArn = t.arn;
  s->owner = owner;
  s->protocol = Protocol::Email;
  s->endpoint = id + "@example.com";
  s->confirmed = confirmed;
  return s;
}

TEST(TopicRegistry, ListsTopicsOfOneAccountAndRegionInPages) {
  TopicRegistry r;
  for (const char* name : {"c", "a", "b"}) r.putTopic(topic("111111111111", name));
  r.putTopic(topic("222222222222", "a"));
  r.putTopic(topic("111111111111", "z", "eu-west-1"));
  auto first = r.topics("111111111111", "us-east-1", "", 2);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0]->name, "a");
  EXPECT_EQ(first[1]->name, "b");
  auto rest = r.topics("111111111111", "us-east-1", first[1]->arn, 2);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0]->name, "c");
}

TEST(TopicRegistry, SubscriptionsCountsAndRemoval) {
  TopicRegistry r;
  auto t = topic("111111111111", "t");
  r.putTopic(t);
  r.putSubscription(subscription(*t, "1", "111111111111", true));
  r.putSubscription(subscription(*t, "2", "333333333333", false));
  auto c = r.counts(t->arn);
  EXPECT_EQ(c.confirmed, 1);
  EXPECT_EQ(c.pending, 1);
  EXPECT_EQ(r.subscriptionsOwnedBy("333333333333", "us-east-1").size(), 1u);
  ASSERT_TRUE(r.findSubscription(t->arn, Protocol::Email, "2@example.com"));
  EXPECT_FALSE(r.findSubscription(t->arn, Protocol::Http, "2@example.com"));
  r.removeSubscription(t->arn + ":1");
  EXPECT_FALSE(r.subscription(t->arn + ":1"));
  EXPECT_EQ(r.counts(t->arn).deleted, 1);
  auto gone = r.removeTopic(t->arn);
  EXPECT_EQ(gone.size(), 1u);
  EXPECT_FALSE(r.topic(t->arn));
  EXPECT_TRUE(r.subscriptionsOf(t->arn).empty());
}

TEST(TopicRegistry, ASubscriptionOfAMissingTopicIsDropped) {
  TopicRegistry r;
  auto t = topic("111111111111", "t");
  r.putSubscription(subscription(*t, "1", "111111111111", true));
  EXPECT_FALSE(r.subscription(t->arn + ":1"));
}

}  // namespace
}  // namespace overcast::sns
