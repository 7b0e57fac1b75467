// Scheduler: run a function later, or soon, off the caller's stack. Services use it for timed
// work that must not block a thread (SQS long polling, delayed visibility). Implemented over
// the server's io_context; tests use a manual one.
#pragma once

#include <chrono>
#include <functional>

namespace overcast {

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  // Runs `fn` after `delay` on some worker thread. Thread-safe. Functions still pending when the
  // scheduler stops are dropped (never run), so they must hold no obligation the caller relies on
  // beyond the scheduler's life.
  virtual void runAfter(std::chrono::milliseconds delay, std::function<void()> fn) = 0;
  // Runs `fn` soon on some worker thread. Thread-safe.
  virtual void post(std::function<void()> fn) = 0;
};

}  // namespace overcast
