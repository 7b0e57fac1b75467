#include "server/access_log.h"

#include <ctime>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace overcast::server {

AccessLog::AccessLog(std::FILE* out, std::chrono::milliseconds interval)
    : out_(out), interval_(interval), thread_([this] { run(); }) {}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  flush();
}

void AccessLog::append(TimePoint when, std::string_view line) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count();
  const int64_t second = ms / 1000;
  std::unique_lock lock(mu_);
  if (second != cachedSecond_) {  // format the date once per second, not once per line
    std::time_t t = static_cast<std::time_t>(second);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(cachedPrefix_, sizeof cachedPrefix_, "%Y-%m-%dT%H:%M:%S", &tm);
    cachedSecond_ = second;
  }
  fmt::format_to(std::back_inserter(buffer_), FMT_COMPILE("{}.{:03}Z access {}\n"), cachedPrefix_, ms % 1000, line);
  if (buffer_.size() >= kFlushBytes) {
    lock.unlock();
    wake_.notify_one();
  }
}

void AccessLog::flush() {
  std::unique_lock lock(mu_);
  writeOut(lock);
}

void AccessLog::writeOut(std::unique_lock<std::mutex>& lock) {
  if (buffer_.empty()) return;
  std::string batch;
  batch.swap(spare_);
  batch.swap(buffer_);  // buffer_ gets the (empty, reserved) spare
  lock.unlock();
  {
    std::lock_guard w(writeMu_);
    std::fwrite(batch.data(), 1, batch.size(), out_);
    std::fflush(out_);
  }
  batch.clear();
  lock.lock();
  if (spare_.capacity() < batch.capacity()) spare_.swap(batch);
}

void AccessLog::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, interval_, [this] { return stopping_ || buffer_.size() >= kFlushBytes; });
    writeOut(lock);
  }
}

}  // namespace overcast::server
