// FakeClock: a Clock that only moves when a test says so (set/advance). Thread-safe, so a
// test thread may advance it while server or worker threads read it.
#pragma once

#include <atomic>
#include <chrono>

#include "core/clock.h"

namespace overcast::testing {

class FakeClock final : public Clock {
 public:
  // 2024-01-01T00:00:00Z by default: a fixed, readable instant.
  explicit FakeClock(TimePoint start = TimePoint(std::chrono::seconds(1704067200)))
      : ticks_(start.time_since_epoch().count()) {}

  TimePoint now() const override { return TimePoint(TimePoint::duration(ticks_.load())); }

  void set(TimePoint t) { ticks_.store(t.time_since_epoch().count()); }

  template <class Rep, class Period>
  void advance(std::chrono::duration<Rep, Period> d) {
    ticks_.fetch_add(std::chrono::duration_cast<TimePoint::duration>(d).count());
  }

 private:
  std::atomic<TimePoint::rep> ticks_;
};

}  // namespace overcast::testing
