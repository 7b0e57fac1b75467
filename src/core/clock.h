// Clock: the only source of "now". Injected everywhere so tests are deterministic.
#pragma once

#include <chrono>

namespace overcast {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time (UTC). Thread-safe.
  virtual TimePoint now() const = 0;
};

class RealClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace overcast
