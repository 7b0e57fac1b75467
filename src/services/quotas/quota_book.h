// QuotaBook: every account's Service Quotas values, per (account, region, service code, quota
// code), and the ceilings up to which increase requests are granted at once. EC2 reads it as its
// QuotaSource on every RunInstances; the Service Quotas API and `overcast admin quota` change it.
//
// Kept in memory, loaded from the store at start (load()), written durably on every change.
// Consistency, as in Ec2Core::mutate: a change is checked and made current under the exclusive
// lock (later reads see it), its write is queued under that lock (the store sees changes in
// memory's order), and `done` runs once it is durable. Reads take the shared lock and never
// touch the store, so they are safe and cheap on I/O threads.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/result.h"
#include "services/ec2/quota_source.h"
#include "services/quotas/quota_catalog.h"
#include "services/quotas/quota_store.h"
#include "store/store.h"

namespace overcast::quotas {

class QuotaBook final : public ec2::QuotaSource {
 public:
  // `store` must outlive the book.
  explicit QuotaBook(store::Store& store);

  // Reads every value, ceiling and request from the store (blocking: call at start).
  Result<void> load();

  // ec2::QuotaSource: the value of an "ec2" quota (its default if never set or unknown).
  double ec2Quota(std::string_view account, std::string_view region, std::string_view quotaCode) const override;

  // The quota's value for the account in the region. NoSuchResource for an unknown service or quota.
  Result<double> value(std::string_view account, std::string_view region, std::string_view serviceCode,
                       std::string_view quotaCode) const;
  // The highest value an increase request is granted at once. NoSuchResource as value().
  Result<double> ceiling(std::string_view serviceCode, std::string_view quotaCode) const;
  // The values set for an account (not the defaults), by region, service and quota code.
  std::vector<StoredQuota> valuesOf(std::string_view account) const;

  using Done = std::function<void(Result<void>)>;
  // Sets the value directly (the admin's "request form": any value in [0, kMaxQuotaValue]).
  // Errors (to `done`, at once): NoSuchResource, IllegalArgument (value out of range).
  void setValue(std::string account, std::string region, std::string serviceCode, std::string quotaCode,
                double value, Done done);
  // Sets the ceiling for every account and region. Errors as setValue.
  void setCeiling(std::string serviceCode, std::string quotaCode, double value, Done done);

  using RequestDone = std::function<void(Result<QuotaRequest>)>;
  // RequestServiceQuotaIncrease: `request` names account, region, service, quota, desired value,
  // id and time. At most the ceiling: APPROVED, and the value becomes the desired one; above it:
  // DENIED, and the value stays. Both are recorded. Errors: NoSuchResource, IllegalArgument (below
  // the current value, or out of range).
  void requestIncrease(QuotaRequest request, RequestDone done);

  // A request of the account by id.
  std::optional<QuotaRequest> findRequest(std::string_view account, std::string_view id) const;
  // The account's requests in a region, newest first; empty codes match any.
  std::vector<QuotaRequest> requests(std::string_view account, std::string_view region, std::string_view serviceCode,
                                     std::string_view quotaCode) const;

  // Test rigs (`serve --allow-reset`): every account's values and requests go back to nothing
  // (defaults); the admin's ceilings stay. `done` once durable.
  void resetAccounts(Done done);

  // setValue and setCeiling, waiting until durable (their completion runs on the store's writer
  // thread, so these never wait on the I/O threads): for the admin API's thread and tools;
  // never on an I/O thread.
  Result<void> setValueSync(std::string account, std::string region, std::string serviceCode, std::string quotaCode,
                            double value);
  Result<void> setCeilingSync(std::string serviceCode, std::string quotaCode, double value);

 private:
  // (account, region, service code, quota code); ceilings use ("", "*", ...).
  using Key = std::tuple<std::string, std::string, std::string, std::string>;

  Result<double> valueLocked(std::string_view account, std::string_view region, const QuotaInfo& quota) const;
  double ceilingLocked(const QuotaInfo& quota) const;
  void set(Key key, bool isCeiling, double value, Done done, bool inlineDone);
  // Queues `fn` (call under the exclusive lock); `done` once durable.
  void submit(store::Store::WriteFn fn, Done done, bool inlineDone);

  store::Store& store_;
  mutable std::shared_mutex mutex_;
  std::map<Key, double, std::less<>> values_;    // GUARDED_BY(mutex_)
  std::map<Key, double, std::less<>> ceilings_;  // GUARDED_BY(mutex_)
  std::vector<QuotaRequest> requests_;           // GUARDED_BY(mutex_), oldest first
};

}  // namespace overcast::quotas
