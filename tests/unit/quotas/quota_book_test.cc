#include "services/quotas/quota_book.h"

#include "unit/quotas/quotas_fixture.h"

namespace overcast::quotas {
namespace {

using QuotaBookTest = QuotasTest;

constexpr const char* kVcpus = "L-1216C47A";
constexpr const char* kInstances = "L-OVERCAST-INSTANCES";

TEST_F(QuotaBookTest, DefaultsUntilSet) {
  EXPECT_EQ(book_->ec2Quota(kAccount, "us-east-1", ec2::kStandardVcpuQuota), 32);
  EXPECT_EQ(book_->ec2Quota(kAccount, "us-east-1", ec2::kInstanceCountQuota), 20);
  EXPECT_EQ(*book_->value(kAccount, "eu-west-1", "ec2", kVcpus), 32);
  EXPECT_EQ(*book_->ceiling("ec2", kVcpus), 128);
  EXPECT_EQ(*book_->ceiling("ec2", kInstances), 80);
  EXPECT_TRUE(book_->valuesOf(kAccount).empty());
}

TEST_F(QuotaBookTest, SetValueIsPerAccountAndRegionAndSurvivesRestart) {
  ASSERT_TRUE(wait([&](auto done) { book_->setValue(kAccount, "us-east-1", "ec2", kVcpus, 1000, done); }));
  EXPECT_EQ(book_->ec2Quota(kAccount, "us-east-1", kVcpus), 1000);
  EXPECT_EQ(book_->ec2Quota(kAccount, "us-west-2", kVcpus), 32);
  EXPECT_EQ(book_->ec2Quota(kOther, "us-east-1", kVcpus), 32);
  EXPECT_EQ(book_->ec2Quota(kAccount, "us-east-1", kInstances), 20);
  reopen();
  EXPECT_EQ(book_->ec2Quota(kAccount, "us-east-1", kVcpus), 1000);
  EXPECT_EQ(book_->ec2Quota(kAccount, "us-west-2", kVcpus), 32);
  auto values = book_->valuesOf(kAccount);
  ASSERT_EQ(values.size(), 1u);
  EXPECT_EQ(values[0].region, "us-east-1");
  EXPECT_EQ(values[0].quotaCode, kVcpus);
  EXPECT_EQ(values[0].value, 1000);
}

TEST_F(QuotaBookTest, SetValueAcceptsAnyValueInRangeEvenBelowTheDefault) {
  ASSERT_TRUE(book_->setValueSync(kAccount, "us-east-1", "ec2", kInstances, 2));
  EXPECT_EQ(book_->ec2Quota(kAccount, "us-east-1", kInstances), 2);
  ASSERT_TRUE(book_->setValueSync(kAccount, "us-east-1", "ec2", kInstances, 0));
  EXPECT_EQ(book_->ec2Quota(kAccount, "us-east-1", kInstances), 0);
}

TEST_F(QuotaBookTest, SetRejectsUnknownQuotasAndValuesOutOfRange) {
  auto unknownService = book_->setValueSync(kAccount, "us-east-1", "nope", kVcpus, 5);
  ASSERT_FALSE(unknownService);
  EXPECT_EQ(unknownService.error().code(), ErrorCode::NoSuchResource);
  auto unknownQuota = book_->setCeilingSync("ec2", "L-00000000", 5);
  ASSERT_FALSE(unknownQuota);
  EXPECT_EQ(unknownQuota.error().code(), ErrorCode::NoSuchResource);
  auto negative = book_->setValueSync(kAccount, "us-east-1", "ec2", kVcpus, -1);
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().code(), ErrorCode::IllegalArgument);
  auto huge = book_->setValueSync(kAccount, "us-east-1", "ec2", kVcpus, 1e11);
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().code(), ErrorCode::IllegalArgument);
  EXPECT_EQ(book_->ec2Quota(kAccount, "us-east-1", kVcpus), 32);
}

TEST_F(QuotaBookTest, IncreaseUpToTheCeilingIsApproved) {
  auto r = request(kAccount, "us-east-1", kVcpus, 128);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->status, "APPROVED");
  EXPECT_EQ(book_->ec2Quota(kAccount, "us-east-1", kVcpus), 128);
  EXPECT_EQ(book_->ec2Quota(kAccount, "us-east-2", kVcpus), 32);
}

TEST_F(QuotaBookTest, IncreaseAboveTheCeilingIsDeniedAndChangesNothing) {
  auto r = request(kAccount, "us-east-1", kVcpus, 129);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, "DENIED");
  EXPECT_EQ(book_->ec2Quota(kAccount, "us-east-1", kVcpus), 32);
}

TEST_F(QuotaBookTest, CeilingIsSettableAndSurvivesRestart) {
  ASSERT_TRUE(book_->setCeilingSync("ec2", kVcpus, 500));
  reopen();
  EXPECT_EQ(*book_->ceiling("ec2", kVcpus), 500);
  EXPECT_EQ(*book_->ceiling("ec2", kInstances), 80);
  EXPECT_EQ(request(kAccount, "us-east-1", kVcpus, 500)->status, "APPROVED");
  EXPECT_EQ(request(kAccount, "us-east-1", kVcpus, 501, "req2")->status, "DENIED");
  EXPECT_EQ(book_->ec2Quota(kAccount, "us-east-1", kVcpus), 500);
}

TEST_F(QuotaBookTest, IncreaseBelowTheCurrentValueIsIllegalAndEqualIsApproved) {
  ASSERT_TRUE(book_->setValueSync(kAccount, "us-east-1", "ec2", kVcpus, 64));
  auto lower = request(kAccount, "us-east-1", kVcpus, 40);
  ASSERT_FALSE(lower);
  EXPECT_EQ(lower.error().code(), ErrorCode::IllegalArgument);
  EXPECT_TRUE(book_->requests(kAccount, "us-east-1", "", "").empty());
  auto same = request(kAccount, "us-east-1", kVcpus, 64);
  ASSERT_TRUE(same);
  EXPECT_EQ(same->status, "APPROVED");
  EXPECT_EQ(book_->ec2Quota(kAccount, "us-east-1", kVcpus), 64);
}

TEST_F(QuotaBookTest, IncreaseOfAnUnknownQuotaIsNoSuchResource) {
  auto r = request(kAccount, "us-east-1", "L-DEADBEEF", 10);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::NoSuchResource);
}

TEST_F(QuotaBookTest, RequestsAreKeptPerAccountAndRegionNewestFirstAndSurviveRestart) {
  ASSERT_TRUE(request(kAccount, "us-east-1", kVcpus, 40, "a"));
  clock_.advance(std::chrono::seconds(1));
  ASSERT_TRUE(request(kAccount, "us-east-1", kInstances, 1000, "b"));
  clock_.advance(std::chrono::seconds(1));
  ASSERT_TRUE(request(kAccount, "us-west-2", kVcpus, 50, "c"));
  ASSERT_TRUE(request(kOther, "us-east-1", kVcpus, 50, "d"));
  reopen();
  auto list = book_->requests(kAccount, "us-east-1", "", "");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, "b");
  EXPECT_EQ(list[0].status, "DENIED");
  EXPECT_EQ(list[0].desiredValue, 1000);
  EXPECT_EQ(list[1].id, "a");
  EXPECT_EQ(list[1].status, "APPROVED");
  EXPECT_EQ(list[1].created, testing::FakeClock().now());
  auto byQuota = book_->requests(kAccount, "us-east-1", "ec2", kVcpus);
  ASSERT_EQ(byQuota.size(), 1u);
  EXPECT_EQ(byQuota[0].id, "a");
  ASSERT_TRUE(book_->findRequest(kAccount, "c"));
  EXPECT_EQ(book_->findRequest(kAccount, "c")->region, "us-west-2");
  EXPECT_FALSE(book_->findRequest(kAccount, "d"));
  EXPECT_EQ(book_->ec2Quota(kAccount, "us-east-1", kVcpus), 40);
  EXPECT_EQ(book_->ec2Quota(kAccount, "us-west-2", kVcpus), 50);
  EXPECT_EQ(book_->ec2Quota(kOther, "us-east-1", kVcpus), 50);
}

}  // namespace
}  // namespace overcast::quotas

namespace overcast::quotas {
namespace {

TEST_F(QuotaBookTest, ResetForgetsAccountValuesAndRequestsButKeepsCeilings) {
  ASSERT_TRUE(book_->setValueSync(kAccount, "us-east-1", "ec2", "L-1216C47A", 99));
  ASSERT_TRUE(book_->setCeilingSync("ec2", "L-1216C47A", 300));
  ASSERT_TRUE(request(kOther, "us-east-1", "L-1216C47A", 200, "x"));
  ASSERT_TRUE(wait([&](auto done) { book_->resetAccounts(done); }));
  EXPECT_EQ(book_->ec2Quota(kAccount, "us-east-1", "L-1216C47A"), 32);
  EXPECT_EQ(book_->ec2Quota(kOther, "us-east-1", "L-1216C47A"), 32);
  EXPECT_FALSE(book_->findRequest(kOther, "x"));
  reopen();
  EXPECT_EQ(book_->ec2Quota(kAccount, "us-east-1", "L-1216C47A"), 32);
  EXPECT_FALSE(book_->findRequest(kOther, "x"));
  EXPECT_EQ(*book_->ceiling("ec2", "L-1216C47A"), 300);
}

}  // namespace
}  // namespace overcast::quotas
