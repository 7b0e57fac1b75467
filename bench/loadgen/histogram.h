// LatencyHistogram: a fixed-size log-linear histogram of latencies, 1 µs .. 10 s.
//
// Each power of two is split into kSubBuckets linear buckets, so a recorded value is off by at
// most 1/kSubBuckets (1.6%) of itself. record() never allocates and is O(1); one histogram
// belongs to one thread, and merge() combines them after the run.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>

namespace overcast::bench {

class LatencyHistogram {
 public:
  static constexpr std::uint64_t kMinNanos = 1'000;           // 1 µs: anything faster lands here
  static constexpr std::uint64_t kMaxNanos = 10'000'000'000;  // 10 s: anything slower lands here
  static constexpr int kSubBucketBits = 6;
  static constexpr std::uint64_t kSubBuckets = std::uint64_t{1} << kSubBucketBits;

  void record(std::chrono::nanoseconds latency);
  void merge(const LatencyHistogram& other);
  void reset();

  std::uint64_t count() const { return count_; }
  std::chrono::nanoseconds max() const { return std::chrono::nanoseconds(max_); }
  std::chrono::nanoseconds min() const { return std::chrono::nanoseconds(count_ ? min_ : 0); }
  std::chrono::nanoseconds mean() const;
  // The latency below or at which `fraction` (0..1] of the recorded values lie: the upper
  // edge of the bucket holding that rank, never above max(). Zero if nothing was recorded.
  std::chrono::nanoseconds percentile(double fraction) const;

 private:
  static constexpr int kLowBits = 64 - __builtin_clzll(kMinNanos);  // bit width of kMinNanos
  static constexpr int kHighBits = 64 - __builtin_clzll(kMaxNanos);
  // One block of kSubBuckets linear buckets per octave from kMinNanos to kMaxNanos.
  static constexpr std::size_t kBucketCount =
      static_cast<std::size_t>(kHighBits - kLowBits + 1) * kSubBuckets;

  static std::size_t indexOf(std::uint64_t nanos);
  static std::uint64_t upperEdgeOf(std::size_t index);

  std::array<std::uint64_t, kBucketCount> buckets_{};
  std::uint64_t count_ = 0;
  std::uint64_t min_ = UINT64_MAX;
  std::uint64_t max_ = 0;
  long double sum_ = 0;
};

}  // namespace overcast::bench
