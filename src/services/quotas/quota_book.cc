#include "services/quotas/quota_book.h"

#include <cmath>
#include <future>
#include <mutex>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace overcast::quotas {
namespace {

using ViewKey = std::tuple<std::string_view, std::string_view, std::string_view, std::string_view>;

constexpr std::string_view kEveryAccount = "";
constexpr std::string_view kEveryRegion = "*";

Error noSuchQuota(std::string_view serviceCode, std::string_view quotaCode) {
  if (!findService(serviceCode))
    return Error(ErrorCode::NoSuchResource, "The request failed because the specified service does not exist.");
  return Error(ErrorCode::NoSuchResource, fmt::format("The request failed because the specified quota {} does not "
                                                      "exist for the service {}.",
                                                      quotaCode, serviceCode));
}

Result<void> checkRange(double value) {
  if (!std::isfinite(value) || value < 0 || value > kMaxQuotaValue)
    return Error(ErrorCode::IllegalArgument,
                 fmt::format("The quota value must be between 0 and {:.0f}.", kMaxQuotaValue));
  return {};
}

}  // namespace

QuotaBook::QuotaBook(store::Store& store) : store_(store) {}

Result<void> QuotaBook::load() {
  std::vector<StoredQuota> rows;
  std::vector<QuotaRequest> requests;
  auto read = store_.read([&](store::ReadTxn& txn) -> Result<void> {
    auto q = loadQuotas(txn);
    if (!q) return q.error();
    rows = std::move(*q);
    auto r = loadRequests(txn);
    if (!r) return r.error();
    requests = std::move(*r);
    return {};
  });
  if (!read) return read.error();
  std::unique_lock lock(mutex_);
  values_.clear();
  ceilings_.clear();
  for (auto& row : rows) {
    Key key{std::move(row.accountId), std::move(row.region), std::move(row.serviceCode), std::move(row.quotaCode)};
    if (row.kind == kCeilingKind) ceilings_[std::move(key)] = row.value;
    else if (row.kind == kValueKind) values_[std::move(key)] = row.value;
  }
  requests_ = std::move(requests);
  return {};
}

double QuotaBook::ec2Quota(std::string_view account, std::string_view region, std::string_view quotaCode) const {
  const QuotaInfo* quota = findQuota("ec2", quotaCode);
  if (!quota) return quotaCode == ec2::kStandardVcpuQuota ? ec2::kDefaultStandardVcpuQuota
                                                          : ec2::kDefaultInstanceCountQuota;
  std::shared_lock lock(mutex_);
  auto v = valueLocked(account, region, *quota);
  return v ? *v : quota->defaultValue;
}

Result<double> QuotaBook::valueLocked(std::string_view account, std::string_view region,
                                      const QuotaInfo& quota) const {
  auto it = values_.find(ViewKey{account, region, quota.serviceCode, quota.quotaCode});
  return it == values_.end() ? quota.defaultValue : it->second;
}

double QuotaBook::ceilingLocked(const QuotaInfo& quota) const {
  auto it = ceilings_.find(ViewKey{kEveryAccount, kEveryRegion, quota.serviceCode, quota.quotaCode});
  return it == ceilings_.end() ? quota.defaultCeiling : it->second;
}

Result<double> QuotaBook::value(std::string_view account, std::string_view region, std::string_view serviceCode,
                                std::string_view quotaCode) const {
  const QuotaInfo* quota = findQuota(serviceCode, quotaCode);
  if (!quota) return noSuchQuota(serviceCode, quotaCode);
  std::shared_lock lock(mutex_);
  return valueLocked(account, region, *quota);
}

Result<double> QuotaBook::ceiling(std::string_view serviceCode, std::string_view quotaCode) const {
  const QuotaInfo* quota = findQuota(serviceCode, quotaCode);
  if (!quota) return noSuchQuota(serviceCode, quotaCode);
  std::shared_lock lock(mutex_);
  return ceilingLocked(*quota);
}

std::vector<StoredQuota> QuotaBook::valuesOf(std::string_view account) const {
  std::vector<StoredQuota> out;
  std::shared_lock lock(mutex_);
  for (const auto& [key, value] : values_) {
    const auto& [a, region, service, quota] = key;
    if (a == account) out.push_back({a, region, service, quota, std::string(kValueKind), value});
  }
  return out;
}

void QuotaBook::setValue(std::string account, std::string region, std::string serviceCode, std::string quotaCode,
                         double value, Done done) {
  set(Key{std::move(account), std::move(region), std::move(serviceCode), std::move(quotaCode)}, false, value,
      std::move(done), false);
}

void QuotaBook::setCeiling(std::string serviceCode, std::string quotaCode, double value, Done done) {
  set(Key{std::string(kEveryAccount), std::string(kEveryRegion), std::move(serviceCode), std::move(quotaCode)}, true,
      value, std::move(done), false);
}

namespace {

Result<void> waitFor(const std::function<void(QuotaBook::Done)>& start) {
  auto promise = std::make_shared<std::promise<Result<void>>>();
  auto result = promise->get_future();
  start([promise](Result<void> r) { promise->set_value(std::move(r)); });
  return result.get();
}

}  // namespace

Result<void> QuotaBook::setValueSync(std::string account, std::string region, std::string serviceCode,
                                     std::string quotaCode, double value) {
  Key key{std::move(account), std::move(region), std::move(serviceCode), std::move(quotaCode)};
  return waitFor([&](Done done) { set(std::move(key), false, value, std::move(done), true); });
}

Result<void> QuotaBook::setCeilingSync(std::string serviceCode, std::string quotaCode, double value) {
  Key key{std::string(kEveryAccount), std::string(kEveryRegion), std::move(serviceCode), std::move(quotaCode)};
  return waitFor([&](Done done) { set(std::move(key), true, value, std::move(done), true); });
}

void QuotaBook::set(Key key, bool isCeiling, double value, Done done, bool inlineDone) {
  auto& [account, region, serviceCode, quotaCode] = key;
  if (!findQuota(serviceCode, quotaCode)) return done(noSuchQuota(serviceCode, quotaCode));
  if (auto ok = checkRange(value); !ok) return done(ok.error());
  StoredQuota row{account, region, serviceCode, quotaCode, std::string(isCeiling ? kCeilingKind : kValueKind), value};
  std::unique_lock lock(mutex_);
  (isCeiling ? ceilings_ : values_)[std::move(key)] = value;
  submit([row = std::move(row)](store::WriteTxn& txn) { return saveQuota(txn, row); }, std::move(done), inlineDone);
}

void QuotaBook::requestIncrease(QuotaRequest request, RequestDone done) {
  const QuotaInfo* quota = findQuota(request.serviceCode, request.quotaCode);
  if (!quota) return done(noSuchQuota(request.serviceCode, request.quotaCode));
  if (auto ok = checkRange(request.desiredValue); !ok) return done(ok.error());
  std::unique_lock lock(mutex_);
  const double current = *valueLocked(request.accountId, request.region, *quota);
  if (request.desiredValue < current) {
    lock.unlock();
    return done(Error(ErrorCode::IllegalArgument,
                      fmt::format("The desired value {} is lower than the current quota value {}.",
                                  request.desiredValue, current)));
  }
  const bool granted = request.desiredValue <= ceilingLocked(*quota);
  request.status = granted ? "APPROVED" : "DENIED";
  std::optional<StoredQuota> row;
  if (granted) {
    row = StoredQuota{request.accountId, request.region, request.serviceCode, request.quotaCode,
                      std::string(kValueKind), request.desiredValue};
    values_[Key{row->accountId, row->region, row->serviceCode, row->quotaCode}] = row->value;
  }
  requests_.push_back(request);
  submit(
      [row = std::move(row), request](store::WriteTxn& txn) -> Result<void> {
        if (row)
          if (auto r = saveQuota(txn, *row); !r) return r.error();
        return saveRequest(txn, request);
      },
      [request, done = std::move(done)](Result<void> r) {
        if (!r) return done(r.error());
        done(request);
      },
      false);
}

void QuotaBook::resetAccounts(Done done) {
  std::unique_lock lock(mutex_);
  values_.clear();
  requests_.clear();
  submit([](store::WriteTxn& txn) { return deleteAccountQuotas(txn); }, std::move(done), false);
}

std::optional<QuotaRequest> QuotaBook::findRequest(std::string_view account, std::string_view id) const {
  std::shared_lock lock(mutex_);
  for (const auto& r : requests_)
    if (r.id == id && r.accountId == account) return r;
  return std::nullopt;
}

std::vector<QuotaRequest> QuotaBook::requests(std::string_view account, std::string_view region,
                                              std::string_view serviceCode, std::string_view quotaCode) const {
  std::vector<QuotaRequest> out;
  std::shared_lock lock(mutex_);
  for (auto it = requests_.rbegin(); it != requests_.rend(); ++it)
    if (it->accountId == account && it->region == region && (serviceCode.empty() || it->serviceCode == serviceCode) &&
        (quotaCode.empty() || it->quotaCode == quotaCode))
      out.push_back(*it);
  return out;
}

void QuotaBook::submit(store::Store::WriteFn fn, Done done, bool inlineDone) {
  auto stored = [done = std::move(done)](Result<void> r) {
    if (!r) {
      spdlog::error("service quotas: a change was not stored: {}", r.error().message());
      return done(Error(ErrorCode::InternalFailure, "The change could not be stored."));
    }
    done(r);
  };
  if (inlineDone)
    store_.writeInline(std::move(fn), std::move(stored));
  else
    store_.write(std::move(fn), std::move(stored));
}

}  // namespace overcast::quotas
