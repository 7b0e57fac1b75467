#include "api/router.h"

#include <array>

#include "core/regions.h"

namespace overcast::api {
namespace {

using protocol::Protocol;

std::string_view paramValue(const protocol::Params& params, std::string_view name) {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return {};
}

bool hasParam(const protocol::Params& params, std::string_view name) {
  for (const auto& [k, v] : params)
    if (k == name) return true;
  return false;
}

// "sqs.us-east-1.amazonaws.com:443" -> labels; port stripped.
std::array<std::string_view, 2> hostLabels(std::string_view host) {
  if (auto colon = host.rfind(':'); colon != std::string_view::npos && host.find(']') == std::string_view::npos)
    host = host.substr(0, colon);
  std::array<std::string_view, 2> out{};
  auto dot = host.find('.');
  out[0] = host.substr(0, dot);
  if (dot != std::string_view::npos) {
    auto rest = host.substr(dot + 1);
    out[1] = rest.substr(0, rest.find('.'));
  }
  return out;
}

const protocol::ServiceModel* serviceByName(const protocol::ModelRegistry& models, std::string_view name) {
  if (name.empty()) return nullptr;
  return models.service(name);
}

// Among several services defining `action`, the one the request means.
const protocol::ServiceModel* disambiguate(const std::vector<const protocol::ServiceModel*>& candidates,
                                           const protocol::Params& params, std::string_view hostService) {
  std::string_view version = paramValue(params, "Version");
  for (const auto* m : candidates)
    if (!version.empty() && m->apiVersion() == version) {
      // SNS and SQS have different versions; same-version ties fall through.
      int same = 0;
      for (const auto* o : candidates) same += o->apiVersion() == version;
      if (same == 1) return m;
    }
  auto pick = [&](std::string_view name) -> const protocol::ServiceModel* {
    for (const auto* m : candidates)
      if (m->name() == name) return m;
    return nullptr;
  };
  if (hasParam(params, "QueueUrl") || hasParam(params, "QueueName") || hasParam(params, "QueueNamePrefix"))
    if (auto* m = pick("sqs")) return m;
  if (hasParam(params, "TopicArn") || hasParam(params, "SubscriptionArn") || hasParam(params, "ResourceArn"))
    if (auto* m = pick("sns")) return m;
  if (auto* m = pick(hostService)) return m;
  return candidates.front();
}

}  // namespace

Protocol guessWire(const HttpRequest& request) {
  if (request.hasHeader("X-Amz-Target")) return Protocol::Json;
  auto type = request.header("Content-Type");
  if (type.find("application/x-amz-json") != std::string_view::npos) return Protocol::Json;
  return Protocol::Query;
}

Result<Route> route(const HttpRequest& request, const protocol::Params& params,
                    const auth::SignatureInfo* signature, const protocol::ModelRegistry& models,
                    std::string_view defaultRegion, Route& partial) {
  partial = Route{};
  auto host = hostLabels(request.header("Host"));

  // Region: scope, then host, then default.
  if (signature && findRegion(signature->scope.region)) partial.region = signature->scope.region;
  else if (findRegion(host[1])) partial.region = std::string(host[1]);
  else partial.region = std::string(defaultRegion);

  std::string_view target = request.header("X-Amz-Target");
  const protocol::ServiceModel* model = nullptr;
  if (signature) model = serviceByName(models, signature->scope.service);

  std::string_view action;
  if (!target.empty()) {
    auto dot = target.rfind('.');
    std::string_view prefix = target.substr(0, dot == std::string_view::npos ? 0 : dot);
    action = dot == std::string_view::npos ? target : target.substr(dot + 1);
    if (!model)
      for (std::string_view name : {"sqs", "ec2", "sns", "sts", "servicequotas"})
        if (auto* m = models.service(name); m && !m->targetPrefix().empty() && m->targetPrefix() == prefix) model = m;
  } else {
    action = paramValue(params, "Action");
    if (!model && !action.empty()) {
      auto candidates = models.servicesWithOperation(action);
      if (!candidates.empty()) model = disambiguate(candidates, params, host[0]);
    }
  }
  if (!model) model = serviceByName(models, host[0]);
  partial.model = model;
  partial.action = std::string(action);

  if (model && model->name() == "sqs") partial.wire = guessWire(request);
  else if (model) partial.wire = model->protocol();
  else partial.wire = guessWire(request);

  const bool json = partial.wire == Protocol::Json;
  if (action.empty()) {
    if (json) return Error(ErrorCode::UnknownOperation, "Missing or malformed X-Amz-Target header.");
    return Error(ErrorCode::InvalidAction, "Could not find operation: the request has no Action parameter.");
  }
  if (!model || !model->operation(action)) {
    if (json) return Error(ErrorCode::UnknownOperation, "Unknown operation " + std::string(action) + ".");
    return Error(ErrorCode::InvalidAction,
                 "The action " + std::string(action) + " is not valid for this web service.");
  }
  return partial;
}

}  // namespace overcast::api
