#include "jobs/job_queue.h"

#include <fmt/format.h>

namespace overcast::jobs {
namespace {

using store::SqlValue;

Result<JobState> parseState(std::string_view s) {
  if (s == "pending") return JobState::Pending;
  if (s == "running") return JobState::Running;
  if (s == "done") return JobState::Done;
  if (s == "failed") return JobState::Failed;
  return Error(ErrorCode::InternalFailure, fmt::format("jobs: unknown state '{}'", s));
}

// "?, ?, ?" for n kinds, appended to `params`.
std::string kindList(const std::vector<std::string>& kinds, std::vector<SqlValue>& params) {
  std::string out;
  for (const auto& k : kinds) {
    out += out.empty() ? "?" : ", ?";
    params.emplace_back(k);
  }
  return out;
}

}  // namespace

std::string_view toString(JobState s) {
  switch (s) {
    case JobState::Pending: return "pending";
    case JobState::Running: return "running";
    case JobState::Done: return "done";
    case JobState::Failed: return "failed";
  }
  return "unknown";
}

int64_t toMillis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint fromMillis(int64_t ms) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(ms)));
}

std::chrono::milliseconds backoffDelay(int64_t attempts, std::chrono::milliseconds base,
                                       std::chrono::milliseconds cap) {
  std::chrono::milliseconds d = base;
  for (int64_t i = 1; i < attempts && d < cap; ++i) d *= 2;
  return std::min(d, cap);
}

Result<int64_t> enqueueJob(store::WriteTxn& txn, const JobSpec& spec) {
  if (spec.kind.empty()) return Error(ErrorCode::InternalFailure, "jobs: a job needs a kind");
  const int64_t now = toMillis(spec.now);
  auto r = txn.exec(
      "INSERT INTO jobs (kind, target, payload, state, attempts, max_attempts, next_run_at, created_at, updated_at) "
      "VALUES (?, ?, ?, 'pending', 0, ?, ?, ?, ?)",
      {spec.kind, spec.target, spec.payload, std::max<int64_t>(spec.maxAttempts, 1), now + spec.delay.count(), now,
       now});
  if (!r) return r.error();
  auto id = txn.queryOne("SELECT last_insert_rowid()");
  if (!id) return id.error();
  return (*id)->integer(0);
}

namespace {

// The WHERE clause shared by hasDueJob and claimJob for jobs in `state` ('pending', or
// 'running' whose lease has expired); appends its parameters. One state per query: with an OR
// of the two, SQLite reads and sorts every due row to find the oldest (a backlog of n jobs then
// costs O(n) per claim), where a single state walks the jobs_due index (state, next_run_at) in
// order and stops at the first row of a wanted kind.
std::string dueCondition(std::string_view state, const std::vector<std::string>& kinds, TimePoint now,
                         std::vector<SqlValue>& params) {
  params.emplace_back(std::string(state));
  params.emplace_back(toMillis(now));
  std::string in = kindList(kinds, params);
  return "state = ? AND next_run_at <= ? AND kind IN (" + in + ")";
}

// The states a claim may take a job from: pending, then (with leases) running past its lease.
std::vector<std::string_view> claimableStates(std::chrono::milliseconds lease) {
  if (lease.count() > 0) return {"pending", "running"};
  return {"pending"};
}

}  // namespace

Result<bool> hasDueJob(store::ReadTxn& txn, const std::vector<std::string>& kinds, TimePoint now,
                       std::chrono::milliseconds lease) {
  if (kinds.empty()) return false;
  for (std::string_view state : claimableStates(lease)) {
    std::vector<SqlValue> params;
    std::string where = dueCondition(state, kinds, now, params);
    auto row = txn.queryOne("SELECT 1 FROM jobs WHERE " + where + " LIMIT 1", params);
    if (!row) return row.error();
    if (row->has_value()) return true;
  }
  return false;
}

Result<std::optional<Job>> claimJob(store::WriteTxn& txn, const std::vector<std::string>& kinds, TimePoint now,
                                    std::chrono::milliseconds lease) {
  if (kinds.empty()) return std::optional<Job>{};
  const int64_t nowMs = toMillis(now);
  std::optional<store::Row> found;
  for (std::string_view state : claimableStates(lease)) {
    std::vector<SqlValue> params;
    std::string where = dueCondition(state, kinds, now, params);
    // Oldest due first; ties by id so the order is the enqueue order.
    auto row = txn.queryOne(
        "SELECT id, kind, target, payload, attempts, max_attempts, created_at FROM jobs WHERE " + where +
            " ORDER BY next_run_at, id LIMIT 1",
        params);
    if (!row) return row.error();
    if (*row) {
      found = std::move(**row);
      break;
    }
  }
  if (!found) return std::optional<Job>{};
  const store::Row& r = *found;
  Job job{r.integer(0), r.text(1), r.text(2), r.text(3), r.integer(4) + 1, r.integer(5), fromMillis(r.integer(6))};
  // While running, next_run_at is the lease deadline (only read when leases are on).
  auto upd = txn.exec("UPDATE jobs SET state = 'running', attempts = ?, next_run_at = ?, updated_at = ? WHERE id = ?",
                      {job.attempts, nowMs + lease.count(), nowMs, job.id});
  if (!upd) return upd.error();
  return std::optional<Job>{std::move(job)};
}

Result<JobState> finishJob(store::WriteTxn& txn, const Job& job, const JobOutcome& outcome, TimePoint now,
                           std::chrono::milliseconds backoff) {
  const int64_t nowMs = toMillis(now);
  JobState state = JobState::Done;
  int64_t nextRunAt = nowMs;
  SqlValue lastError;  // NULL
  if (const auto* retry = std::get_if<Retry>(&outcome)) {
    lastError = retry->message;
    if (job.attempts >= job.maxAttempts) {
      state = JobState::Failed;
      lastError = fmt::format("{} (gave up after {} attempts)", retry->message, job.attempts);
    } else {
      state = JobState::Pending;
      nextRunAt = nowMs + retry->delay.value_or(backoff).count();
    }
  } else if (const auto* fail = std::get_if<Fail>(&outcome)) {
    state = JobState::Failed;
    lastError = fail->message;
  }
  auto r = txn.exec(
      "UPDATE jobs SET state = ?, next_run_at = ?, last_error = ?, updated_at = ? WHERE id = ? AND state = 'running'",
      {std::string(toString(state)), nextRunAt, lastError, nowMs, job.id});
  if (!r) return r.error();
  if (*r != 1) {
    return Error(ErrorCode::InternalFailure, fmt::format("jobs: job {} was not running when it finished", job.id));
  }
  return state;
}

Result<int64_t> requeueRunningJobs(store::WriteTxn& txn, const std::vector<std::string>& kinds, TimePoint now) {
  if (kinds.empty()) return int64_t{0};
  std::vector<SqlValue> params;
  params.emplace_back(toMillis(now));
  params.emplace_back(toMillis(now));
  std::string in = kindList(kinds, params);
  return txn.exec("UPDATE jobs SET state = 'pending', next_run_at = ?, updated_at = ? "
                  "WHERE state = 'running' AND kind IN (" + in + ")",
                  params);
}

Result<int64_t> countUnfinishedJobs(store::ReadTxn& txn) {
  auto row = txn.queryOne("SELECT count(*) FROM jobs WHERE state IN ('pending', 'running')");
  if (!row) return row.error();
  return (*row)->integer(0);
}

Result<std::optional<JobRecord>> loadJob(store::ReadTxn& txn, int64_t id) {
  auto row = txn.queryOne(
      "SELECT id, kind, target, payload, attempts, max_attempts, created_at, state, next_run_at, last_error, "
      "updated_at FROM jobs WHERE id = ?",
      {id});
  if (!row) return row.error();
  if (!*row) return std::optional<JobRecord>{};
  const store::Row& r = **row;
  auto state = parseState(r.text(7));
  if (!state) return state.error();
  JobRecord rec;
  rec.job = Job{r.integer(0), r.text(1), r.text(2), r.text(3), r.integer(4), r.integer(5), fromMillis(r.integer(6))};
  rec.state = *state;
  rec.nextRunAt = fromMillis(r.integer(8));
  if (!r.isNull(9)) rec.lastError = r.text(9);
  rec.updatedAt = fromMillis(r.integer(10));
  return std::optional<JobRecord>{std::move(rec)};
}

}  // namespace overcast::jobs
