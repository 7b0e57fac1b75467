// decodeQueryInput: query (SNS, STS, SQS-query) and EC2 parameters -> value tree (codec.h).
// Naming follows botocore serialize.py, which is what clients send:
//   query: list `Name.member.N` (member locationName replaces "member"); flattened list
//          `Name.N` where a named list member replaces the last name part; map
//          `Name.entry.N.key/value` (flattened: `Name.N.<key>/<value>`), key/value names from the
//          model (SQS: `Attribute.1.Name`, `Attribute.1.Value`).
//   ec2:   every list is `Name.N`; names are queryName, else locationName upper-cased, else the
//          member name (`Filter.1.Value.1`, `TagSpecification.1.Tag.1.Key`).
#include <limits>

#include <fmt/format.h>

#include "protocol/codec.h"
#include "protocol/model_traits.h"
#include "protocol/param_tree.h"
#include "protocol/value_conversions.h"

namespace overcast::protocol {
namespace {

namespace json = boost::json;
using detail::ParamNode;
using detail::ShapeRef;
using detail::ShapeType;

std::string join(std::string_view prefix, std::string_view name) {
  return prefix.empty() ? std::string(name) : fmt::format("{}.{}", prefix, name);
}

Error missing(std::string_view wireName) {
  return Error(ErrorCode::MissingParameter,
               fmt::format("The request must contain the parameter {}", wireName));
}

Error invalid(std::string_view value, std::string_view wireName, ShapeType type) {
  return Error(ErrorCode::InvalidParameterValue,
               fmt::format("Value ({}) for parameter {} is invalid. Expected: '{}'.", value,
                           wireName, detail::typeName(type)));
}

class QueryDecoder {
 public:
  QueryDecoder(const ServiceModel& model, Protocol wire) : model_(model), wire_(wire) {}

  Result<json::object> structure(const json::object& shape, const ParamNode& node,
                                 const std::string& prefix) const {
    json::object out;
    auto* members = shape.if_contains("members");
    if (!members || !members->is_object()) return out;
    for (const auto& [memberName, refValue] : members->get_object()) {
      if (!refValue.is_object()) continue;
      ShapeRef member = detail::resolve(model_, refValue.get_object());
      if (!member.shape) continue;
      std::string wireName = memberWireName(member, memberName);
      const ParamNode* child = node.child(wireName);
      if (child && member.type != ShapeType::Structure && member.type != ShapeType::List &&
          member.type != ShapeType::Map && !child->hasValue) {
        child = nullptr;  // `Foo.1=x` for a scalar Foo: not a value of Foo
      }
      if (!child) {
        if (detail::isRequired(shape, memberName)) return missing(join(prefix, wireName));
        continue;
      }
      auto value = decode(member, *child, join(prefix, wireName));
      if (!value) return value.error();
      // `InstanceId.0=x` names no element: absent, unlike botocore's empty list `InstanceId=`.
      bool noElements = (value->is_array() && value->get_array().empty()) ||
                        (member.type == ShapeType::Map && value->get_object().empty());
      if (noElements && !child->hasValue) {
        if (detail::isRequired(shape, memberName)) return missing(join(prefix, wireName));
        continue;
      }
      out.emplace(memberName, std::move(*value));
    }
    return out;
  }

 private:
  std::string memberWireName(const ShapeRef& member, std::string_view memberName) const {
    if (wire_ == Protocol::Query && member.type == ShapeType::List && detail::flattened(member)) {
      ShapeRef item = detail::resolveChild(model_, *member.shape, "member");
      if (auto n = detail::refTrait(item, "locationName"); !n.empty()) return std::string(n);
    }
    return detail::inputName(wire_, member, memberName);
  }

  Result<json::value> decode(const ShapeRef& ref, const ParamNode& node,
                             const std::string& path) const {
    switch (ref.type) {
      case ShapeType::Structure: {
        auto s = structure(*ref.shape, node, path);
        if (!s) return s.error();
        return json::value(std::move(*s));
      }
      case ShapeType::List: return list(ref, node, path);
      case ShapeType::Map: return map(ref, node, path);
      default: return scalar(ref.type, node.value, path);
    }
  }

  Result<json::value> list(const ShapeRef& ref, const ParamNode& node,
                           const std::string& path) const {
    ShapeRef item = detail::resolveChild(model_, *ref.shape, "member");
    json::array out;
    if (!item.shape) return json::value(std::move(out));
    const ParamNode* holder = &node;
    std::string itemPrefix = path;
    if (wire_ == Protocol::Query && !detail::flattened(ref)) {
      std::string_view name = detail::refTrait(item, "locationName");
      if (name.empty()) name = "member";
      holder = node.child(name);
      itemPrefix = join(path, name);
    }
    if (!holder) return json::value(std::move(out));  // `Name=`: botocore's empty list
    auto elements = holder->indexed();
    // boto 2 writes a one-element flattened list without an index (`AttributeName=All`).
    if (elements.empty() && wire_ == Protocol::Query && detail::flattened(ref) && holder->hasValue &&
        !holder->value.empty() && item.type != ShapeType::Structure && item.type != ShapeType::List &&
        item.type != ShapeType::Map)
      elements.push_back(holder);
    for (const ParamNode* element : elements) {
      auto value = decode(item, *element, join(itemPrefix, std::to_string(out.size() + 1)));
      if (!value) return value.error();
      out.push_back(std::move(*value));
    }
    return json::value(std::move(out));
  }

  Result<json::value> map(const ShapeRef& ref, const ParamNode& node,
                          const std::string& path) const {
    ShapeRef key = detail::resolveChild(model_, *ref.shape, "key");
    ShapeRef val = detail::resolveChild(model_, *ref.shape, "value");
    json::object out;
    if (!key.shape || !val.shape) return json::value(std::move(out));
    std::string_view keyName = detail::refTrait(key, "locationName");
    std::string_view valueName = detail::refTrait(val, "locationName");
    if (keyName.empty()) keyName = "key";
    if (valueName.empty()) valueName = "value";
    const ParamNode* holder = &node;
    std::string entryPrefix = path;
    if (!detail::flattened(ref)) {
      holder = node.child("entry");
      entryPrefix = join(path, "entry");
    }
    if (!holder) return json::value(std::move(out));
    auto entries = holder->indexed();
    // boto 2 writes a one-entry flattened map without an index (`Attribute.Name=..&Attribute.Value=..`).
    if (entries.empty() && detail::flattened(ref) && holder->child(keyName)) entries.push_back(holder);
    size_t n = 0;
    for (const ParamNode* entry : entries) {
      std::string entryPath = join(entryPrefix, std::to_string(++n));
      const ParamNode* k = entry->child(keyName);
      if (!k || !k->hasValue) return missing(join(entryPath, keyName));
      const ParamNode* v = entry->child(valueName);
      if (!v) return missing(join(entryPath, valueName));
      auto value = decode(val, *v, join(entryPath, valueName));
      if (!value) return value.error();
      if (!out.contains(k->value)) out.emplace(k->value, std::move(*value));
    }
    return json::value(std::move(out));
  }

  static Result<json::value> scalar(ShapeType type, const std::string& text,
                                    const std::string& path) {
    switch (type) {
      case ShapeType::Integer:
      case ShapeType::Long: {
        auto v = detail::parseInt64(text);
        bool inRange = v && (type == ShapeType::Long ||
                             (*v >= std::numeric_limits<int32_t>::min() &&
                              *v <= std::numeric_limits<int32_t>::max()));
        if (!inRange) return invalid(text, path, type);
        return json::value(*v);
      }
      case ShapeType::Float:
      case ShapeType::Double: {
        auto v = detail::parseDouble(text);
        if (!v) return invalid(text, path, type);
        return json::value(*v);
      }
      case ShapeType::Boolean: {
        auto v = detail::parseBool(text);
        if (!v) return invalid(text, path, type);
        return json::value(*v);
      }
      case ShapeType::Timestamp: {
        auto v = detail::parseTimestamp(text);
        if (!v) return invalid(text, path, type);
        return json::value(*v);
      }
      case ShapeType::Blob: {
        auto v = detail::base64Decode(text);
        if (!v) return invalid(text, path, type);
        return json::value(json::string(*v));
      }
      default:
        return json::value(json::string(text));
    }
  }

  const ServiceModel& model_;
  Protocol wire_;
};

}  // namespace

Result<json::object> decodeQueryInput(const ServiceModel& model, const Operation& op,
                                      Protocol wire, const Params& params) {
  if (op.inputShape.empty()) return json::object();
  const json::object* shape = model.shape(op.inputShape);
  if (!shape) {
    return Error(ErrorCode::InternalFailure, "input shape " + op.inputShape + " is not in the model");
  }
  detail::ParamNode tree = detail::buildParamTree(params);
  return QueryDecoder(model, wire == Protocol::Ec2 ? Protocol::Ec2 : Protocol::Query)
      .structure(*shape, tree, "");
}

}  // namespace overcast::protocol
