// The generic decoders and encoders, one per wire protocol, driven by the service model.
//
// The value tree (boost::json) is what handlers see and return:
//   structure -> object keyed by the model's member names ("DryRun", "Filters", "RegionNames")
//   list -> array; map -> object; string/enum -> string; integer/long -> int64;
//   float/double -> double; boolean -> bool; blob -> string of raw bytes;
//   timestamp -> int64 milliseconds since the Unix epoch.
// Decoding checks the tree against the input shape (types, required members, enums where
// AWS checks them); encoding writes only members the output shape defines.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/error.h"
#include "core/http_message.h"
#include "core/result.h"
#include "protocol/service_model.h"

namespace overcast::protocol {

// Query-string / form-body parameters, percent-decoded ('+' is a space), in order.
using Params = std::vector<std::pair<std::string, std::string>>;

// The most parameters one query string or form body may carry. AWS's largest legitimate
// requests (1,000 ids, batches of 10 entries with 10 attributes) stay far below it.
inline constexpr size_t kMaxParams = 5000;

// Parses "a=1&b=2". Errors: MalformedQueryString on a bad percent escape;
// InvalidParameterValue for a name or value that is not UTF-8, or more than kMaxParams pairs.
Result<Params> parseFormEncoded(std::string_view text);

// Query (SNS, SQS-query, STS) and EC2 parameter decoding: `Filter.1.Value.1`, `member.N`,
// `entry.N.key`, flattened lists and maps, per the model and `wire`. Unknown parameters are
// ignored (as AWS does); "Action", "Version" and the X-Amz-* auth parameters are skipped.
// Errors: MissingParameter, InvalidParameterValue (a value of the wrong type).
Result<boost::json::object> decodeQueryInput(const ServiceModel& model, const Operation& op,
                                             Protocol wire, const Params& params);

// JSON protocol body decoding. Errors: SerializationException (not JSON / wrong types),
// MissingParameter / InvalidParameterValue as above.
Result<boost::json::object> decodeJsonInput(const ServiceModel& model, const Operation& op,
                                            std::string_view body);

// A successful response in the `wire` protocol: query XML (<XResponse><XResult>… with
// ResponseMetadata/RequestId), EC2 XML (lowerCamel, <item> lists, <requestId>;
// <return>true</return> for operations without output) or JSON.
HttpResponse encodeOutput(const ServiceModel& model, const Operation& op, Protocol wire,
                          const boost::json::object& output, std::string_view requestId);
// The same, consuming `output` (the JSON encoder then shapes it in place instead of a copy).
HttpResponse encodeOutput(const ServiceModel& model, const Operation& op, Protocol wire,
                          boost::json::object&& output, std::string_view requestId);

// A query-protocol success as JSON, for clients that ask with ContentType=JSON (boto 2's
// SNS): {"<Op>Response": {"<Op>Result": output, "ResponseMetadata": {"RequestId": id}}}.
HttpResponse encodeQueryJson(const Operation& op, boost::json::object&& output, std::string_view requestId);

// An error response in the `wire` protocol's error shape (aws-reference.md §A3–A5).
HttpResponse encodeError(const ServiceModel* model, Protocol wire, const Error& error,
                         std::string_view requestId);

}  // namespace overcast::protocol
