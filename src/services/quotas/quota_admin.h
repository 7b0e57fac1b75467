// The admin API's quota actions (server/admin_api.h; `overcast admin quota ...`):
//   SetQuota {AccountId, Region, ServiceCode, QuotaCode, Value}: sets the value directly (any
//     value in range: the "request form" of a real account manager);
//   SetQuotaCeiling {ServiceCode, QuotaCode, Value}: the highest value RequestServiceQuotaIncrease
//     grants at once, for every account;
//   ListQuotas {AccountId, Region?}: with a region, every quota there; without, every quota's
//     default (Region "*") and each value set for the account.
// They block until durable: call them on the admin API's thread or from a tool, never on an
// I/O thread.
#pragma once

#include <array>
#include <functional>
#include <string_view>

#include <boost/json/object.hpp>

#include "core/result.h"
#include "services/quotas/quota_book.h"

namespace overcast::quotas {

inline constexpr std::array<std::string_view, 3> kQuotaAdminActions{"SetQuota", "SetQuotaCeiling", "ListQuotas"};

bool isQuotaAdminAction(std::string_view action);

// `accountExists` says whether an AccountId names an account (unknown ones are refused).
// Errors: InvalidParameterValue (missing or bad member, unknown account or region),
// NoSuchResource (unknown service or quota), IllegalArgument (value out of range).
Result<boost::json::object> runQuotaAdminAction(QuotaBook& book, const boost::json::object& request,
                                                const std::function<bool(std::string_view)>& accountExists);

}  // namespace overcast::quotas
