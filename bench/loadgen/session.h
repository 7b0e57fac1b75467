// Session: a scenario whose next request depends on earlier answers (SQS receive, then delete
// what was received). Each connection owns one; the connection asks it for the next request,
// hands it every complete response, and stops when it says it is finished.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "stats.h"

namespace overcast::bench {

class Session {
 public:
  virtual ~Session() = default;

  // True once the session wants to send nothing more (a drained queue after the window).
  virtual bool finished() const = 0;

  // Writes the whole next request (wire bytes) into `out`. Called again without an answer in
  // between when the previous one failed (connect, read): it then rebuilds the same step.
  virtual void next(std::string& out) = 0;

  // The complete response to the last request. `stats` is the thread's; count into it only
  // when `inWindow`.
  virtual void onResponse(int status, std::string_view body, bool inWindow, Stats& stats) = 0;
};

class SessionFactory {
 public:
  virtual ~SessionFactory() = default;
  // `id` makes the session's sequence numbers unique across connections.
  virtual std::unique_ptr<Session> make(std::uint32_t id, MeasureWindow window) = 0;
  // True if sessions run past the window's end to drain (the run then ends when every session
  // is finished, or at the drain deadline), false if the run stops at the window's end.
  virtual bool drains() const = 0;
};

}  // namespace overcast::bench
