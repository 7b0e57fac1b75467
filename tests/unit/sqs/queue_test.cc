#include "services/sqs/queue.h"

#include <gtest/gtest.h>

namespace overcast::sqs {
namespace {

MessageMeta message(int64_t seq, Millis sentAt, Millis visibleAt) {
  MessageMeta m;
  m.sequence = seq;
  m.sentAt = sentAt;
  m.visibleAt = visibleAt;
  m.bodyBytes = 5;
  return m;
}

class QueueTest : public ::testing::Test {
 protected:
  QueueTest() : queue_({1, "000000000000", "us-east-1", "q"}, QueueSettings{}, {}, 0, 0) {}
  std::vector<Received> receive(int max, Millis now, Millis visibilityMs = 30000) {
    return queue_.receive(max, now, visibilityMs, [this] { return ++nonce_; }, expired_);
  }
  Queue queue_;
  uint64_t nonce_ = 0;
  std::vector<int64_t> expired_;
};

TEST_F(QueueTest, ReceivesInOrderAndHidesWhileInFlight) {
  for (int i = 1; i <= 3; ++i) queue_.add(message(i, 1000, 1000));
  auto first = receive(2, 1000);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].meta.sequence, 1);
  EXPECT_EQ(first[1].meta.sequence, 2);
  EXPECT_EQ(first[0].meta.receiveCount, 1);
  EXPECT_EQ(first[0].meta.firstReceiveAt, 1000);
  auto second = receive(10, 1000);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].meta.sequence, 3);
  EXPECT_TRUE(receive(10, 30999).empty());
  auto again = receive(10, 31000);  // visibility timeout over: back, with a new receive
  ASSERT_EQ(again.size(), 3u);
  EXPECT_EQ(again[0].meta.receiveCount, 2);
  EXPECT_EQ(again[0].meta.firstReceiveAt, 1000);
  EXPECT_NE(again[0].meta.nonce, first[0].meta.nonce);
}

TEST_F(QueueTest, DelayedMessagesWaitAndCountsSayWhere) {
  queue_.add(message(1, 0, 0));
  queue_.add(message(2, 0, 5000));  // delayed 5 s
  auto c = queue_.counts(100);
  EXPECT_EQ(c.visible, 1);
  EXPECT_EQ(c.delayed, 1);
  EXPECT_EQ(queue_.nextVisibleAt(100), 5000);
  ASSERT_EQ(receive(10, 100).size(), 1u);
  c = queue_.counts(100);
  EXPECT_EQ(c.visible, 0);
  EXPECT_EQ(c.inFlight, 1);
  EXPECT_EQ(c.delayed, 1);
  ASSERT_EQ(receive(10, 5000).size(), 1u);
}

TEST_F(QueueTest, HandlesAreCurrentOnlyForTheLiveReceive) {
  queue_.add(message(1, 0, 0));
  auto r1 = receive(1, 0, 0);  // visible again at once
  auto r2 = receive(1, 0, 1000);
  ASSERT_EQ(r2.size(), 1u);
  EXPECT_EQ(queue_.check(1, r1[0].meta.receiveCount, r1[0].meta.nonce), Queue::HandleState::Stale);
  EXPECT_EQ(queue_.check(1, r2[0].meta.receiveCount, r2[0].meta.nonce), Queue::HandleState::Current);
  EXPECT_EQ(queue_.check(1, r2[0].meta.receiveCount, r2[0].meta.nonce + 1), Queue::HandleState::Stale);
  EXPECT_TRUE(queue_.beginDelete(1));
  EXPECT_EQ(queue_.check(1, r2[0].meta.receiveCount, r2[0].meta.nonce), Queue::HandleState::Gone);
  EXPECT_TRUE(receive(10, 5000).empty());  // a message being deleted is not handed out
  queue_.finishDelete(1, false);           // the delete failed: it is back
  EXPECT_EQ(receive(10, 5000).size(), 1u);
  EXPECT_TRUE(queue_.beginDelete(1));
  queue_.finishDelete(1, true);
  EXPECT_FALSE(queue_.find(1));
}

TEST_F(QueueTest, RetentionDropsOldMessages) {
  QueueSettings s;
  s.messageRetentionPeriod = 60;
  queue_.setSettings(s, 0);
  queue_.add(message(1, 0, 0));
  queue_.add(message(2, 30000, 30000));
  auto r = receive(10, 60000);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].meta.sequence, 2);
  EXPECT_EQ(expired_, std::vector<int64_t>{1});
}

TEST_F(QueueTest, ChangeVisibilityMovesTheMessage) {
  queue_.add(message(1, 0, 0));
  ASSERT_EQ(receive(1, 0).size(), 1u);
  EXPECT_TRUE(queue_.changeVisibility(1, 10));
  EXPECT_TRUE(receive(1, 9).empty());
  EXPECT_EQ(receive(1, 10).size(), 1u);
}

TEST(MessageIds, TextRoundTrip) {
  auto id = parseMessageId("0e026337-05a8-4e0e-a279-73dcbf3f659c");
  ASSERT_TRUE(id);
  EXPECT_EQ(messageIdText(*id), "0e026337-05a8-4e0e-a279-73dcbf3f659c");
  EXPECT_FALSE(parseMessageId("not-an-id"));
  EXPECT_EQ(hexText(*parseHex16("5d41402abc4b2a76b9719d911017c592")), "5d41402abc4b2a76b9719d911017c592");
}

}  // namespace
}  // namespace overcast::sqs
