#include "protocol/service_model.h"

#include <boost/json/parse.hpp>

#include "protocol/generated/models.h"
#include "protocol/model_traits.h"

namespace overcast::protocol {
namespace {

namespace json = boost::json;

std::string stringAt(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

const json::object* objectAt(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

Error modelError(std::string_view service, std::string_view what) {
  return Error(ErrorCode::InternalFailure,
               "service model " + std::string(service) + ": " + std::string(what));
}

}  // namespace

Result<std::unique_ptr<ServiceModel>> ServiceModel::fromJson(std::string_view serviceName,
                                                             const json::object& raw) {
  const json::object* meta = objectAt(raw, "metadata");
  const json::object* ops = objectAt(raw, "operations");
  const json::object* shapes = objectAt(raw, "shapes");
  if (!meta || !ops || !shapes) return modelError(serviceName, "metadata/operations/shapes missing");

  auto model = std::make_unique<ServiceModel>();
  model->name_ = serviceName;
  model->apiVersion_ = stringAt(*meta, "apiVersion");
  model->xmlNamespace_ = stringAt(*meta, "xmlNamespace");
  if (model->xmlNamespace_.empty()) model->xmlNamespace_ = stringAt(*meta, "queryXmlNamespace");
  model->targetPrefix_ = stringAt(*meta, "targetPrefix");
  model->jsonVersion_ = stringAt(*meta, "jsonVersion");
  model->signingName_ = stringAt(*meta, "signingName");
  if (model->signingName_.empty()) model->signingName_ = stringAt(*meta, "endpointPrefix");
  model->awsQueryCompatible_ = meta->contains("awsQueryCompatible");

  std::string protocol = stringAt(*meta, "protocol");
  if (protocol == "query") {
    model->protocol_ = Protocol::Query;
  } else if (protocol == "ec2") {
    model->protocol_ = Protocol::Ec2;
  } else if (protocol == "json") {
    model->protocol_ = Protocol::Json;
  } else {
    return modelError(serviceName, "unsupported protocol '" + protocol + "'");
  }

  for (const auto& [name, value] : *ops) {
    if (!value.is_object()) return modelError(serviceName, "operation is not an object");
    const json::object& op = value.get_object();
    Operation operation;
    operation.name = name;
    if (const json::object* in = objectAt(op, "input")) operation.inputShape = stringAt(*in, "shape");
    if (const json::object* out = objectAt(op, "output")) {
      operation.outputShape = stringAt(*out, "shape");
      operation.resultWrapper = stringAt(*out, "resultWrapper");
    }
    model->operations_.emplace(std::string(name), std::move(operation));
  }
  model->shapes_ = *shapes;
  for (const auto& [name, value] : model->shapes_) {
    if (!value.is_object()) return modelError(serviceName, "shape is not an object");
    if (const json::object* qe = objectAt(value.get_object(), "queryError")) {
      model->queryErrors_.push_back({std::string(name), stringAt(*qe, "code")});
    }
  }
  model->resolveRefs();
  return model;
}

const Operation* ServiceModel::operation(std::string_view name) const {
  auto it = operations_.find(name);
  return it == operations_.end() ? nullptr : &it->second;
}

void ServiceModel::resolveRefs() {
  auto add = [this](const json::value* ref) {
    if (!ref || !ref->is_object()) return;
    const json::object& r = ref->get_object();
    const json::value* name = r.if_contains("shape");
    if (!name || !name->is_string()) return;
    ResolvedRef resolved;
    resolved.shape = shape(name->get_string());
    if (resolved.shape) resolved.type = detail::shapeType(*resolved.shape);
    refs_.emplace(&r, resolved);
  };
  for (const auto& [name, value] : shapes_) {
    const json::object& s = value.get_object();
    if (const json::object* members = objectAt(s, "members"))
      for (const auto& [memberName, ref] : *members) add(&ref);
    add(s.if_contains("member"));
    add(s.if_contains("key"));
    add(s.if_contains("value"));
  }
}

const ServiceModel::ResolvedRef* ServiceModel::resolvedRef(const json::object* ref) const {
  auto it = refs_.find(ref);
  return it == refs_.end() ? nullptr : &it->second;
}

const json::object* ServiceModel::shape(std::string_view name) const {
  auto* v = shapes_.if_contains(name);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

const QueryErrorAlias* ServiceModel::queryErrorAlias(std::string_view code) const {
  for (const auto& alias : queryErrors_) {
    if (alias.shapeName == code || alias.queryCode == code) return &alias;
  }
  return nullptr;
}

Result<std::unique_ptr<ModelRegistry>> ModelRegistry::loadBuiltin() {
  auto registry = std::make_unique<ModelRegistry>();
  for (const auto& builtin : generated::kBuiltinModels) {
    boost::system::error_code ec;
    json::value parsed = json::parse(builtin.json(), ec);
    if (ec || !parsed.is_object()) return modelError(builtin.service, "generated text is not JSON");
    auto model = ServiceModel::fromJson(builtin.service, parsed.get_object());
    if (!model) return model.error();
    registry->services_.emplace(std::string(builtin.service), std::move(*model));
  }
  return registry;
}

const ServiceModel* ModelRegistry::service(std::string_view name) const {
  auto it = services_.find(name);
  return it == services_.end() ? nullptr : it->second.get();
}

std::vector<const ServiceModel*> ModelRegistry::servicesWithOperation(
    std::string_view action) const {
  std::vector<const ServiceModel*> out;
  for (const auto& [name, model] : services_) {
    if (model->operation(action)) out.push_back(model.get());
  }
  return out;
}

}  // namespace overcast::protocol
