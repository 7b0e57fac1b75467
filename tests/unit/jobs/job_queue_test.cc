#include <gtest/gtest.h>

#include "tests/unit/jobs/jobs_test_util.h"

namespace overcast::jobs {
namespace {

using namespace std::chrono_literals;
using testing::FakeClock;
using testing::TempDir;

TEST(Backoff, DoublesFromBaseUpToCap) {
  EXPECT_EQ(backoffDelay(1, 1000ms, 60000ms), 1000ms);
  EXPECT_EQ(backoffDelay(2, 1000ms, 60000ms), 2000ms);
  EXPECT_EQ(backoffDelay(3, 1000ms, 60000ms), 4000ms);
  EXPECT_EQ(backoffDelay(6, 1000ms, 60000ms), 32000ms);
  EXPECT_EQ(backoffDelay(7, 1000ms, 60000ms), 60000ms);
  EXPECT_EQ(backoffDelay(1000, 1000ms, 60000ms), 60000ms);
}

Result<std::optional<Job>> claim(store::Store& s, TimePoint now, std::vector<std::string> kinds = {"k"}) {
  std::optional<Job> job;
  auto r = s.writeSync([&](store::WriteTxn& t) -> Result<void> {
    auto j = claimJob(t, kinds, now, 0ms);
    if (!j) return j.error();
    job = *j;
    return {};
  });
  if (!r) return r.error();
  return job;
}

TEST(JobQueue, EnqueueClaimFinish) {
  TempDir dir;
  FakeClock clock;
  auto s = openStore(dir);
  ASSERT_TRUE(s);
  const int64_t a = enqueue(*s, {"k", "vol-1", "{\"x\":1}", 3, clock.now(), 0ms});
  const int64_t b = enqueue(*s, {"k", "vol-2", "", 3, clock.now(), 0ms});
  enqueue(*s, {"other", "vol-3", "", 3, clock.now(), 0ms});

  JobRecord rec = load(*s, a);
  EXPECT_EQ(rec.state, JobState::Pending);
  EXPECT_EQ(rec.job.attempts, 0);
  EXPECT_EQ(rec.nextRunAt, clock.now());

  auto first = claim(*s, clock.now());
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->id, a);  // oldest first
  EXPECT_EQ((*first)->target, "vol-1");
  EXPECT_EQ((*first)->payload, "{\"x\":1}");
  EXPECT_EQ((*first)->attempts, 1);
  EXPECT_EQ(load(*s, a).state, JobState::Running);

  auto second = claim(*s, clock.now());
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->id, b);
  auto none = claim(*s, clock.now());  // only "other" is left, and we do not handle it
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  ASSERT_TRUE(s->writeSync([&](store::WriteTxn& t) -> Result<void> {
                 auto st = finishJob(t, **first, Done{}, clock.now(), 1000ms);
                 if (!st) return st.error();
                 EXPECT_EQ(*st, JobState::Done);
                 // Finishing twice is refused: it was no longer running.
                 EXPECT_FALSE(finishJob(t, **first, Done{}, clock.now(), 1000ms).ok());
                 return {};
               }).ok());
  EXPECT_EQ(load(*s, a).state, JobState::Done);
  ASSERT_TRUE(s->read([](store::ReadTxn& t) -> Result<void> {
                 auto n = countUnfinishedJobs(t);
                 if (!n) return n.error();
                 EXPECT_EQ(*n, 2);  // b running, "other" pending
                 return {};
               }).ok());
}

TEST(JobQueue, DelayedJobIsNotDueEarly) {
  TempDir dir;
  FakeClock clock;
  auto s = openStore(dir);
  ASSERT_TRUE(s);
  enqueue(*s, {"k", "t", "", 3, clock.now(), 5000ms});
  auto isDue = [&](TimePoint at, std::vector<std::string> kinds) {
    bool due = false;
    EXPECT_TRUE(s->read([&](store::ReadTxn& t) -> Result<void> {
                   auto d = hasDueJob(t, kinds, at, 0ms);
                   if (!d) return d.error();
                   due = *d;
                   return {};
                 }).ok());
    return due;
  };
  EXPECT_FALSE(isDue(clock.now() + 4999ms, {"k"}));
  EXPECT_TRUE(isDue(clock.now() + 5000ms, {"k"}));
  EXPECT_FALSE(isDue(clock.now() + 5000ms, {"other"}));
  EXPECT_FALSE(isDue(clock.now() + 5000ms, {}));
  auto early = claim(*s, clock.now() + 4999ms);
  ASSERT_TRUE(early.ok());
  EXPECT_FALSE(early->has_value());
  auto due = claim(*s, clock.now() + 5000ms);
  ASSERT_TRUE(due.ok());
  EXPECT_TRUE(due->has_value());
}

TEST(JobQueue, EnqueueCommitsOrRollsBackWithTheCallersWrite) {
  TempDir dir;
  FakeClock clock;
  auto s = openStore(dir);
  ASSERT_TRUE(s);
  auto r = s->writeSync([&](store::WriteTxn& t) -> Result<void> {
    auto j = enqueueJob(t, {"k", "t", "", 3, clock.now(), 0ms});
    if (!j) return j.error();
    return Error(ErrorCode::InvalidParameterValue, "the resource write failed");
  });
  EXPECT_FALSE(r.ok());
  auto none = claim(*s, clock.now());
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST(JobQueue, RequeueRunningOnlyTouchesGivenKinds) {
  TempDir dir;
  FakeClock clock;
  auto s = openStore(dir);
  ASSERT_TRUE(s);
  const int64_t a = enqueue(*s, {"k", "t", "", 3, clock.now(), 0ms});
  const int64_t b = enqueue(*s, {"other", "t", "", 3, clock.now(), 0ms});
  ASSERT_TRUE(claim(*s, clock.now(), {"k", "other"}).ok());
  ASSERT_TRUE(claim(*s, clock.now(), {"k", "other"}).ok());
  ASSERT_TRUE(s->writeSync([&](store::WriteTxn& t) -> Result<void> {
                 auto n = requeueRunningJobs(t, {"k"}, clock.now());
                 if (!n) return n.error();
                 EXPECT_EQ(*n, 1);
                 return {};
               }).ok());
  EXPECT_EQ(load(*s, a).state, JobState::Pending);
  EXPECT_EQ(load(*s, b).state, JobState::Running);
}

}  // namespace
}  // namespace overcast::jobs
