#include "jobs/worker_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>

#include "tests/unit/jobs/jobs_test_util.h"

namespace overcast::jobs {
namespace {

using namespace std::chrono_literals;
using testing::FakeClock;
using testing::TempDir;

WorkerPoolOptions fastOptions(size_t threads = 2) {
  WorkerPoolOptions o;
  o.threads = threads;
  o.pollInterval = 20ms;  // real time, only how often idle threads look again
  o.retryBase = 10s;      // fake time from here on
  o.retryCap = 15s;
  return o;
}

TEST(WorkerPool, RunsAnEnqueuedJobToDone) {
  TempDir dir;
  FakeClock clock;
  auto s = openStore(dir);
  ASSERT_TRUE(s);
  WorkerPool pool(*s, clock, fastOptions());
  std::atomic<int> runs{0};
  std::mutex mu;
  std::string seenPayload;  // GUARDED_BY(mu)
  pool.registerHandler("copy", [&](const Job& j) -> JobOutcome {
    std::lock_guard lock(mu);
    seenPayload = j.payload;
    runs.fetch_add(1);
    return Done{};
  });
  ASSERT_TRUE(pool.start().ok());
  EXPECT_FALSE(pool.start().ok());  // once
  const int64_t id = enqueue(*s, {"copy", "snap-1", "p", 3, clock.now(), 0ms});
  pool.wake();
  ASSERT_TRUE(eventually([&] { return load(*s, id).state == JobState::Done; }));
  EXPECT_EQ(runs.load(), 1);
  {
    std::lock_guard lock(mu);
    EXPECT_EQ(seenPayload, "p");
  }
  EXPECT_EQ(load(*s, id).job.attempts, 1);
  auto depth = pool.queueDepth();
  ASSERT_TRUE(depth.ok());
  EXPECT_EQ(*depth, 0);
  pool.stop();
  pool.stop();  // idempotent
  EXPECT_EQ(pool.stats().done, 1u);
}

TEST(WorkerPool, RetriesWithBackoffOnTheClockThenFails) {
  TempDir dir;
  FakeClock clock;
  auto s = openStore(dir);
  ASSERT_TRUE(s);
  WorkerPool pool(*s, clock, fastOptions());
  std::atomic<int> runs{0};
  pool.registerHandler("flaky", [&](const Job&) -> JobOutcome {
    runs.fetch_add(1);
    return Retry{std::nullopt, "target busy"};
  });
  const TimePoint t0 = clock.now();
  const int64_t id = enqueue(*s, {"flaky", "i-1", "", 3, t0, 0ms});
  ASSERT_TRUE(pool.start().ok());

  // Attempt 1 at t0 -> due again at t0 + 10 s (base).
  ASSERT_TRUE(eventually([&] { return load(*s, id).job.attempts == 1 && load(*s, id).state == JobState::Pending; }));
  JobRecord rec = load(*s, id);
  EXPECT_EQ(rec.nextRunAt, t0 + 10s);
  EXPECT_EQ(rec.lastError, "target busy");

  // Not due a millisecond early, however often the pool looks.
  clock.advance(10s - 1ms);
  pool.wake();
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(runs.load(), 1);

  // Attempt 2 at t0 + 10 s -> due at + 15 s (20 s capped at 15 s).
  clock.advance(1ms);
  pool.wake();
  ASSERT_TRUE(eventually([&] { return load(*s, id).job.attempts == 2 && load(*s, id).state == JobState::Pending; }));
  EXPECT_EQ(load(*s, id).nextRunAt, t0 + 25s);

  // Attempt 3 is the last (max_attempts = 3): failed.
  clock.advance(15s);
  pool.wake();
  ASSERT_TRUE(eventually([&] { return load(*s, id).state == JobState::Failed; }));
  rec = load(*s, id);
  EXPECT_EQ(rec.job.attempts, 3);
  EXPECT_EQ(runs.load(), 3);
  ASSERT_TRUE(rec.lastError.has_value());
  EXPECT_NE(rec.lastError->find("target busy"), std::string::npos);
  pool.stop();
  EXPECT_EQ(pool.stats().retried, 2u);
  EXPECT_EQ(pool.stats().failed, 1u);
}

TEST(WorkerPool, ExplicitRetryDelayAndFailAndThrow) {
  TempDir dir;
  FakeClock clock;
  auto s = openStore(dir);
  ASSERT_TRUE(s);
  WorkerPool pool(*s, clock, fastOptions());
  pool.registerHandler("later", [](const Job&) -> JobOutcome { return Retry{42ms, "soon"}; });
  pool.registerHandler("bad", [](const Job&) -> JobOutcome { return Fail{"no such image"}; });
  pool.registerHandler("throws", [](const Job&) -> JobOutcome { throw std::runtime_error("kaboom"); });
  const int64_t later = enqueue(*s, {"later", "", "", 5, clock.now(), 0ms});
  const int64_t bad = enqueue(*s, {"bad", "", "", 5, clock.now(), 0ms});
  const int64_t throws = enqueue(*s, {"throws", "", "", 5, clock.now(), 0ms});
  ASSERT_TRUE(pool.start().ok());
  ASSERT_TRUE(eventually([&] { return load(*s, bad).state == JobState::Failed; }));
  EXPECT_EQ(load(*s, bad).lastError, "no such image");
  EXPECT_EQ(load(*s, bad).job.attempts, 1);  // Fail does not retry
  ASSERT_TRUE(eventually([&] { return load(*s, later).job.attempts == 1 && load(*s, later).state == JobState::Pending; }));
  EXPECT_EQ(load(*s, later).nextRunAt, clock.now() + 42ms);
  ASSERT_TRUE(eventually([&] { return load(*s, throws).job.attempts == 1 && load(*s, throws).state == JobState::Pending; }));
  EXPECT_NE(load(*s, throws).lastError->find("kaboom"), std::string::npos);
}

TEST(WorkerPool, BatchesClaimAndFinishSeveralJobsWithEachOutcomeKept) {
  TempDir dir;
  FakeClock clock;
  auto s = openStore(dir);
  ASSERT_TRUE(s);
  auto options = fastOptions(1);
  options.batch = 4;
  WorkerPool pool(*s, clock, options);
  std::atomic<int> runs{0};
  pool.registerHandler("ok", [&](const Job&) -> JobOutcome {
    runs.fetch_add(1);
    return Done{};
  });
  pool.registerHandler("bad", [](const Job&) -> JobOutcome { return Fail{"broken"}; });
  std::vector<int64_t> ids;
  for (int i = 0; i < 9; ++i) ids.push_back(enqueue(*s, {"ok", "", "", 3, clock.now(), 0ms}));
  const int64_t bad = enqueue(*s, {"bad", "", "", 3, clock.now(), 0ms});
  ASSERT_TRUE(pool.start().ok());
  ASSERT_TRUE(eventually([&] { return load(*s, bad).state == JobState::Failed; }));
  ASSERT_TRUE(eventually([&] {
    return std::all_of(ids.begin(), ids.end(), [&](int64_t id) { return load(*s, id).state == JobState::Done; });
  }));
  EXPECT_EQ(runs.load(), 9);  // each once
  EXPECT_EQ(load(*s, bad).lastError, "broken");
  pool.stop();
  EXPECT_EQ(pool.stats().claimed, 10u);
  EXPECT_EQ(pool.stats().done, 9u);
  EXPECT_EQ(pool.stats().failed, 1u);
}

TEST(WorkerPool, JobLeftRunningIsResumedAfterRestart) {
  TempDir dir;
  FakeClock clock;
  int64_t id = 0;
  {
    auto s = openStore(dir);
    ASSERT_TRUE(s);
    id = enqueue(*s, {"boot", "i-1", "", 5, clock.now(), 0ms});
    // A process claimed it and died before recording the outcome.
    ASSERT_TRUE(s->writeSync([&](store::WriteTxn& t) -> Result<void> {
                   auto j = claimJob(t, {"boot"}, clock.now(), 0ms);
                   if (!j) return j.error();
                   EXPECT_TRUE(j->has_value());
                   return {};
                 }).ok());
    ASSERT_EQ(load(*s, id).state, JobState::Running);
  }
  auto s = openStore(dir);
  ASSERT_TRUE(s);
  // A pool that does not start leaves it alone.
  { WorkerPool idle(*s, clock, fastOptions()); }
  EXPECT_EQ(load(*s, id).state, JobState::Running);

  WorkerPool pool(*s, clock, fastOptions());
  std::atomic<int> runs{0};
  pool.registerHandler("boot", [&](const Job& j) -> JobOutcome {
    EXPECT_EQ(j.attempts, 2);  // the crashed run counted
    runs.fetch_add(1);
    return Done{};
  });
  ASSERT_TRUE(pool.start().ok());
  ASSERT_TRUE(eventually([&] { return load(*s, id).state == JobState::Done; }));
  EXPECT_EQ(runs.load(), 1);
}

TEST(WorkerPool, HandlersRunConcurrentlyOnAllThreads) {
  constexpr int kThreads = 4;
  TempDir dir;
  FakeClock clock;
  auto s = openStore(dir);
  ASSERT_TRUE(s);
  WorkerPool pool(*s, clock, fastOptions(kThreads));
  std::mutex mu;
  std::condition_variable cv;
  int inside = 0;
  bool allMet = false;
  pool.registerHandler("meet", [&](const Job&) -> JobOutcome {
    // Every handler waits until all kThreads are inside at once: only true concurrency passes.
    std::unique_lock lock(mu);
    if (++inside == kThreads) {
      allMet = true;
      cv.notify_all();
    }
    bool met = cv.wait_for(lock, 20s, [&] { return allMet; });
    return met ? JobOutcome{Done{}} : JobOutcome{Fail{"threads did not meet"}};
  });
  std::vector<int64_t> ids;
  for (int i = 0; i < kThreads; ++i) ids.push_back(enqueue(*s, {"meet", "", "", 1, clock.now(), 0ms}));
  ASSERT_TRUE(pool.start().ok());
  for (int64_t id : ids) ASSERT_TRUE(eventually([&] { return load(*s, id).state != JobState::Pending && load(*s, id).state != JobState::Running; }));
  for (int64_t id : ids) EXPECT_EQ(load(*s, id).state, JobState::Done);
}

TEST(WorkerPool, EverySucceedingJobRunsExactlyOnce) {
  constexpr int kJobs = 300;
  TempDir dir;
  FakeClock clock;
  auto s = openStore(dir);
  ASSERT_TRUE(s);
  WorkerPool pool(*s, clock, fastOptions(4));
  std::vector<std::atomic<int>> runs(kJobs + 1);
  pool.registerHandler("count", [&](const Job& j) -> JobOutcome {
    runs.at(static_cast<size_t>(std::stoi(j.payload))).fetch_add(1);
    return Done{};
  });
  ASSERT_TRUE(pool.start().ok());
  // Enqueue while the pool runs, from two threads, waking it each time.
  std::vector<std::thread> producers;
  for (int p = 0; p < 2; ++p) {
    producers.emplace_back([&, p] {
      for (int i = p; i < kJobs; i += 2) {
        enqueue(*s, {"count", "", std::to_string(i), 3, clock.now(), 0ms});
        pool.wake();
      }
    });
  }
  for (auto& t : producers) t.join();
  ASSERT_TRUE(eventually([&] { return pool.stats().done == static_cast<uint64_t>(kJobs); }));
  pool.stop();
  for (int i = 0; i < kJobs; ++i) EXPECT_EQ(runs[static_cast<size_t>(i)].load(), 1) << "job " << i;
  EXPECT_EQ(pool.stats().claimed, static_cast<uint64_t>(kJobs));
  auto depth = pool.queueDepth();
  ASSERT_TRUE(depth.ok());
  EXPECT_EQ(*depth, 0);
}

TEST(WorkerPool, StopWaitsForRunningHandlers) {
  TempDir dir;
  FakeClock clock;
  auto s = openStore(dir);
  ASSERT_TRUE(s);
  std::atomic<bool> entered{false};
  std::atomic<bool> finished{false};
  int64_t id = enqueue(*s, {"slow", "", "", 1, clock.now(), 0ms});
  {
    WorkerPool pool(*s, clock, fastOptions(1));
    pool.registerHandler("slow", [&](const Job&) -> JobOutcome {
      entered = true;
      std::this_thread::sleep_for(200ms);
      finished = true;
      return Done{};
    });
    ASSERT_TRUE(pool.start().ok());
    ASSERT_TRUE(eventually([&] { return entered.load(); }));
    pool.stop();
    EXPECT_TRUE(finished.load());
  }
  EXPECT_EQ(load(*s, id).state, JobState::Done);
}

}  // namespace
}  // namespace overcast::jobs
