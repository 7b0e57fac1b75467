#include "services/quotas/quotas_service.h"

#include "unit/quotas/quotas_fixture.h"

namespace overcast::quotas {
namespace {

namespace json = boost::json;
using QuotasServiceTest = QuotasTest;

constexpr const char* kVcpuInput = R"({"ServiceCode": "ec2", "QuotaCode": "L-1216C47A"})";

TEST_F(QuotasServiceTest, GetServiceQuotaDescribesTheQuota) {
  auto r = call("GetServiceQuota", kVcpuInput, kAccount, "eu-west-1");
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(json::serialize((*r)["Quota"]),
            json::serialize(json::parse(R"j({"ServiceCode":"ec2",
              "ServiceName":"Amazon Elastic Compute Cloud (Amazon EC2)",
              "QuotaArn":"arn:aws:servicequotas:eu-west-1:000000000000:ec2/L-1216C47A",
              "QuotaCode":"L-1216C47A",
              "QuotaName":"Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances",
              "Value":3.2E1,"Unit":"None","Adjustable":true,"GlobalQuota":false,
              "QuotaAppliedAtLevel":"ACCOUNT"})j")));
}

TEST_F(QuotasServiceTest, GetServiceQuotaShowsAValueSetByTheAdmin) {
  ASSERT_TRUE(book_->setValueSync(kAccount, "us-east-1", "ec2", "L-OVERCAST-INSTANCES", 7));
  auto r = call("GetServiceQuota", R"({"ServiceCode": "ec2", "QuotaCode": "L-OVERCAST-INSTANCES"})");
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)["Quota"].at("Value").as_double(), 7);
  EXPECT_EQ((*r)["Quota"].at("QuotaName").as_string(), "Running On-Demand instances");
  auto d = call("GetAWSDefaultServiceQuota", R"({"ServiceCode": "ec2", "QuotaCode": "L-OVERCAST-INSTANCES"})");
  ASSERT_TRUE(d);
  EXPECT_EQ((*d)["Quota"].at("Value").as_double(), 20);
  EXPECT_EQ((*d)["Quota"].at("QuotaArn").as_string(), "arn:aws:servicequotas:us-east-1::ec2/L-OVERCAST-INSTANCES");
}

TEST_F(QuotasServiceTest, UnknownServiceOrQuotaIsNoSuchResource) {
  for (const char* input : {R"({"ServiceCode": "lambda", "QuotaCode": "L-1216C47A"})",
                            R"({"ServiceCode": "ec2", "QuotaCode": "L-00000000"})"}) {
    for (const char* action : {"GetServiceQuota", "GetAWSDefaultServiceQuota", "RequestServiceQuotaIncrease",
                               "ListRequestedServiceQuotaChangeHistoryByQuota"}) {
      auto r = call(action, input);
      ASSERT_FALSE(r) << action;
      EXPECT_EQ(r.error().code(), ErrorCode::NoSuchResource) << action;
    }
  }
  auto list = call("ListServiceQuotas", R"({"ServiceCode": "lambda"})");
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().code(), ErrorCode::NoSuchResource);
}

TEST_F(QuotasServiceTest, ListServiceQuotasPagesByQuotaCode) {
  auto all = call("ListServiceQuotas", R"({"ServiceCode": "ec2"})");
  ASSERT_TRUE(all);
  ASSERT_EQ(all->at("Quotas").as_array().size(), 2u);
  EXPECT_FALSE(all->contains("NextToken"));

  auto first = call("ListServiceQuotas", R"({"ServiceCode": "ec2", "MaxResults": 1})");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->at("Quotas").as_array().size(), 1u);
  EXPECT_EQ(first->at("Quotas").as_array()[0].at("QuotaCode").as_string(), "L-1216C47A");
  ASSERT_EQ(first->at("NextToken").as_string(), "L-OVERCAST-INSTANCES");
  auto second = call("ListServiceQuotas", R"({"ServiceCode": "ec2", "MaxResults": 1, "NextToken": "L-OVERCAST-INSTANCES"})");
  ASSERT_TRUE(second);
  ASSERT_EQ(second->at("Quotas").as_array().size(), 1u);
  EXPECT_EQ(second->at("Quotas").as_array()[0].at("QuotaCode").as_string(), "L-OVERCAST-INSTANCES");
  EXPECT_FALSE(second->contains("NextToken"));

  auto bad = call("ListServiceQuotas", R"({"ServiceCode": "ec2", "NextToken": "garbage"})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::QuotasInvalidPaginationToken);
  auto tooMany = call("ListServiceQuotas", R"({"ServiceCode": "ec2", "MaxResults": 101})");
  ASSERT_FALSE(tooMany);
  EXPECT_EQ(tooMany.error().code(), ErrorCode::IllegalArgument);
}

TEST_F(QuotasServiceTest, ListServicesHasEc2) {
  auto r = call("ListServices");
  ASSERT_TRUE(r);
  EXPECT_EQ(json::serialize(r->at("Services")),
            R"j([{"ServiceCode":"ec2","ServiceName":"Amazon Elastic Compute Cloud (Amazon EC2)"}])j");
}

TEST_F(QuotasServiceTest, RequestIncreaseIsApprovedAtOnceAndCanBeReadBack) {
  auto r = call("RequestServiceQuotaIncrease", R"({"ServiceCode": "ec2", "QuotaCode": "L-1216C47A", "DesiredValue": 64})");
  ASSERT_TRUE(r) << r.error().message();
  const auto& q = r->at("RequestedQuota").as_object();
  EXPECT_EQ(q.at("Id").as_string(), "00000000000000000000000000000001");
  EXPECT_EQ(q.at("Status").as_string(), "APPROVED");
  EXPECT_EQ(q.at("DesiredValue").as_double(), 64);
  EXPECT_EQ(q.at("QuotaArn").as_string(), "arn:aws:servicequotas:us-east-1:000000000000:ec2/L-1216C47A");
  EXPECT_EQ(q.at("Created").as_int64(), 1704067200000);
  EXPECT_EQ(q.at("Requester").as_string(),
            R"({"accountId":"000000000000","callerArn":"arn:aws:iam::000000000000:root"})");

  auto now = call("GetServiceQuota", kVcpuInput);
  EXPECT_EQ((*now)["Quota"].at("Value").as_double(), 64);
  auto again = call("GetRequestedServiceQuotaChange", R"({"RequestId": "00000000000000000000000000000001"})");
  ASSERT_TRUE(again);
  EXPECT_EQ(json::serialize(again->at("RequestedQuota")), json::serialize(r->at("RequestedQuota")));

  auto elsewhere = call("GetRequestedServiceQuotaChange", R"({"RequestId": "00000000000000000000000000000001"})", kOther);
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().code(), ErrorCode::NoSuchResource);
}

TEST_F(QuotasServiceTest, RequestAboveTheCeilingIsDenied) {
  auto r = call("RequestServiceQuotaIncrease", R"({"ServiceCode": "ec2", "QuotaCode": "L-1216C47A", "DesiredValue": 1000})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->at("RequestedQuota").at("Status").as_string(), "DENIED");
  EXPECT_EQ(call("GetServiceQuota", kVcpuInput)->at("Quota").at("Value").as_double(), 32);
}

TEST_F(QuotasServiceTest, RequestBelowTheCurrentValueIsIllegal) {
  auto r = call("RequestServiceQuotaIncrease", R"({"ServiceCode": "ec2", "QuotaCode": "L-1216C47A", "DesiredValue": 8})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::IllegalArgument);
}

TEST_F(QuotasServiceTest, HistoryListsRequestsNewestFirstWithStatusFilterAndPages) {
  ASSERT_TRUE(call("RequestServiceQuotaIncrease", R"({"ServiceCode": "ec2", "QuotaCode": "L-1216C47A", "DesiredValue": 40})"));
  clock_.advance(std::chrono::seconds(5));
  ASSERT_TRUE(call("RequestServiceQuotaIncrease",
                   R"({"ServiceCode": "ec2", "QuotaCode": "L-OVERCAST-INSTANCES", "DesiredValue": 500})"));
  ASSERT_TRUE(call("RequestServiceQuotaIncrease", R"({"ServiceCode": "ec2", "QuotaCode": "L-1216C47A", "DesiredValue": 50})",
                   kAccount, "us-west-2"));

  auto all = call("ListRequestedServiceQuotaChangeHistory", R"({"ServiceCode": "ec2"})");
  ASSERT_TRUE(all);
  const auto& list = all->at("RequestedQuotas").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("QuotaCode").as_string(), "L-OVERCAST-INSTANCES");
  EXPECT_EQ(list[0].at("Status").as_string(), "DENIED");
  EXPECT_EQ(list[1].at("QuotaCode").as_string(), "L-1216C47A");

  auto denied = call("ListRequestedServiceQuotaChangeHistory", R"({"Status": "DENIED"})");
  ASSERT_EQ(denied->at("RequestedQuotas").as_array().size(), 1u);

  auto page1 = call("ListRequestedServiceQuotaChangeHistory", R"({"MaxResults": 1})");
  ASSERT_EQ(page1->at("RequestedQuotas").as_array().size(), 1u);
  auto token = std::string(page1->at("NextToken").as_string());
  auto page2 = call("ListRequestedServiceQuotaChangeHistory", R"({"MaxResults": 1, "NextToken": ")" + token + "\"}");
  ASSERT_TRUE(page2);
  ASSERT_EQ(page2->at("RequestedQuotas").as_array().size(), 1u);
  EXPECT_EQ(page2->at("RequestedQuotas").as_array()[0].at("QuotaCode").as_string(), "L-1216C47A");
  EXPECT_FALSE(page2->contains("NextToken"));

  auto byQuota = call("ListRequestedServiceQuotaChangeHistoryByQuota", kVcpuInput);
  ASSERT_TRUE(byQuota);
  ASSERT_EQ(byQuota->at("RequestedQuotas").as_array().size(), 1u);
  EXPECT_EQ(byQuota->at("RequestedQuotas").as_array()[0].at("DesiredValue").as_double(), 40);
}

TEST_F(QuotasServiceTest, QuotasAreKeptPerAccountAndRegionAcrossARestart) {
  ASSERT_TRUE(call("RequestServiceQuotaIncrease", R"({"ServiceCode": "ec2", "QuotaCode": "L-1216C47A", "DesiredValue": 100})"));
  reopen();
  EXPECT_EQ(call("GetServiceQuota", kVcpuInput)->at("Quota").at("Value").as_double(), 100);
  EXPECT_EQ(call("GetServiceQuota", kVcpuInput, kOther)->at("Quota").at("Value").as_double(), 32);
  EXPECT_EQ(call("GetServiceQuota", kVcpuInput, kAccount, "us-west-1")->at("Quota").at("Value").as_double(), 32);
  EXPECT_EQ(call("GetRequestedServiceQuotaChange", R"({"RequestId": "00000000000000000000000000000001"})")
                ->at("RequestedQuota").at("Status").as_string(),
            "APPROVED");
}

}  // namespace
}  // namespace overcast::quotas
