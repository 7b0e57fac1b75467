// Routing: which service, wire protocol, action and region a request is for. Pure.
//
// Service: the SigV4 credential scope if it names a service we serve, else X-Amz-Target
// (JSON protocol), else the Action parameter (when several services define it, the Version
// and then QueueUrl/TopicArn decide), else the Host name ("sqs.us-east-1.amazonaws.com").
// Region: the scope's region if it is a real region, else the Host's, else the default.
// boto 2 against 127.0.0.1 signs service "127" and region "0": those fall through to the
// other signals, as they must.
#pragma once

#include <string>
#include <string_view>

#include "auth/sigv4.h"
#include "core/http_message.h"
#include "core/result.h"
#include "protocol/codec.h"
#include "protocol/service_model.h"

namespace overcast::api {

struct Route {
  const protocol::ServiceModel* model = nullptr;
  protocol::Protocol wire = protocol::Protocol::Query;
  std::string action;
  std::string region;
};

// The protocol to answer in when routing failed: JSON if the request looks like JSON protocol.
protocol::Protocol guessWire(const HttpRequest& request);

// Errors: InvalidAction (no or unknown action), UnknownOperation (JSON protocol).
// `route.model` is set whenever the service was found, even if the action was not.
Result<Route> route(const HttpRequest& request, const protocol::Params& params,
                    const auth::SignatureInfo* signature, const protocol::ModelRegistry& models,
                    std::string_view defaultRegion, Route& partial);

}  // namespace overcast::api
