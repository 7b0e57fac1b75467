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
  std::vector<Received> receive(int max, Millis now, Millis visibilityMs = 30000,
                                std::optional<int64_t> maxReceiveCount = std::nullopt) {
    auto out = queue_.receive(max, now, visibilityMs, [this] { return ++nonce_; }, maxReceiveCount);
    expired_.insert(expired_.end(), out.expired.begin(), out.expired.end());
    deadLetters_.insert(deadLetters_.end(), out.deadLetters.begin(), out.deadLetters.end());
    return out.received;
  }
  Queue queue_;
  uint64_t nonce_ = 0;
  std::vector<int64_t> expired_;
  std::vector<MessageMeta> deadLetters_;
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

TEST_F(QueueTest, MaxReceiveCountSendsToTheDeadLetterQueue) {
  queue_.add(message(1, 0, 0));
  ASSERT_EQ(receive(1, 0, 0, 2).size(), 1u);
  ASSERT_EQ(receive(1, 0, 0, 2).size(), 1u);
  EXPECT_TRUE(receive(1, 0, 0, 2).empty());  // a third receive: it goes to the DLQ instead
  ASSERT_EQ(deadLetters_.size(), 1u);
  EXPECT_EQ(deadLetters_[0].sequence, 1);
  EXPECT_EQ(deadLetters_[0].receiveCount, 2);
  EXPECT_EQ(queue_.check(1, 2, deadLetters_[0].nonce), Queue::HandleState::Gone);
}

TEST(FifoQueue, GroupsAreHeldWhileInFlightAndOrdered) {
  QueueSettings s;
  s.fifoQueue = true;
  Queue q({1, "000000000000", "us-east-1", "q.fifo"}, s, {}, 0, 0);
  auto add = [&](int64_t seq, std::string group) {
    MessageMeta m = message(seq, 0, 0);
    m.groupId = std::move(group);
    q.add(std::move(m));
  };
  add(1, "a");
  add(2, "b");
  add(3, "a");
  add(4, "b");
  uint64_t n = 0;
  auto nonce = [&] { return ++n; };
  auto first = q.receive(1, 0, 1000, nonce).received;  // a1
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].meta.sequence, 1);
  auto second = q.receive(10, 0, 1000, nonce).received;  // group a is held: b2, b4
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0].meta.sequence, 2);
  EXPECT_EQ(second[1].meta.sequence, 4);
  EXPECT_TRUE(q.receive(10, 500, 1000, nonce).received.empty());
  ASSERT_TRUE(q.beginDelete(1));
  q.finishDelete(1, true);
  auto third = q.receive(10, 500, 1000, nonce).received;  // a3 now; b still in flight
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0].meta.sequence, 3);
}

TEST(FifoQueue, DeduplicationWindowIsFiveMinutes) {
  Queue q({1, "000000000000", "us-east-1", "q.fifo"}, QueueSettings{}, {}, 0, 0);
  Bytes16 a{}, b{};
  a[0] = 1;
  b[0] = 2;
  EXPECT_FALSE(q.claimDeduplication("k", 0, a, 1));
  auto dup = q.claimDeduplication("k", 299999, b, 2);
  ASSERT_TRUE(dup);
  EXPECT_EQ(dup->first, a);
  EXPECT_EQ(dup->second, 1);
  EXPECT_FALSE(q.claimDeduplication("k", 300000, b, 3));  // window over: a new message
  q.releaseDeduplication("k", 3);
  EXPECT_FALSE(q.claimDeduplication("k", 300001, b, 4));
}

TEST(MessageIds, TextRoundTrip) {
  auto id = parseMessageId("0e026337-05a8-4e0e-a279-73dcbf3f659c");
  ASSERT_TRUE(id);
  EXPECT_EQ(messageIdText(*id), "0e026337-05a8-4e0e-a279-73dcbf3f659c");
  EXPECT_FALSE(parseMessageId("not-an-id"));
  EXPECT_FALSE(parseMessageId("0e026337-05a8-4e0e-a279-73dcbf3f659c00"));  // too long
  EXPECT_FALSE(parseMessageId("0e026337-05a8-4e0e-a279-73dcbf3f659"));    // too short
  EXPECT_EQ(hexText(*parseHex16("5d41402abc4b2a76b9719d911017c592")), "5d41402abc4b2a76b9719d911017c592");
}

}  // namespace
}  // namespace overcast::sqs
