#include "services/sqs/visibility_recorder.h"

#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "fakes/temp_dir.h"
#include "services/sqs/sqs_store.h"
#include "store/sqlite/sqlite_store.h"

namespace overcast::sqs {
namespace {

// Runs scheduled functions only when the test says so.
class ManualScheduler final : public Scheduler {
 public:
  void runAfter(std::chrono::milliseconds delay, std::function<void()> fn) override {
    delays.push_back(delay);
    due.push_back(std::move(fn));
  }
  void post(std::function<void()> fn) override { due.push_back(std::move(fn)); }
  void runDue() {
    auto todo = std::move(due);
    due.clear();
    for (auto& f : todo) f();
  }
  std::vector<std::function<void()>> due;
  std::vector<std::chrono::milliseconds> delays;
};

struct Stored {
  int64_t visibleAt, receiveCount, firstReceiveAt;
};

class VisibilityRecorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::SqliteOptions options;
    options.path = (dir_.path() / "db").string();
    auto db = store::openSqliteStore(options);
    ASSERT_TRUE(db);
    db_ = std::move(*db);
    ASSERT_TRUE(db_->writeSync([&](store::WriteTxn& txn) -> Result<void> {
      QueueRow row;
      row.identity = {0, "000000000000", "us-east-1", "q"};
      row.createdAt = row.modifiedAt = 1000;
      auto id = insertQueue(txn, row);
      if (!id) return id.error();
      queueId_ = *id;
      for (int64_t seq = 1; seq <= 3; ++seq) {
        StoredMessage m;
        m.meta.sequence = seq;
        m.meta.sentAt = m.meta.visibleAt = 1000;
        m.meta.body = std::make_shared<const std::string>("b");
        m.meta.bodyBytes = 1;
        m.meta.senderId = "000000000000";
        if (auto r = insertMessage(txn, queueId_, m); !r) return r;
      }
      return {};
    }));
  }

  std::optional<Stored> stored(int64_t seq) {
    std::optional<Stored> out;
    EXPECT_TRUE(db_->read([&](store::ReadTxn& txn) -> Result<void> {
      auto row = txn.queryOne(
          "SELECT visible_at, receive_count, first_receive_at FROM sqs_messages WHERE queue_id = ? AND seq = ?",
          {queueId_, seq});
      if (!row) return row.error();
      if (*row) out = Stored{(*row)->integer(0), (*row)->integer(1), (*row)->integer(2)};
      return {};
    }));
    return out;
  }

  void sync() {  // waits for everything submitted before it
    ASSERT_TRUE(db_->writeSync([](store::WriteTxn&) -> Result<void> { return {}; }));
  }

  static MessageMeta received(int64_t seq, Millis visibleAt, int32_t count) {
    MessageMeta m;
    m.sequence = seq;
    m.visibleAt = visibleAt;
    m.receiveCount = count;
    m.firstReceiveAt = 2000;
    return m;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> db_;
  int64_t queueId_ = 0;
  ManualScheduler scheduler_;
};

TEST_F(VisibilityRecorderTest, WritesAfterTheDelayInOneFlush) {
  VisibilityRecorder recorder(*db_, scheduler_, std::chrono::milliseconds(200));
  recorder.record(queueId_, received(1, 5000, 1));
  recorder.record(queueId_, received(2, 6000, 1));
  ASSERT_EQ(scheduler_.due.size(), 1u) << "one flush scheduled for both";
  EXPECT_EQ(scheduler_.delays.front(), std::chrono::milliseconds(200));
  sync();
  EXPECT_EQ(stored(1)->receiveCount, 0) << "nothing written before the flush";
  scheduler_.runDue();
  sync();
  EXPECT_EQ(stored(1)->visibleAt, 5000);
  EXPECT_EQ(stored(1)->receiveCount, 1);
  EXPECT_EQ(stored(1)->firstReceiveAt, 2000);
  EXPECT_EQ(stored(2)->visibleAt, 6000);
  EXPECT_EQ(recorder.pending(), 0u);
}

TEST_F(VisibilityRecorderTest, TheNewestStateWinsAndADeleteTakesItsRecordBack) {
  VisibilityRecorder recorder(*db_, scheduler_);
  recorder.record(queueId_, received(1, 5000, 1));
  recorder.record(queueId_, received(1, 9000, 2));  // received again (or its visibility changed)
  recorder.record(queueId_, received(2, 5000, 1));
  recorder.forget(queueId_, 2);  // deleted: its record is not needed
  EXPECT_EQ(recorder.pending(), 1u);
  scheduler_.runDue();
  sync();
  EXPECT_EQ(stored(1)->visibleAt, 9000);
  EXPECT_EQ(stored(1)->receiveCount, 2);
  EXPECT_EQ(stored(2)->receiveCount, 0);
}

TEST_F(VisibilityRecorderTest, FlushNowWritesEverythingAndTheNextRecordSchedulesAgain) {
  VisibilityRecorder recorder(*db_, scheduler_);
  recorder.record(queueId_, received(3, 7000, 4));
  recorder.flush();  // shutdown
  sync();
  EXPECT_EQ(stored(3)->receiveCount, 4);
  scheduler_.runDue();  // the scheduled flush finds nothing to do
  recorder.record(queueId_, received(3, 8000, 5));
  EXPECT_EQ(scheduler_.due.size(), 1u);
  scheduler_.runDue();
  sync();
  EXPECT_EQ(stored(3)->visibleAt, 8000);
}

}  // namespace
}  // namespace overcast::sqs
