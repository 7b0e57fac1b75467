#include "stats.h"

namespace overcast::bench {

void Stats::merge(const Stats& other) {
  latency.merge(other.latency);
  for (std::size_t i = 0; i < statusCounts.size(); ++i) statusCounts[i] += other.statusCounts[i];
  responses += other.responses;
  non2xx += other.non2xx;
  non200 += other.non200;
  errors += other.errors;
  reconnects += other.reconnects;
  bytesSent += other.bytesSent;
  bytesReceived += other.bytesReceived;
  messages += other.messages;
  if (firstNon200.empty()) firstNon200 = other.firstNon200;
  if (firstError.empty()) firstError = other.firstError;
}

}  // namespace overcast::bench
