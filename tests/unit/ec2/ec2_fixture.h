// Ec2Test: the EC2 service without sockets: a real store in a temp dir, a fake clock,
// sequential ids and the none driver. call() invokes an action as a given account and region;
// runJobs() runs every lifecycle job due at the fake clock's now.
#pragma once

#include <future>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "compute/driver.h"
#include "fakes/fake_clock.h"
#include "fakes/temp_dir.h"
#include "jobs/job_queue.h"
#include "services/ec2/ec2_service.h"
#include "store/sqlite/sqlite_store.h"

namespace overcast::ec2 {

class Ec2Test : public ::testing::Test {
 protected:
  static constexpr const char* kAccount = "000000000000";
  static constexpr const char* kOther = "111111111111";

  void SetUp() override { open(); }
  void TearDown() override { close(); }

  // Opens (or reopens, after close()) the store and the service on the same directory.
  void open() {
    store::SqliteOptions options;
    options.path = (dir_.path() / "db").string();
    auto db = store::openSqliteStore(options);
    ASSERT_TRUE(db);
    db_ = std::move(*db);
    auto service = makeEc2Service(*db_, clock_, *ids_, *driver_, options_);
    ASSERT_TRUE(service) << service.error().message();
    service_ = std::move(*service);
  }
  void close() {
    service_.reset();
    if (db_) db_->close();
    db_.reset();
  }

  Result<boost::json::object> call(const std::string& action, const std::string& input = "{}",
                                   const std::string& account = kAccount, const std::string& region = "us-east-1") {
    return callJson(action, boost::json::parse(input).as_object(), account, region);
  }
  Result<boost::json::object> callJson(const std::string& action, boost::json::object input,
                                       const std::string& account = kAccount, const std::string& region = "us-east-1") {
    RequestContext ctx;
    ctx.requestId = "r";
    ctx.accountId = account;
    ctx.region = region;
    ctx.service = "ec2";
    ctx.action = action;
    ctx.host = "127.0.0.1:4566";
    ctx.now = clock_.now();
    ctx.ids = ids_.get();
    if (!service_->implements(action)) return Error(ErrorCode::InvalidAction, "not implemented: " + action);
    std::promise<Result<boost::json::object>> out;
    service_->invoke(ctx, std::move(input), [&](Result<boost::json::object> r) { out.set_value(std::move(r)); });
    return out.get_future().get();
  }

  // Runs every EC2 job due now (and those they enqueue that are due now); returns how many ran.
  int runJobs() {
    int ran = 0;
    for (;;) {
      std::optional<jobs::Job> job;
      auto claimed = db_->writeSync([&](store::WriteTxn& txn) -> Result<void> {
        auto j = jobs::claimJob(txn, {std::string(kEc2JobKind)}, clock_.now(), std::chrono::milliseconds(0));
        if (!j) return j.error();
        job = std::move(*j);
        return {};
      });
      EXPECT_TRUE(claimed);
      if (!job) return ran;
      auto outcome = ec2HandleOf(*service_)->runJob(*job);
      auto finished = db_->writeSync([&](store::WriteTxn& txn) -> Result<void> {
        auto s = jobs::finishJob(txn, *job, outcome, clock_.now(), std::chrono::milliseconds(1000));
        if (!s) return s.error();
        return {};
      });
      EXPECT_TRUE(finished);
      ++ran;
    }
  }

  overcast::testing::TempDir dir_;
  overcast::testing::FakeClock clock_;
  std::unique_ptr<IdGenerator> ids_ = makeSequentialIdGenerator();
  std::unique_ptr<compute::Driver> driver_ = compute::makeNoneDriver();
  Ec2Options options_;
  std::unique_ptr<store::Store> db_;
  std::unique_ptr<api::Service> service_;
};

}  // namespace overcast::ec2
