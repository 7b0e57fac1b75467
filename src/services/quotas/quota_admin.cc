#include "services/quotas/quota_admin.h"

#include <algorithm>
#include <optional>

#include "api/input.h"
#include "core/regions.h"

namespace overcast::quotas {
namespace {

namespace json = boost::json;

Error invalid(std::string message) { return Error(ErrorCode::InvalidParameterValue, std::move(message)); }

Result<std::string> accountOf(const json::object& in, const std::function<bool(std::string_view)>& accountExists) {
  auto account = api::stringOf(in, "AccountId");
  if (account.empty()) return invalid("AccountId is required.");
  if (!accountExists(account)) return invalid("No account " + account + ".");
  return account;
}

Result<std::string> regionOf(const json::object& in, bool required) {
  auto region = api::stringOf(in, "Region");
  if (region.empty() && !required) return region;
  if (!findRegion(region)) return invalid("Region '" + region + "' is not a region overcast serves.");
  return region;
}

json::object row(const QuotaBook& book, const QuotaInfo& q, std::string_view region, double value) {
  return json::object{{"Region", region},
                      {"ServiceCode", q.serviceCode},
                      {"QuotaCode", q.quotaCode},
                      {"QuotaName", q.quotaName},
                      {"Value", value},
                      {"Default", q.defaultValue},
                      {"Ceiling", *book.ceiling(q.serviceCode, q.quotaCode)}};
}

}  // namespace

bool isQuotaAdminAction(std::string_view action) {
  return std::find(kQuotaAdminActions.begin(), kQuotaAdminActions.end(), action) != kQuotaAdminActions.end();
}

Result<json::object> runQuotaAdminAction(QuotaBook& book, const json::object& request,
                                         const std::function<bool(std::string_view)>& accountExists) {
  const std::string action = api::stringOf(request, "Action");
  if (action == "ListQuotas") {
    auto account = accountOf(request, accountExists);
    if (!account) return account.error();
    auto region = regionOf(request, false);
    if (!region) return region.error();
    json::array out;
    for (const auto& service : knownServices()) {
      for (const auto& q : quotasOf(service.code)) {
        if (!region->empty()) {
          out.push_back(row(book, q, *region, *book.value(*account, *region, q.serviceCode, q.quotaCode)));
        } else {
          out.push_back(row(book, q, "*", q.defaultValue));
        }
      }
    }
    if (region->empty())
      for (const auto& stored : book.valuesOf(*account))
        if (const QuotaInfo* q = findQuota(stored.serviceCode, stored.quotaCode))
          out.push_back(row(book, *q, stored.region, stored.value));
    return json::object{{"AccountId", *account}, {"Quotas", std::move(out)}};
  }

  const bool ceiling = action == "SetQuotaCeiling";
  if (!ceiling && action != "SetQuota") return Error(ErrorCode::InvalidAction, "Unknown admin action '" + action + "'.");
  auto serviceCode = api::stringOf(request, "ServiceCode");
  auto quotaCode = api::stringOf(request, "QuotaCode");
  auto value = api::doubleOf(request, "Value");
  if (serviceCode.empty() || quotaCode.empty() || !value)
    return invalid("ServiceCode, QuotaCode and a numeric Value are required.");
  if (ceiling) {
    if (auto r = book.setCeilingSync(serviceCode, quotaCode, *value); !r) return r.error();
    return json::object{{"ServiceCode", serviceCode}, {"QuotaCode", quotaCode}, {"Ceiling", *value}};
  }
  auto account = accountOf(request, accountExists);
  if (!account) return account.error();
  auto region = regionOf(request, true);
  if (!region) return region.error();
  if (auto r = book.setValueSync(*account, *region, serviceCode, quotaCode, *value); !r) return r.error();
  return json::object{{"AccountId", *account},
                      {"Region", *region},
                      {"ServiceCode", serviceCode},
                      {"QuotaCode", quotaCode},
                      {"Value", *value}};
}

}  // namespace overcast::quotas
