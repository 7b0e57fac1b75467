// The Service Quotas tables (docs/formats.md, migration 8): quota values and ceilings
// (service_quotas) and increase requests (service_quota_requests).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace overcast::quotas {

// service_quotas.kind
inline constexpr std::string_view kValueKind = "value";      // an account's value in a region
inline constexpr std::string_view kCeilingKind = "ceiling";  // account '' and region '*': every account

// One row of service_quotas.
struct StoredQuota {
  std::string accountId;  // '' for a ceiling
  std::string region;     // '*' for a ceiling
  std::string serviceCode;
  std::string quotaCode;
  std::string kind;
  double value = 0;
};

// A RequestServiceQuotaIncrease, decided when made.
struct QuotaRequest {
  std::string id;  // 32 hex digits
  std::string accountId;
  std::string region;
  std::string serviceCode;
  std::string quotaCode;
  double desiredValue = 0;
  std::string status;  // "APPROVED" or "DENIED"
  TimePoint created;
  TimePoint lastUpdated;
};

Result<std::vector<StoredQuota>> loadQuotas(store::ReadTxn& txn);
Result<void> saveQuota(store::WriteTxn& txn, const StoredQuota& q);
// Deletes every account's values and every request (ceilings stay): the test-rig reset.
Result<void> deleteAccountQuotas(store::WriteTxn& txn);
// Every request, oldest first.
Result<std::vector<QuotaRequest>> loadRequests(store::ReadTxn& txn);
Result<void> saveRequest(store::WriteTxn& txn, const QuotaRequest& r);

}  // namespace overcast::quotas
