// Jobs: long work (snapshot copies, volume hydration, instance boots, SNS deliveries) kept as
// rows in the store and run by a WorkerPool (worker_pool.h), so that a restart loses none.
// The table and its state machine are in docs/formats.md:
//
//   pending --claim--> running --Done--> done
//      ^                  |----Fail or Retry with attempts == max_attempts--> failed
//      '----Retry---------'   (next_run_at = now + delay)
//   running --process died--> pending again when the next WorkerPool starts
//
// A job may therefore run more than once (a crash after the work but before "done" was
// recorded): every handler MUST be idempotent, e.g. by checking the target's state first.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "core/clock.h"

namespace overcast::jobs {

enum class JobState { Pending, Running, Done, Failed };

std::string_view toString(JobState s);  // "pending", "running", "done", "failed"

// What to enqueue. `kind` picks the handler; `target` names the resource it acts on (an
// instance id, a snapshot id...) for logs and lookups; `payload` is the handler's own text
// (JSON by convention).
struct JobSpec {
  std::string kind;
  std::string target;
  std::string payload;
  int64_t maxAttempts = 5;
  TimePoint now;                       // the caller's Clock::now(): created_at, and the due time base
  std::chrono::milliseconds delay{0};  // first run no earlier than now + delay
};

// A claimed job, as its handler sees it.
struct Job {
  int64_t id = 0;
  std::string kind;
  std::string target;
  std::string payload;
  int64_t attempts = 0;  // including the current one: 1 on the first run
  int64_t maxAttempts = 0;
  TimePoint createdAt;
};

// The row, as tools and tests see it.
struct JobRecord {
  Job job;
  JobState state = JobState::Pending;
  TimePoint nextRunAt;  // pending: when it is due; running: its lease deadline
  std::optional<std::string> lastError;
  TimePoint updatedAt;
};

// A handler's verdict.
struct Done {};
struct Retry {
  std::optional<std::chrono::milliseconds> delay;  // unset: the pool's exponential backoff
  std::string message;                             // kept as last_error
};
struct Fail {
  std::string message;
};
using JobOutcome = std::variant<Done, Retry, Fail>;

}  // namespace overcast::jobs
