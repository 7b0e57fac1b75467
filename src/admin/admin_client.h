// A client for a running server's admin API (server/admin_api.h): one signed JSON POST.
#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "core/result.h"

namespace overcast::admin {

// `endpoint` is "http://host:port". Blocks; for the command line only.
Result<boost::json::object> callAdminApi(const std::string& endpoint, const std::string& accessKeyId,
                                         const std::string& secretAccessKey, const boost::json::object& request);

}  // namespace overcast::admin
