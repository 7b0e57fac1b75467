// AccessLog: one line per request, written by a background thread in batches (every
// `interval`, or sooner when 64 KiB are waiting). Request threads only append to a buffer
// under a short lock: they never write to the terminal and never wake another thread per
// request (a per-line wake-up cost more than the request itself in our measurements).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "core/clock.h"

namespace overcast::server {

class AccessLog {
 public:
  // Writes to `out` (not owned; e.g. stderr).
  explicit AccessLog(std::FILE* out, std::chrono::milliseconds interval = std::chrono::milliseconds(100));
  ~AccessLog();  // writes what is buffered, then stops

  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  // Appends "<ISO time> access <line>\n". Thread-safe.
  void append(TimePoint when, std::string_view line);
  // Writes what is buffered now. Thread-safe.
  void flush();

 private:
  void run();
  void writeOut(std::unique_lock<std::mutex>& lock);

  static constexpr size_t kFlushBytes = 64 * 1024;

  std::FILE* out_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::string buffer_;        // GUARDED_BY(mu_)
  std::string spare_;         // GUARDED_BY(mu_): swapped with buffer_ to write outside the lock
  int64_t cachedSecond_ = -1; // GUARDED_BY(mu_)
  char cachedPrefix_[24]{};   // GUARDED_BY(mu_): "YYYY-MM-DDTHH:MM:SS" of cachedSecond_
  bool stopping_ = false;     // GUARDED_BY(mu_)
  std::mutex writeMu_;        // serializes writes to out_
  std::thread thread_;
};

}  // namespace overcast::server
