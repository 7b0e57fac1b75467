// The per-protocol success encoders behind encodeOutput (codec.h). Internal to src/protocol.
#pragma once

#include <string_view>

#include <boost/json/object.hpp>

#include "core/http_message.h"
#include "protocol/service_model.h"

namespace overcast::protocol::detail {

HttpResponse encodeQueryXml(const ServiceModel& model, const Operation& op,
                            const boost::json::object& output, std::string_view requestId);
HttpResponse encodeEc2Xml(const ServiceModel& model, const Operation& op,
                          const boost::json::object& output, std::string_view requestId);
// Shapes `output` in place (it is consumed).
HttpResponse encodeJson(const ServiceModel& model, const Operation& op, boost::json::object&& output,
                        std::string_view requestId);

// "application/x-amz-json-1.0" or "-1.1" per the model's jsonVersion (1.0 when unset).
std::string jsonContentType(const ServiceModel* model);

}  // namespace overcast::protocol::detail
