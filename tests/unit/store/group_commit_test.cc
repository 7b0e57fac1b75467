// Group commit under concurrency: many threads writing at once are all acknowledged, every
// acknowledged row is on disk after reopening, and they shared far fewer commits than writes.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <fmt/format.h>

#include "tests/unit/store/store_test_util.h"

namespace overcast::store {
namespace {

using testing::TempDir;

TEST(GroupCommit, ConcurrentWritersShareCommits) {
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 500;
  TempDir dir;
  {
    auto s = openTestStore(dir / "t.db");
    ASSERT_TRUE(s);
    std::atomic<int> acknowledged{0};
    std::atomic<int> failed{0};
    std::atomic<int> outstanding{0};
    std::mutex mu;
    std::condition_variable cv;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        // Asynchronous writes, as I/O threads issue them: each thread keeps many in flight.
        for (int i = 0; i < kWritesPerThread; ++i) {
          outstanding.fetch_add(1);
          std::string k = fmt::format("{}-{}", t, i);
          s->write([k](WriteTxn& txn) { return put(txn, k, k); },
                   [&](Result<void> r) {
                     (r ? acknowledged : failed).fetch_add(1);
                     std::lock_guard lock(mu);
                     if (outstanding.fetch_sub(1) == 1) cv.notify_all();
                   });
        }
      });
    }
    for (auto& th : threads) th.join();
    {
      std::unique_lock lock(mu);
      ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return outstanding.load() == 0; }));
    }
    EXPECT_EQ(acknowledged.load(), kThreads * kWritesPerThread);
    EXPECT_EQ(failed.load(), 0);
    StoreStats st = s->stats();
    EXPECT_EQ(st.writes, static_cast<uint64_t>(kThreads * kWritesPerThread));
    EXPECT_LT(st.commits * 5, st.writes) << "commits=" << st.commits;
    EXPECT_GT(st.commitMicrosTotal, 0u);
    EXPECT_EQ(st.queueDepth, 0u);
    s->close();
  }
  auto s = openTestStore(dir / "t.db");
  ASSERT_TRUE(s);
  EXPECT_EQ(count(*s), kThreads * kWritesPerThread);
  EXPECT_EQ(get(*s, "7-499"), "7-499");
}

TEST(GroupCommit, SynchronousWritersFromManyThreads) {
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 50;
  TempDir dir;
  auto s = openTestStore(dir / "t.db", 4);
  ASSERT_TRUE(s);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        std::string k = fmt::format("{}-{}", t, i);
        if (s->writeSync([k](WriteTxn& txn) { return put(txn, k, k); }).ok()) ok.fetch_add(1);
        // Reads interleave with the writes; each read sees a committed state.
        if (get(*s, k) == k) ok.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 2 * kThreads * kWritesPerThread);
  EXPECT_EQ(count(*s), kThreads * kWritesPerThread);
}

TEST(GroupCommit, CloseAppliesQueuedWritesFirst) {
  TempDir dir;
  std::atomic<int> acked{0};
  {
    auto s = openTestStore(dir / "t.db");
    ASSERT_TRUE(s);
    for (int i = 0; i < 300; ++i) {
      s->write([i](WriteTxn& t) { return put(t, std::to_string(i), "v"); },
               [&](Result<void> r) { if (r) acked.fetch_add(1); });
    }
    s->close();
  }
  EXPECT_EQ(acked.load(), 300);
  auto s = openTestStore(dir / "t.db");
  ASSERT_TRUE(s);
  EXPECT_EQ(count(*s), 300);
}

}  // namespace
}  // namespace overcast::store
