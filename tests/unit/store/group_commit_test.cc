// Group commit under concurrency: many threads writing at once are all acknowledged, every
// acknowledged row is on disk after reopening, and they shared far fewer commits than writes.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <future>
#include <mutex>
#include <vector>
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

namespace overcast::store {
namespace {

using testing::TempDir;

// A completion executor that only queues what it is given, so the test decides when (and on
// which thread) completions run.
struct QueuedExecutor {
  std::mutex mu;
  std::vector<std::function<void()>> batches;
  std::thread::id writerThread;

  Store::CompletionExecutor executor() {
    return [this](std::function<void()> batch) {
      std::lock_guard lock(mu);
      writerThread = std::this_thread::get_id();
      batches.push_back(std::move(batch));
    };
  }
  size_t size() {
    std::lock_guard lock(mu);
    return batches.size();
  }
  void runAll() {
    std::vector<std::function<void()>> todo;
    {
      std::lock_guard lock(mu);
      todo.swap(batches);
    }
    for (auto& b : todo) b();
  }
};

TEST(GroupCommit, CompletionsGoToTheExecutorOneBatchPerGroup) {
  TempDir dir;
  auto s = openTestStore(dir / "t.db");
  ASSERT_TRUE(s);
  QueuedExecutor ex;
  s->setCompletionExecutor(ex.executor());
  constexpr int kWrites = 200;
  std::atomic<int> done{0};
  std::vector<std::thread::id> doneThreads(kWrites);
  for (int i = 0; i < kWrites; ++i)
    s->write([i](WriteTxn& txn) { return put(txn, std::to_string(i), "v"); },
             [&, i](Result<void> r) {
               EXPECT_TRUE(r.ok());
               doneThreads[static_cast<size_t>(i)] = std::this_thread::get_id();
               done.fetch_add(1);
             });
  // Every write is committed, yet no completion ran: they wait in the executor.
  for (int tries = 0; tries < 500 && s->stats().writes < kWrites; ++tries)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(s->stats().writes, static_cast<uint64_t>(kWrites));
  EXPECT_EQ(done.load(), 0);
  EXPECT_EQ(ex.size(), s->stats().commits) << "one batch per group commit";
  EXPECT_EQ(get(*s, "199"), "v");

  ex.runAll();  // here, on the test's thread
  EXPECT_EQ(done.load(), kWrites);
  for (const auto& id : doneThreads) EXPECT_EQ(id, std::this_thread::get_id());
  EXPECT_NE(ex.writerThread, std::this_thread::get_id());
  s->close();
}

TEST(GroupCommit, WriteSyncCompletesOnTheWriterEvenWithAnExecutor) {
  TempDir dir;
  auto s = openTestStore(dir / "t.db");
  ASSERT_TRUE(s);
  QueuedExecutor ex;  // never run: a writeSync routed through it would wait forever
  s->setCompletionExecutor(ex.executor());
  auto r = s->writeSync([](WriteTxn& txn) { return put(txn, "k", "v"); });
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(get(*s, "k"), "v");
  EXPECT_EQ(ex.size(), 0u);

  s->setCompletionExecutor({});  // back to the writer thread
  std::promise<void> finished;
  s->write([](WriteTxn& txn) { return put(txn, "k2", "v"); }, [&](Result<void>) { finished.set_value(); });
  EXPECT_EQ(finished.get_future().wait_for(std::chrono::seconds(30)), std::future_status::ready);
  s->close();
}

}  // namespace
}  // namespace overcast::store
