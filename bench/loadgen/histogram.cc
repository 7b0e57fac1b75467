#include "histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace overcast::bench {

namespace {
// Exponent of the octave holding `nanos`: the shift that leaves kSubBucketBits + 1 significant bits.
int octaveOf(std::uint64_t nanos) {
  return std::bit_width(nanos) - LatencyHistogram::kSubBucketBits - 1;
}
const int kMinOctave = octaveOf(LatencyHistogram::kMinNanos);
}  // namespace

std::size_t LatencyHistogram::indexOf(std::uint64_t nanos) {
  nanos = std::clamp(nanos, kMinNanos, kMaxNanos);
  int octave = octaveOf(nanos);
  std::uint64_t mantissa = (nanos >> octave) - kSubBuckets;  // 0 .. kSubBuckets-1
  return static_cast<std::size_t>(octave - kMinOctave) * kSubBuckets + mantissa;
}

std::uint64_t LatencyHistogram::upperEdgeOf(std::size_t index) {
  int octave = static_cast<int>(index / kSubBuckets) + kMinOctave;
  std::uint64_t mantissa = index % kSubBuckets + kSubBuckets;
  return ((mantissa + 1) << octave) - 1;
}

void LatencyHistogram::record(std::chrono::nanoseconds latency) {
  auto nanos = static_cast<std::uint64_t>(std::max<std::int64_t>(latency.count(), 0));
  ++buckets_[indexOf(nanos)];
  ++count_;
  min_ = std::min(min_, nanos);
  max_ = std::max(max_, nanos);
  sum_ += static_cast<long double>(nanos);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < kBucketCount; ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
}

void LatencyHistogram::reset() { *this = LatencyHistogram(); }

std::chrono::nanoseconds LatencyHistogram::mean() const {
  if (count_ == 0) return std::chrono::nanoseconds(0);
  return std::chrono::nanoseconds(static_cast<std::int64_t>(sum_ / count_));
}

std::chrono::nanoseconds LatencyHistogram::percentile(double fraction) const {
  if (count_ == 0) return std::chrono::nanoseconds(0);
  fraction = std::clamp(fraction, 0.0, 1.0);
  auto rank = static_cast<std::uint64_t>(std::ceil(fraction * static_cast<double>(count_)));
  rank = std::max<std::uint64_t>(rank, 1);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBucketCount; ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      auto edge = std::min(upperEdgeOf(i), max_);
      return std::chrono::nanoseconds(static_cast<std::int64_t>(std::max(edge, min_)));
    }
  }
  return std::chrono::nanoseconds(static_cast<std::int64_t>(max_));
}

}  // namespace overcast::bench
