#include "store/sqlite/writer.h"

#include <pthread.h>
#include <sched.h>

#include <chrono>
#include <exception>

#include <fmt/format.h>

namespace overcast::store::sqlite {

Writer::Writer(std::unique_ptr<Connection> connection, size_t maxGroupSize, std::unique_ptr<WalSyncer> syncer)
    : c_(std::move(connection)),
      maxGroupSize_(std::max<size_t>(maxGroupSize, 1)),
      syncer_(std::move(syncer)),
      thread_([this] { run(); }) {}

Writer::~Writer() { stop(); }

void Writer::submit(Store::WriteFn fn, Store::DoneFn done, bool inlineDone) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      queue_.push_back(Pending{std::move(fn), std::move(done), inlineDone});
      cv_.notify_one();
      return;
    }
  }
  if (done) done(Error(ErrorCode::InternalFailure, "store: closed"));
}

void Writer::setCompletionExecutor(Store::CompletionExecutor executor) {
  std::lock_guard lock(mu_);
  executor_ = std::move(executor);
}

void Writer::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    cv_.notify_one();
  }
  // Only one caller may join; later callers find the thread already joined. Joining under
  // a dedicated lock makes concurrent stop() calls safe.
  std::lock_guard lock(joinMu_);
  if (thread_.joinable()) thread_.join();
  if (syncer_) syncer_->stop();  // releases the last groups' answers
  c_.reset();
}

StoreStats Writer::stats() const {
  StoreStats s;
  s.commits = commits_.load(std::memory_order_relaxed);
  s.writes = writes_.load(std::memory_order_relaxed);
  s.commitMicrosTotal = commitMicros_.load(std::memory_order_relaxed);
  std::lock_guard lock(mu_);
  s.queueDepth = queue_.size();
  return s;
}

namespace {

// The writer is a group committer: it should run when the threads that feed it have nothing
// left to do, not preempt them on every submit(). SCHED_BATCH (an ordinary, unprivileged
// policy) turns off wakeup preemption for this thread only. Where the writer shares a core with
// the I/O threads, that roughly doubles the writes per commit and halves the context switches;
// with a core of its own it changes nothing. If the policy is refused the writer runs as is.
void preferThroughputScheduling() {
  sched_param param{};
  param.sched_priority = 0;
  (void)pthread_setschedparam(pthread_self(), SCHED_BATCH, &param);
}

}  // namespace

void Writer::run() {
  preferThroughputScheduling();
  std::vector<Pending> group;
  Store::CompletionExecutor executor;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued has been applied
      while (!queue_.empty() && group.size() < maxGroupSize_) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      executor = executor_;
    }
    applyGroup(group, executor);
    group.clear();
  }
}

// Through the statement cache: savepoints run twice per write and BEGIN/COMMIT once per
// group, and parsing them each time showed.
Result<void> Writer::control(std::string_view sql) {
  static const std::vector<SqlValue> kNoParams;
  if (auto r = c_->exec(sql, kNoParams); !r) return r.error();
  return {};
}

Result<void> Writer::runOne(Pending& p, ConnectionTxn& txn) {
  if (auto r = control("SAVEPOINT w"); !r) return r.error();
  Result<void> r;
  try {
    r = p.fn(txn);
  } catch (const std::exception& e) {
    // Exceptions must not cross the store; one from a caller's fn fails that write alone.
    r = Error(ErrorCode::InternalFailure, fmt::format("store: write threw: {}", e.what()));
  }
  if (r) {
    if (auto rel = control("RELEASE w"); !rel) r = rel.error();
  }
  if (!r) {
    (void)c_->execScript("ROLLBACK TO w");
    (void)c_->execScript("RELEASE w");
  }
  return r;
}

Result<void> Writer::runBare(Pending& p, ConnectionTxn& txn) {
  try {
    return p.fn(txn);
  } catch (const std::exception& e) {
    return Error(ErrorCode::InternalFailure, fmt::format("store: write threw: {}", e.what()));
  }
}

Writer::Outcome Writer::applyOptimistically(std::vector<Pending>& group, std::vector<Result<void>>& results) {
  if (!control("BEGIN IMMEDIATE")) return Outcome::Replay;
  ConnectionTxn txn(*c_);
  for (size_t i = 0; i < group.size(); ++i) {
    results[i] = runBare(group[i], txn);
    if (!results[i] || c_->autocommit()) {
      if (!c_->autocommit()) (void)c_->execScript("ROLLBACK");
      if (group.size() == 1 && !results[i]) return Outcome::Done;  // nothing else to spare
      return Outcome::Replay;
    }
  }
  if (auto committed = control("COMMIT"); !committed) {
    (void)c_->execScript("ROLLBACK");
    for (auto& r : results) r = committed;
    return Outcome::Done;
  }
  return Outcome::Committed;
}

void Writer::applyWithSavepoints(std::vector<Pending>& group, std::vector<Result<void>>& results) {
  Result<void> begun = control("BEGIN IMMEDIATE");
  ConnectionTxn txn(*c_);
  for (size_t i = 0; i < group.size(); ++i) {
    if (!begun) {
      results[i] = begun;
      continue;
    }
    results[i] = runOne(group[i], txn);
    if (c_->autocommit()) {
      // Some errors (disk full, I/O error) make SQLite roll back the whole transaction,
      // taking this write's group-mates with it: fail those too, and carry on in a new one.
      Error lost(ErrorCode::InternalFailure,
                 fmt::format("store: the group transaction was rolled back by SQLite{}",
                             results[i] ? "" : ": " + results[i].error().message()));
      for (size_t j = 0; j <= i; ++j) {
        if (results[j]) results[j] = lost;
      }
      begun = control("BEGIN IMMEDIATE");
    }
  }
  if (!begun) return;
  if (auto committed = control("COMMIT"); !committed) {
    (void)c_->execScript("ROLLBACK");
    for (auto& r : results) {
      if (r) r = committed;
    }
  }
}

void Writer::applyGroup(std::vector<Pending>& group, const Store::CompletionExecutor& executor) {
  const auto start = std::chrono::steady_clock::now();  // for the latency metric only
  std::vector<Result<void>> results(group.size());
  // Writes almost never fail, so the group first runs as one plain transaction; only if a
  // write fails is it run again with a savepoint per write, so that one fails alone.
  Outcome outcome = applyOptimistically(group, results);
  if (outcome == Outcome::Replay) {
    std::fill(results.begin(), results.end(), Result<void>{});
    applyWithSavepoints(group, results);
  }
  size_t ok = 0;
  for (const auto& r : results) ok += r ? 1 : 0;
  if (ok > 0) {
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
    commits_.fetch_add(1, std::memory_order_relaxed);
    writes_.fetch_add(ok, std::memory_order_relaxed);
    commitMicros_.fetch_add(static_cast<uint64_t>(micros), std::memory_order_relaxed);
  }
  auto batch = std::make_shared<Completions>();
  batch->reserve(group.size());
  for (size_t i = 0; i < group.size(); ++i)
    if (group[i].done)
      batch->push_back(
          Completion{std::move(group[i].done), std::move(results[i]), group[i].inlineDone, std::move(group[i].fn)});
  if (!syncer_) return release(*batch, executor);
  // The answers wait for the WAL sync that covers this commit (wal_syncer.h).
  syncer_->submit([batch, executor](Result<void> synced) {
    if (!synced)
      for (auto& c : *batch)
        if (c.result) c.result = synced.error();
    release(*batch, executor);
  });
}

void Writer::release(Completions& batch, const Store::CompletionExecutor& executor) {
  auto deferred = std::make_shared<Completions>();
  for (auto& c : batch) {
    if (executor && !c.inlineDone) {
      deferred->push_back(std::move(c));
      continue;
    }
    try {
      c.done(std::move(c.result));
    } catch (...) {
      // A throwing callback must not end the thread that runs it (and every later write).
    }
  }
  if (deferred->empty()) return;
  executor([deferred] {
    for (auto& c : *deferred) {
      try {
        c.done(std::move(c.result));
      } catch (...) {
        // One throwing callback must not cost its group-mates their answers.
      }
    }
  });
}

}  // namespace overcast::store::sqlite
