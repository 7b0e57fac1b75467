#include "server/access_log.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace overcast::server {
namespace {

std::string contents(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  return out;
}

TimePoint at(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

TEST(AccessLog, FormatsTimeAndLine) {
  std::FILE* f = std::tmpfile();
  {
    AccessLog log(f, std::chrono::hours(1));  // only explicit flushes and the destructor write
    log.append(at(1704067200123), "a b c");
    log.append(at(1704067201005), "d");
    EXPECT_EQ(contents(f), "");
    log.flush();
    EXPECT_EQ(contents(f),
              "2024-01-01T00:00:00.123Z access a b c\n"
              "2024-01-01T00:00:01.005Z access d\n");
    log.append(at(1704067201006), "e");
  }
  EXPECT_NE(contents(f).find("access e\n"), std::string::npos);  // the destructor flushed
  std::fclose(f);
}

TEST(AccessLog, BackgroundThreadWritesWithoutFlush) {
  std::FILE* f = std::tmpfile();
  AccessLog log(f, std::chrono::milliseconds(10));
  log.append(at(0), "x");
  for (int i = 0; i < 500 && contents(f).empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(contents(f), "1970-01-01T00:00:00.000Z access x\n");
  std::fclose(f);
}

TEST(AccessLog, ConcurrentAppendsLoseNoLine) {
  std::FILE* f = std::tmpfile();
  {
    AccessLog log(f, std::chrono::milliseconds(1));
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&log, t] {
        for (int i = 0; i < 5000; ++i) log.append(at(i), std::to_string(t) + ":" + std::to_string(i));
      });
    for (auto& th : threads) th.join();
  }
  std::string all = contents(f);
  EXPECT_EQ(std::count(all.begin(), all.end(), '\n'), 20000);
  EXPECT_NE(all.find(" access 3:4999\n"), std::string::npos);
  std::fclose(f);
}

}  // namespace
}  // namespace overcast::server
