// WorkerPool: the threads that run jobs (job.h). Each thread loops: claim the oldest due job
// of a registered kind (a write transaction), run its handler, record the outcome (another
// write transaction). When nothing is due it waits for wake() or the poll interval.
//
// Time: every decision (what is due, next_run_at, backoff) comes from the injected Clock; the
// poll interval is only how often a thread looks again, with a real timeout. A test with a
// FakeClock advances the clock and calls wake().
//
// Threads: the pool's threads are the only place in overcast where blocking work belongs;
// handlers may be slow (copy a volume, boot an instance). All methods are thread-safe.
// Handlers run concurrently, on any pool thread, and MUST be idempotent (see job.h).
//
// One pool per (store, kind): start() requeues every running job of its kinds, assuming
// nobody else is running them.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "jobs/job.h"
#include "store/store.h"

namespace overcast::jobs {

struct WorkerPoolOptions {
  size_t threads = 4;
  std::chrono::milliseconds pollInterval{1000};
  // A running job whose lease expired is claimed again (for several nodes sharing a store).
  // 0 (the default, single node) disables leases: running jobs are requeued only at start().
  std::chrono::milliseconds lease{0};
  std::chrono::milliseconds retryBase{1000};   // first retry delay
  std::chrono::milliseconds retryCap{300000};  // longest retry delay
  // Jobs a thread claims in one write and finishes in one write, run one after the other: for
  // short jobs whose two bookkeeping writes would otherwise cost more than the work. 1 suits
  // jobs that may block for long (a slow one holds up the rest of its batch).
  size_t batch = 1;
};

struct WorkerPoolStats {
  uint64_t claimed = 0;
  uint64_t done = 0;
  uint64_t retried = 0;
  uint64_t failed = 0;
};

class WorkerPool {
 public:
  using Handler = std::function<JobOutcome(const Job&)>;

  WorkerPool(store::Store& store, Clock& clock, WorkerPoolOptions options = {});
  ~WorkerPool();  // stop()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // REQUIRES: before start(). Jobs of kinds with no handler are left alone (another pool, or
  // a later version, may run them). A handler that throws counts as Retry with the message.
  void registerHandler(std::string kind, Handler handler);

  // Requeues running jobs of the registered kinds (left by a process that died), then starts
  // the threads. Blocks on one store write. Fails if that write fails or if already started.
  Result<void> start();

  // Asks the threads to stop and waits for running handlers to finish. Idempotent.
  void stop();

  // Makes idle threads look for due jobs now (call after enqueueing or advancing a clock).
  void wake();

  // Jobs pending or running in the store, every kind (for metrics). Reads the store.
  Result<int64_t> queueDepth() const;

  WorkerPoolStats stats() const;

 private:
  void run();
  std::vector<std::string> kinds() const;
  void runBatch(const std::vector<Job>& batch);

  store::Store& store_;
  Clock& clock_;
  const WorkerPoolOptions options_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Handler> handlers_;  // GUARDED_BY(mu_); fixed after start()
  uint64_t wakeGeneration_ = 0;              // GUARDED_BY(mu_)
  bool started_ = false;                     // GUARDED_BY(mu_)
  bool stopping_ = false;                    // GUARDED_BY(mu_)

  std::mutex joinMu_;                  // serializes stop()'s joins
  std::vector<std::thread> threads_;   // GUARDED_BY(joinMu_) after start()

  std::atomic<uint64_t> claimed_{0};
  std::atomic<uint64_t> done_{0};
  std::atomic<uint64_t> retried_{0};
  std::atomic<uint64_t> failed_{0};
};

}  // namespace overcast::jobs
