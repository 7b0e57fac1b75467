#include "api/dispatcher.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <utility>
#include <vector>

#include "api/router.h"
#include "protocol/codec.h"

namespace overcast::api {

using protocol::Protocol;

struct Dispatcher::Call {
  HttpRequest request;
  Respond respond;
  RequestContext ctx;
  Route route;
  std::chrono::steady_clock::time_point start;
};

Dispatcher::Dispatcher(const protocol::ModelRegistry& models, const auth::CredentialStore& keys,
                       const Clock& clock, IdGenerator& ids, RequestObserver& observer,
                       DispatcherOptions options)
    : models_(models), keys_(keys), clock_(clock), ids_(ids), observer_(observer), options_(std::move(options)) {}

void Dispatcher::addService(std::unique_ptr<Service> service) {
  std::string name(service->name());
  services_.emplace(std::move(name), std::move(service));
}

void Dispatcher::stopServices() {
  for (auto& [name, service] : services_) service->stop();
}

namespace {
// Resets services one after the other (each may finish on another thread).
struct ResetChain : std::enable_shared_from_this<ResetChain> {
  std::vector<Service*> services;
  size_t next = 0;
  std::function<void(Result<void>)> done;
  void run() {
    if (next == services.size()) return std::exchange(done, nullptr)(Result<void>());
    auto self = shared_from_this();
    services[next++]->reset([self](Result<void> r) {
      if (!r) return std::exchange(self->done, nullptr)(std::move(r));
      self->run();
    });
  }
};
}  // namespace

void Dispatcher::resetServices(std::function<void(Result<void>)> done) {
  auto chain = std::make_shared<ResetChain>();
  for (auto& [name, service] : services_) chain->services.push_back(service.get());
  chain->done = std::move(done);
  chain->run();
}

namespace {

// EC2 answers every credential problem with AuthFailure
// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
Error forService(const Route& route, const Error& error) {
  if (!route.model || route.model->name() != "ec2") return error;
  if (error.code() == ErrorCode::InvalidClientTokenId || error.code() == ErrorCode::SignatureDoesNotMatch)
    return Error(ErrorCode::AuthFailure, "AWS was not able to validate the provided access credentials");
  return error;
}

bool isFormBody(const HttpRequest& request) {
  auto type = request.header("Content-Type");
  return type.find("application/x-www-form-urlencoded") != std::string_view::npos;
}

}  // namespace

void Dispatcher::handle(HttpRequest&& request, bool bodyTooLarge, Respond respond) {
  auto call = std::make_shared<Call>();
  call->start = std::chrono::steady_clock::now();
  call->request = std::move(request);
  call->respond = std::move(respond);
  call->ctx.requestId = ids_.uuid();
  call->ctx.now = clock_.now();
  call->ctx.ids = &ids_;
  call->ctx.tls = call->request.tls;
  call->ctx.host = std::string(call->request.header("Host"));
  const HttpRequest& req = call->request;

  // Parameters: the query string, plus a form body.
  auto params = protocol::parseFormEncoded(req.query());
  if (params && !bodyTooLarge && isFormBody(req) && !req.body.empty()) {
    auto body = protocol::parseFormEncoded(req.body);
    if (!body) params = body.error();
    else params->insert(params->end(), std::make_move_iterator(body->begin()), std::make_move_iterator(body->end()));
  }
  const protocol::Params noParams;
  const protocol::Params& p = params ? *params : noParams;

  // Parsed once: the scope routes the request, then the same information is verified.
  auto signature = auth::parseSignatureInfo(req);

  auto routed = route(req, p, signature ? &*signature : nullptr, models_, options_.defaultRegion, call->route);
  call->ctx.region = call->route.region;
  call->ctx.action = call->route.action;
  if (call->route.model) call->ctx.service = call->route.model->name();

  if (bodyTooLarge)
    return fail(call, Error(ErrorCode::RequestEntityTooLarge, "The request body is larger than this server accepts."));

  if (!signature) {
    // An unsigned request is refused, except for the few actions a service opens to links.
    const bool anonymous = signature.error().code() == ErrorCode::MissingAuthenticationToken && routed &&
                           call->route.model && allowsAnonymous(call->route.model->name(), call->route.action);
    if (!anonymous) return fail(call, forService(call->route, signature.error()));
  } else {
    auto verified = auth::verify(req, std::move(*signature), keys_, call->ctx.now, options_.verify, &signingKeys_);
    if (!verified) return fail(call, forService(call->route, verified.error()));
    call->ctx.accountId = verified->credential.accountId;
    call->ctx.accessKeyId = verified->credential.accessKeyId;
  }

  if (!params) return fail(call, params.error());
  if (!routed) return fail(call, routed.error());

  const auto& model = *call->route.model;
  const auto* op = model.operation(call->route.action);
  auto service = services_.find(model.name());
  if (service == services_.end() || !service->second->implements(call->route.action)) {
    if (call->route.wire == Protocol::Json)
      return fail(call, Error(ErrorCode::UnknownOperation, "Operation " + call->route.action + " is not supported."));
    return fail(call, Error(ErrorCode::InvalidAction,
                            "The action " + call->route.action + " is not valid for this web service."));
  }

  // SQS query requests may address the queue by the request path alone (boto 2 does).
  protocol::Params withQueuePath;
  const protocol::Params* queryParams = &p;
  if (model.name() == "sqs" && call->route.wire == Protocol::Query && req.path().size() > 1 &&
      std::none_of(p.begin(), p.end(), [](const auto& kv) { return kv.first == "QueueUrl"; })) {
    withQueuePath = p;
    withQueuePath.emplace_back("QueueUrl", std::string(req.path()));
    queryParams = &withQueuePath;
  }
  auto input = call->route.wire == Protocol::Json ? protocol::decodeJsonInput(model, *op, req.body)
                                                  : protocol::decodeQueryInput(model, *op, call->route.wire, *queryParams);
  if (!input) return fail(call, service->second->inputError(call->route.action, input.error()));

  // EC2's DryRun: the caller is authorized (every key may call every action), so say so.
  if (model.name() == "ec2")
    if (auto* dry = input->if_contains("DryRun"); dry && dry->is_bool() && dry->get_bool())
      return fail(call, Error(ErrorCode::DryRunOperation, "Request would have succeeded, but DryRun flag is set."));

  // boto 2 asks SNS for JSON answers (ContentType=JSON, aws-reference.md §A4).
  const bool jsonAnswer = model.name() == "sns" && call->route.wire == Protocol::Query &&
                          std::any_of(p.begin(), p.end(), [](const auto& kv) {
                            return kv.first == "ContentType" && kv.second == "JSON";
                          });
  service->second->invoke(call->ctx, std::move(*input), [this, call, op, jsonAnswer](Result<Output> output) {
    if (!output) return fail(call, output.error());
    if (jsonAnswer)
      return finish(call, protocol::encodeQueryJson(*op, std::move(*output), call->ctx.requestId), {});
    finish(call,
           protocol::encodeOutput(*call->route.model, *op, call->route.wire, std::move(*output), call->ctx.requestId),
           {});
  });
}

bool Dispatcher::allowsAnonymous(const std::string& service, std::string_view action) const {
  auto it = services_.find(service);
  return it != services_.end() && it->second->allowsAnonymous(action);
}

void Dispatcher::fail(const std::shared_ptr<Call>& call, const Error& error) {
  Protocol wire = call->route.model ? call->route.wire : guessWire(call->request);
  if (call->route.model && call->route.model->name() == "ec2") wire = Protocol::Ec2;
  auto response = protocol::encodeError(call->route.model, wire, error, call->ctx.requestId);
  if (error.code() == ErrorCode::RequestEntityTooLarge) response.closeConnection = true;
  finish(call, std::move(response), error.wireCode());
}

void Dispatcher::finish(const std::shared_ptr<Call>& call, HttpResponse&& response, std::string_view errorCode) {
  RequestRecord record;
  record.requestId = call->ctx.requestId;
  record.accountId = call->ctx.accountId;
  record.service = call->ctx.service;
  record.action = call->ctx.action;
  record.remoteAddress = call->request.remoteAddress;
  record.status = response.status;
  record.arrived = call->ctx.now;
  record.errorCode = errorCode;
  record.micros = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - call->start).count();
  call->respond(std::move(response));
  observer_.onRequest(record);
}

}  // namespace overcast::api
