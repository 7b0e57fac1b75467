// Shared by the jobs tests: a store with the real schema in a temp dir, and bounded waiting.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "jobs/job_queue.h"
#include "store/sqlite/sqlite_store.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/temp_dir.h"

namespace overcast::jobs {

inline std::unique_ptr<store::Store> openStore(const testing::TempDir& dir) {
  store::SqliteOptions o;
  o.path = (dir / "overcast.db").string();
  o.readPoolSize = 4;
  auto s = store::openSqliteStore(o);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message());
  return s.ok() ? std::move(*s) : nullptr;
}

inline int64_t enqueue(store::Store& s, JobSpec spec) {
  int64_t id = -1;
  auto r = s.writeSync([&](store::WriteTxn& t) -> Result<void> {
    auto j = enqueueJob(t, spec);
    if (!j) return j.error();
    id = *j;
    return {};
  });
  EXPECT_TRUE(r.ok());
  return id;
}

inline JobRecord load(store::Store& s, int64_t id) {
  JobRecord rec;
  auto r = s.read([&](store::ReadTxn& t) -> Result<void> {
    auto j = loadJob(t, id);
    if (!j) return j.error();
    EXPECT_TRUE(j->has_value());
    if (*j) rec = **j;
    return {};
  });
  EXPECT_TRUE(r.ok());
  return rec;
}

// Polls `pred` until it holds or 20 s pass (a bound, not a timing assumption).
inline bool eventually(const std::function<bool()>& pred) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return pred();
}

}  // namespace overcast::jobs
