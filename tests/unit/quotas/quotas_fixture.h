// QuotasTest: a QuotaBook and the Service Quotas service on a real store in a temp dir, with
// sequential ids and a fake clock. reopen() closes and reopens both on the same store file.
#pragma once

#include <future>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/id_generator.h"
#include "fakes/fake_clock.h"
#include "fakes/temp_dir.h"
#include "services/quotas/quota_book.h"
#include "services/quotas/quotas_service.h"
#include "store/sqlite/sqlite_store.h"

namespace overcast::quotas {

class QuotasTest : public ::testing::Test {
 protected:
  static constexpr const char* kAccount = "000000000000";
  static constexpr const char* kOther = "111111111111";

  void SetUp() override { open(); }
  void TearDown() override { close(); }

  void open() {
    store::SqliteOptions options;
    options.path = (dir_.path() / "db").string();
    auto db = store::openSqliteStore(options);
    ASSERT_TRUE(db);
    db_ = std::move(*db);
    book_ = std::make_unique<QuotaBook>(*db_);
    auto loaded = book_->load();
    ASSERT_TRUE(loaded) << loaded.error().message();
    service_ = makeServiceQuotasService(*book_);
  }
  void close() {
    service_.reset();
    book_.reset();
    if (db_) db_->close();
    db_.reset();
  }
  void reopen() {
    close();
    open();
  }

  Result<boost::json::object> call(const std::string& action, const std::string& input = "{}",
                                   const std::string& account = kAccount, const std::string& region = "us-east-1") {
    RequestContext ctx;
    ctx.requestId = "r";
    ctx.accountId = account;
    ctx.region = region;
    ctx.service = "servicequotas";
    ctx.action = action;
    ctx.now = clock_.now();
    ctx.ids = ids_.get();
    if (!service_->implements(action)) return Error(ErrorCode::UnknownOperation, "not implemented: " + action);
    std::promise<Result<boost::json::object>> out;
    service_->invoke(ctx, boost::json::parse(input).as_object(),
                     [&](Result<boost::json::object> r) { out.set_value(std::move(r)); });
    return out.get_future().get();
  }

  // Waits for an asynchronous book change.
  Result<void> wait(const std::function<void(QuotaBook::Done)>& start) {
    std::promise<Result<void>> out;
    start([&](Result<void> r) { out.set_value(std::move(r)); });
    return out.get_future().get();
  }
  Result<QuotaRequest> request(const std::string& account, const std::string& region, const std::string& quota,
                               double desired, const std::string& id = "req") {
    QuotaRequest r;
    r.id = id;
    r.accountId = account;
    r.region = region;
    r.serviceCode = "ec2";
    r.quotaCode = quota;
    r.desiredValue = desired;
    r.created = r.lastUpdated = clock_.now();
    std::promise<Result<QuotaRequest>> out;
    book_->requestIncrease(r, [&](Result<QuotaRequest> res) { out.set_value(std::move(res)); });
    return out.get_future().get();
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<IdGenerator> ids_ = makeSequentialIdGenerator();
  std::unique_ptr<store::Store> db_;
  std::unique_ptr<QuotaBook> book_;
  std::unique_ptr<api::Service> service_;
};

}  // namespace overcast::quotas
