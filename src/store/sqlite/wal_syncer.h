// WalSyncer: makes committed WAL frames durable off the writer thread.
//
// The writer connection commits with synchronous=NORMAL, so COMMIT writes the transaction's
// frames to the WAL file without waiting for the disk, and hands the group's completions here.
// This thread fdatasyncs the WAL and then releases every group handed over before that sync
// began: nothing is acknowledged before its frames are on stable storage. While one sync runs,
// the writer goes on committing the next groups, and the next sync covers all of them, so the
// fsync is off the writer's critical path.
//
// Why this is as safe as synchronous=FULL: SQLite's WAL with synchronous=NORMAL never corrupts
// on a crash (it syncs the WAL before checkpoints and the database after them, and the WAL
// header when it restarts the log); it may only lose the newest commits. Those are exactly the
// ones not yet released here. The WAL's directory entry is synced once when the file is first
// opened. A reader may see a committed transaction a moment before it is durable; every
// answer to a client still waits for the sync.
//
// Threads: submit() from the writer thread, stop() from any; releases run on this thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"

namespace overcast::store::sqlite {

class WalSyncer {
 public:
  // Called with the outcome of the sync that covered the group (an error fails its writes).
  using Release = std::function<void(Result<void> synced)>;

  // `walPath`: the database path + "-wal". `sync` false: release without syncing (benchmarks
  // that ask for synchronous=NORMAL).
  WalSyncer(std::string walPath, bool sync);
  ~WalSyncer();  // stop()
  WalSyncer(const WalSyncer&) = delete;
  WalSyncer& operator=(const WalSyncer&) = delete;

  void submit(Release release);
  // Syncs and releases everything submitted, then ends the thread. Idempotent.
  void stop();

 private:
  void run();
  Result<void> syncWal();  // on this thread only

  const std::string walPath_;
  const bool sync_;
  int fd_ = -1;  // the WAL, opened on first use; this thread only

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Release> pending_;  // GUARDED_BY(mu_)
  bool stopping_ = false;         // GUARDED_BY(mu_)
  std::mutex joinMu_;
  std::thread thread_;
};

}  // namespace overcast::store::sqlite
