#include "jobs/worker_pool.h"

#include <algorithm>

#include <exception>
#include <optional>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "jobs/job_queue.h"

namespace overcast::jobs {

WorkerPool::WorkerPool(store::Store& store, Clock& clock, WorkerPoolOptions options)
    : store_(store), clock_(clock), options_(options) {}

WorkerPool::~WorkerPool() { stop(); }

void WorkerPool::registerHandler(std::string kind, Handler handler) {
  std::lock_guard lock(mu_);
  if (started_) {
    spdlog::error("jobs: handler for '{}' registered after start(); ignored", kind);
    return;
  }
  handlers_[std::move(kind)] = std::move(handler);
}

std::vector<std::string> WorkerPool::kinds() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [kind, handler] : handlers_) out.push_back(kind);
  return out;
}

Result<void> WorkerPool::start() {
  std::lock_guard join(joinMu_);
  {
    std::lock_guard lock(mu_);
    if (started_) return Error(ErrorCode::InternalFailure, "jobs: worker pool already started");
    started_ = true;
  }
  const std::vector<std::string> ks = kinds();
  const TimePoint now = clock_.now();
  int64_t requeued = 0;
  auto r = store_.writeSync([&](store::WriteTxn& txn) -> Result<void> {
    auto n = requeueRunningJobs(txn, ks, now);
    if (!n) return n.error();
    requeued = *n;
    return {};
  });
  if (!r) return r;
  if (requeued > 0) spdlog::info("jobs: resuming {} job(s) left running by a previous process", requeued);
  for (size_t i = 0; i < std::max<size_t>(options_.threads, 1); ++i) threads_.emplace_back([this] { run(); });
  return {};
}

void WorkerPool::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  std::lock_guard join(joinMu_);
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void WorkerPool::wake() {
  std::lock_guard lock(mu_);
  ++wakeGeneration_;
  cv_.notify_all();
}

Result<int64_t> WorkerPool::queueDepth() const {
  int64_t n = 0;
  auto r = store_.read([&](store::ReadTxn& txn) -> Result<void> {
    auto c = countUnfinishedJobs(txn);
    if (!c) return c.error();
    n = *c;
    return {};
  });
  if (!r) return r.error();
  return n;
}

WorkerPoolStats WorkerPool::stats() const {
  return WorkerPoolStats{claimed_.load(), done_.load(), retried_.load(), failed_.load()};
}

void WorkerPool::run() {
  const std::vector<std::string> ks = kinds();
  bool justClaimed = false;  // a backlog is likely: claim without looking first
  for (;;) {
    uint64_t seen = 0;
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      seen = wakeGeneration_;
    }
    // Look with a read first: idle polling then costs no write transaction.
    bool due = justClaimed;
    Result<void> looked;
    if (!due)
      looked = store_.read([&](store::ReadTxn& txn) -> Result<void> {
        auto d = hasDueJob(txn, ks, clock_.now(), options_.lease);
        if (!d) return d.error();
        due = *d;
        return {};
      });
    if (!looked) spdlog::warn("jobs: poll failed: {}", looked.error().message());
    std::vector<Job> batch;
    Result<void> claimed = looked;
    if (looked && due) claimed = store_.writeSync([&](store::WriteTxn& txn) -> Result<void> {
      batch.clear();
      for (size_t i = 0; i < std::max<size_t>(1, options_.batch); ++i) {
        auto j = claimJob(txn, ks, clock_.now(), options_.lease);
        if (!j) return j.error();
        if (!*j) break;
        batch.push_back(std::move(**j));
      }
      return {};
    });
    if (looked && !claimed) spdlog::warn("jobs: claim failed: {}", claimed.error().message());
    justClaimed = claimed && !batch.empty();
    if (justClaimed) {
      claimed_.fetch_add(batch.size(), std::memory_order_relaxed);
      runBatch(batch);
      continue;  // more may be due: look again before sleeping
    }
    // Nothing due (or the store failed): sleep until woken, stopped, or the poll interval.
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, options_.pollInterval, [&] { return stopping_ || wakeGeneration_ != seen; });
  }
}

void WorkerPool::runBatch(const std::vector<Job>& batch) {
  std::vector<JobOutcome> outcomes;
  outcomes.reserve(batch.size());
  for (const auto& job : batch) {
    Handler handler;
    {
      std::lock_guard lock(mu_);
      handler = handlers_.at(job.kind);  // claimJob only returns registered kinds
    }
    try {
      outcomes.push_back(handler(job));
    } catch (const std::exception& e) {
      outcomes.push_back(Retry{std::nullopt, fmt::format("handler threw: {}", e.what())});
    } catch (...) {
      outcomes.push_back(Retry{std::nullopt, "handler threw"});
    }
  }
  std::vector<JobState> ended;
  auto r = store_.writeSync([&](store::WriteTxn& txn) -> Result<void> {
    ended.clear();
    for (size_t i = 0; i < batch.size(); ++i) {
      const auto backoff = backoffDelay(batch[i].attempts, options_.retryBase, options_.retryCap);
      auto s = finishJob(txn, batch[i], outcomes[i], clock_.now(), backoff);
      if (!s) return s.error();
      ended.push_back(*s);
    }
    return {};
  });
  if (!r) {
    // The jobs stay running; the next start() requeues them (handlers are idempotent).
    spdlog::error("jobs: could not record the outcome of {} job(s) ({}...): {}", batch.size(), batch.front().kind,
                  r.error().message());
    return;
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    switch (ended[i]) {
      case JobState::Done: done_.fetch_add(1, std::memory_order_relaxed); break;
      case JobState::Pending: retried_.fetch_add(1, std::memory_order_relaxed); break;
      case JobState::Failed:
        failed_.fetch_add(1, std::memory_order_relaxed);
        spdlog::warn("jobs: job {} ({} {}) failed after {} attempt(s)", batch[i].id, batch[i].kind, batch[i].target,
                     batch[i].attempts);
        break;
      case JobState::Running: break;
    }
  }
}

}  // namespace overcast::jobs
