// Writer: the single thread that applies every write, in groups. It takes all queued writes
// (up to maxGroupSize), runs them in one BEGIN IMMEDIATE transaction, COMMITs once (one fsync
// with synchronous=FULL) and then calls every write's `done`. That is group commit: under load
// many requests share one fsync. If a write fails, the transaction is rolled back and the
// group run again with each write inside its own SAVEPOINT (ROLLBACK TO on error), so a
// failing write leaves its group-mates intact; a write may therefore run twice, and must not
// change anything outside the transaction it is given.
//
// Threads: submit() and stats() from any thread; never blocks on disk. `fn` and `done` run on
// the writer thread, so they must not call submit()-and-wait (deadlock) and should be quick.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "store/sqlite/connection.h"
#include "store/sqlite/wal_syncer.h"
#include "store/store.h"

namespace overcast::store::sqlite {

class Writer {
 public:
  // With a `syncer`, `connection` commits with synchronous=NORMAL and the answers wait for the
  // syncer's WAL sync instead of an fsync inside COMMIT (wal_syncer.h).
  Writer(std::unique_ptr<Connection> connection, size_t maxGroupSize, std::unique_ptr<WalSyncer> syncer = nullptr);
  ~Writer();  // stop()
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Queues a write. After stop() has begun, `done` is called at once (on the calling thread)
  // with an error. `inlineDone`: call `done` on the writer thread even with an executor set.
  void submit(Store::WriteFn fn, Store::DoneFn done, bool inlineDone = false);

  // See Store::setCompletionExecutor. Takes effect from the next group.
  void setCompletionExecutor(Store::CompletionExecutor executor);

  // Applies everything already queued, then ends the thread and closes the connection.
  // Idempotent.
  void stop();

  StoreStats stats() const;

 private:
  struct Pending {
    Store::WriteFn fn;
    Store::DoneFn done;
    bool inlineDone = false;
  };
  struct Completion {
    Store::DoneFn done;
    Result<void> result;
    bool inlineDone = false;
    // The write itself, kept so that it is destroyed where `done` runs: what a write captured
    // was mostly allocated by that thread, and memory freed by the thread that allocated it
    // stays in its malloc cache instead of wandering between threads' arenas.
    Store::WriteFn fn;
  };
  using Completions = std::vector<Completion>;
  // Calls each `done`: here, or (without inlineDone) in one batch through `executor`.
  static void release(Completions& batch, const Store::CompletionExecutor& executor);

  void run();
  void applyGroup(std::vector<Pending>& group, const Store::CompletionExecutor& executor);
  Result<void> control(std::string_view sql);  // BEGIN, COMMIT, savepoints: cached statements
  Result<void> runOne(Pending& p, ConnectionTxn& txn);  // in a savepoint of its own
  Result<void> runBare(Pending& p, ConnectionTxn& txn);
  enum class Outcome { Committed, Done, Replay };
  Outcome applyOptimistically(std::vector<Pending>& group, std::vector<Result<void>>& results);
  void applyWithSavepoints(std::vector<Pending>& group, std::vector<Result<void>>& results);

  std::unique_ptr<Connection> c_;  // used only by the writer thread (and destroyed after join)
  const size_t maxGroupSize_;
  std::unique_ptr<WalSyncer> syncer_;  // null: COMMIT syncs (synchronous=FULL)

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;  // GUARDED_BY(mu_)
  bool stopping_ = false;      // GUARDED_BY(mu_)
  Store::CompletionExecutor executor_;  // GUARDED_BY(mu_)
  std::mutex joinMu_;          // serializes stop()'s join

  std::atomic<uint64_t> commits_{0};
  std::atomic<uint64_t> writes_{0};
  std::atomic<uint64_t> commitMicros_{0};

  std::thread thread_;  // last: starts after every member above exists
};

}  // namespace overcast::store::sqlite
