// The jobs table's operations, as functions over a caller's transaction. enqueueJob() runs in
// the caller's write so that a resource and the job that works on it commit atomically; the
// rest are used by WorkerPool (and by tools and tests).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "jobs/job.h"
#include "store/store.h"

namespace overcast::jobs {

// Inserts a pending job due at spec.now + spec.delay; returns its id. Call wake() on the
// WorkerPool after the write is durable so it runs without waiting for the next poll.
Result<int64_t> enqueueJob(store::WriteTxn& txn, const JobSpec& spec);

// Moves the oldest due pending job of one of `kinds` to running (attempts + 1) and returns it,
// or nullopt if none is due. With a non-zero `lease`, a running job whose lease has expired
// (its worker presumably died on another node) is claimed again too.
Result<std::optional<Job>> claimJob(store::WriteTxn& txn, const std::vector<std::string>& kinds, TimePoint now,
                                    std::chrono::milliseconds lease);

// Whether claimJob() would find a job now: a cheap read that lets idle workers poll without
// queueing a write transaction each time.
Result<bool> hasDueJob(store::ReadTxn& txn, const std::vector<std::string>& kinds, TimePoint now,
                       std::chrono::milliseconds lease);

// Records a handler's outcome for a running job. A Retry whose attempt was the last one
// becomes failed; otherwise the job is pending again at now + (retry.delay or `backoff`).
// Returns the state the job ended in.
Result<JobState> finishJob(store::WriteTxn& txn, const Job& job, const JobOutcome& outcome, TimePoint now,
                           std::chrono::milliseconds backoff);

// Puts every running job of `kinds` back to pending, due now: run at start, when any job
// still marked running was left by a process that died. Returns how many.
Result<int64_t> requeueRunningJobs(store::WriteTxn& txn, const std::vector<std::string>& kinds, TimePoint now);

// Jobs pending or running (for metrics).
Result<int64_t> countUnfinishedJobs(store::ReadTxn& txn);

Result<std::optional<JobRecord>> loadJob(store::ReadTxn& txn, int64_t id);

// The default retry delay after `attempts` failed attempts: base * 2^(attempts-1), capped at
// `cap`. Deterministic (no jitter) so tests can predict next_run_at from the clock.
std::chrono::milliseconds backoffDelay(int64_t attempts, std::chrono::milliseconds base,
                                       std::chrono::milliseconds cap);

// Milliseconds since the Unix epoch, the unit of every time column.
int64_t toMillis(TimePoint t);
TimePoint fromMillis(int64_t ms);

}  // namespace overcast::jobs
