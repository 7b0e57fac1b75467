// Stats: what one load-generator thread counts. Written only by that thread during the run;
// merged by main() after every thread has joined.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>

#include "histogram.h"

namespace overcast::bench {

// Responses and errors count only when they complete inside [start, end): the warm-up before
// start and the requests still in flight at end are left out.
struct MeasureWindow {
  std::chrono::steady_clock::time_point start;
  std::chrono::steady_clock::time_point end;

  bool contains(std::chrono::steady_clock::time_point t) const { return t >= start && t < end; }
};

struct Stats {
  LatencyHistogram latency;
  std::array<std::uint64_t, 600> statusCounts{};  // by HTTP status code
  std::uint64_t responses = 0;
  std::uint64_t non2xx = 0;
  std::uint64_t non200 = 0;
  std::uint64_t errors = 0;      // connect/read/write failures and malformed responses
  std::uint64_t reconnects = 0;  // connections opened after the first, for any reason
  std::uint64_t bytesSent = 0;
  std::uint64_t bytesReceived = 0;
  std::uint64_t messages = 0;  // inside the window: SQS cycle: messages received and deleted;
                               // SNS publish: publishes answered 200 with a MessageId
  // First of each kind, for diagnostics (set once, so no allocation on the hot path after).
  std::string firstNon200;
  std::string firstError;

  void merge(const Stats& other);
};

}  // namespace overcast::bench
