#include "services/quotas/quotas_service.h"

#include <chrono>
#include <memory>

#include <boost/json.hpp>

#include "api/input.h"
#include "core/id_generator.h"

namespace overcast::quotas {
namespace {

namespace json = boost::json;
using api::Output;
using api::Reply;

constexpr int64_t kMaxPage = 100;  // the model's MaxResults maximum, and the default page

int64_t millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}


// The ServiceQuota shape. An empty `account` describes AWS's default.
json::object quotaView(const QuotaInfo& q, std::string_view region, std::string_view account, double value) {
  return json::object{{"ServiceCode", q.serviceCode},
                      {"ServiceName", findService(q.serviceCode)->name},
                      {"QuotaArn", quotaArn(region, account, q.serviceCode, q.quotaCode)},
                      {"QuotaCode", q.quotaCode},
                      {"QuotaName", q.quotaName},
                      {"Value", value},
                      {"Unit", "None"},
                      {"Adjustable", true},
                      {"GlobalQuota", false},
                      {"QuotaAppliedAtLevel", "ACCOUNT"}};
}

// The RequestedServiceQuotaChange shape.
json::object requestView(const QuotaRequest& r) {
  const QuotaInfo* q = findQuota(r.serviceCode, r.quotaCode);
  const ServiceInfo* s = findService(r.serviceCode);
  json::object requester{{"accountId", r.accountId}, {"callerArn", "arn:aws:iam::" + r.accountId + ":root"}};
  return json::object{{"Id", r.id},
                      {"ServiceCode", r.serviceCode},
                      {"ServiceName", s ? s->name : std::string_view()},
                      {"QuotaCode", r.quotaCode},
                      {"QuotaName", q ? q->quotaName : std::string_view()},
                      {"DesiredValue", r.desiredValue},
                      {"Status", r.status},
                      {"Created", millis(r.created)},
                      {"LastUpdated", millis(r.lastUpdated)},
                      {"Requester", json::serialize(requester)},
                      {"QuotaArn", quotaArn(r.region, r.accountId, r.serviceCode, r.quotaCode)},
                      {"GlobalQuota", false},
                      {"Unit", "None"},
                      {"QuotaRequestedAtLevel", "ACCOUNT"}};
}

// A page of `items` (each with its key): those from the token's key on, at most MaxResults.
// The token is the key of the first item of the next page.
Result<Output> page(std::vector<std::pair<std::string, json::object>> items, const json::object& in,
                    std::string_view listName) {
  int64_t max = api::intOf(in, "MaxResults").value_or(kMaxPage);
  if (max < 1 || max > kMaxPage)
    return Error(ErrorCode::IllegalArgument, "MaxResults must be between 1 and 100.");
  size_t first = 0;
  if (auto token = api::stringOf(in, "NextToken"); !token.empty()) {
    while (first < items.size() && items[first].first != token) ++first;
    if (first == items.size())
      return Error(ErrorCode::QuotasInvalidPaginationToken, "Invalid pagination token.");
  }
  Output out;
  json::array list;
  size_t end = std::min(items.size(), first + static_cast<size_t>(max));
  for (size_t i = first; i < end; ++i) list.push_back(std::move(items[i].second));
  if (end < items.size()) out["NextToken"] = items[end].first;
  out[listName] = std::move(list);
  return out;
}

Result<const QuotaInfo*> knownQuota(const json::object& in) {
  auto service = api::stringOf(in, "ServiceCode");
  auto code = api::stringOf(in, "QuotaCode");
  if (const QuotaInfo* q = findQuota(service, code)) return q;
  if (!findService(service))
    return Error(ErrorCode::NoSuchResource, "The request failed because the specified service does not exist.");
  return Error(ErrorCode::NoSuchResource, "The request failed because the specified quota does not exist.");
}

Result<std::span<const QuotaInfo>> knownService(const json::object& in) {
  auto service = api::stringOf(in, "ServiceCode");
  if (!findService(service))
    return Error(ErrorCode::NoSuchResource, "The request failed because the specified service does not exist.");
  return quotasOf(service);
}

// Request history: those matching the optional Status, newest first.
Result<Output> history(std::vector<QuotaRequest> requests, const json::object& in) {
  auto status = api::stringOf(in, "Status");
  std::vector<std::pair<std::string, json::object>> items;
  for (const auto& r : requests)
    if (status.empty() || r.status == status) items.emplace_back(r.id, requestView(r));
  return page(std::move(items), in, "RequestedQuotas");
}

class ServiceQuotasService final : public api::TableService {
 public:
  // Account values and requests go; the admin's ceilings stay.
  void reset(std::function<void(Result<void>)> done) override { book_.resetAccounts(std::move(done)); }
  explicit ServiceQuotasService(QuotaBook& book) : book_(book) {
    addSync("GetServiceQuota", [this](const RequestContext& ctx, const json::object& in) -> Result<Output> {
      auto q = knownQuota(in);
      if (!q) return q.error();
      auto value = book_.value(ctx.accountId, ctx.region, (*q)->serviceCode, (*q)->quotaCode);
      if (!value) return value.error();
      return Output{{"Quota", quotaView(**q, ctx.region, ctx.accountId, *value)}};
    });
    addSync("GetAWSDefaultServiceQuota", [](const RequestContext& ctx, const json::object& in) -> Result<Output> {
      auto q = knownQuota(in);
      if (!q) return q.error();
      return Output{{"Quota", quotaView(**q, ctx.region, "", (*q)->defaultValue)}};
    });
    addSync("ListServiceQuotas", [this](const RequestContext& ctx, const json::object& in) -> Result<Output> {
      auto quotas = knownService(in);
      if (!quotas) return quotas.error();
      auto only = api::stringOf(in, "QuotaCode");
      std::vector<std::pair<std::string, json::object>> items;
      for (const auto& q : *quotas) {
        if (!only.empty() && q.quotaCode != only) continue;
        auto value = book_.value(ctx.accountId, ctx.region, q.serviceCode, q.quotaCode);
        if (!value) return value.error();
        items.emplace_back(std::string(q.quotaCode), quotaView(q, ctx.region, ctx.accountId, *value));
      }
      return page(std::move(items), in, "Quotas");
    });
    addSync("ListAWSDefaultServiceQuotas", [](const RequestContext& ctx, const json::object& in) -> Result<Output> {
      auto quotas = knownService(in);
      if (!quotas) return quotas.error();
      std::vector<std::pair<std::string, json::object>> items;
      for (const auto& q : *quotas)
        items.emplace_back(std::string(q.quotaCode), quotaView(q, ctx.region, "", q.defaultValue));
      return page(std::move(items), in, "Quotas");
    });
    addSync("ListServices", [](const RequestContext&, const json::object& in) -> Result<Output> {
      std::vector<std::pair<std::string, json::object>> items;
      for (const auto& s : knownServices())
        items.emplace_back(std::string(s.code), json::object{{"ServiceCode", s.code}, {"ServiceName", s.name}});
      return page(std::move(items), in, "Services");
    });
    add("RequestServiceQuotaIncrease", [this](const RequestContext& ctx, json::object in, Reply reply) {
      QuotaRequest request;
      request.id = ctx.ids->randomHex(16);
      request.accountId = ctx.accountId;
      request.region = ctx.region;
      request.serviceCode = api::stringOf(in, "ServiceCode");
      request.quotaCode = api::stringOf(in, "QuotaCode");
      request.desiredValue = api::doubleOf(in, "DesiredValue").value_or(-1);
      request.created = request.lastUpdated = ctx.now;
      book_.requestIncrease(std::move(request), [reply = std::move(reply)](Result<QuotaRequest> r) {
        if (!r) return reply(r.error());
        reply(Output{{"RequestedQuota", requestView(*r)}});
      });
    });
    addSync("GetRequestedServiceQuotaChange",
            [this](const RequestContext& ctx, const json::object& in) -> Result<Output> {
              auto r = book_.findRequest(ctx.accountId, api::stringOf(in, "RequestId"));
              if (!r)
                return Error(ErrorCode::NoSuchResource,
                             "The request failed because the specified quota increase request does not exist.");
              return Output{{"RequestedQuota", requestView(*r)}};
            });
    addSync("ListRequestedServiceQuotaChangeHistory",
            [this](const RequestContext& ctx, const json::object& in) -> Result<Output> {
              auto service = api::stringOf(in, "ServiceCode");
              if (!service.empty() && !findService(service))
                return Error(ErrorCode::NoSuchResource,
                             "The request failed because the specified service does not exist.");
              return history(book_.requests(ctx.accountId, ctx.region, service, ""), in);
            });
    addSync("ListRequestedServiceQuotaChangeHistoryByQuota",
            [this](const RequestContext& ctx, const json::object& in) -> Result<Output> {
              auto q = knownQuota(in);
              if (!q) return q.error();
              return history(book_.requests(ctx.accountId, ctx.region, (*q)->serviceCode, (*q)->quotaCode), in);
            });
  }
  std::string_view name() const override { return kServiceQuotasName; }

 private:
  QuotaBook& book_;
};

}  // namespace

std::unique_ptr<api::Service> makeServiceQuotasService(QuotaBook& book) {
  return std::make_unique<ServiceQuotasService>(book);
}

}  // namespace overcast::quotas
