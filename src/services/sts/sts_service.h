// STS: GetCallerIdentity — who signed this request.
#pragma once

#include <memory>

#include "api/service.h"

namespace overcast::sts {

std::unique_ptr<api::Service> makeStsService();

}  // namespace overcast::sts
