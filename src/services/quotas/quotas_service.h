// Service Quotas (json 1.1, X-Amz-Target ServiceQuotasV20190624.*, signing name
// "servicequotas"): GetServiceQuota, GetAWSDefaultServiceQuota, ListServiceQuotas,
// ListAWSDefaultServiceQuotas, ListServices, RequestServiceQuotaIncrease (decided at once against
// the admin's ceiling), GetRequestedServiceQuotaChange, ListRequestedServiceQuotaChangeHistory and
// ...ByQuota, over a QuotaBook. See docs/services/ec2.md, "Quotas".
#pragma once

#include <memory>

#include "api/service.h"
#include "services/quotas/quota_book.h"

namespace overcast::quotas {

// The model name (and signing name) of the service.
inline constexpr std::string_view kServiceQuotasName = "servicequotas";

// `book` must outlive the service.
std::unique_ptr<api::Service> makeServiceQuotasService(QuotaBook& book);

}  // namespace overcast::quotas
