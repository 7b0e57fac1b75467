#include "protocol/model_traits.h"

#include <array>
#include <utility>

namespace overcast::protocol::detail {

namespace json = boost::json;

std::string_view stringTrait(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

bool boolTrait(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

ShapeType shapeType(const json::object& shape) {
  static constexpr std::array<std::pair<std::string_view, ShapeType>, 12> kTypes{{
      {"structure", ShapeType::Structure}, {"list", ShapeType::List}, {"map", ShapeType::Map},
      {"string", ShapeType::String}, {"integer", ShapeType::Integer}, {"long", ShapeType::Long},
      {"float", ShapeType::Float}, {"double", ShapeType::Double},
      {"boolean", ShapeType::Boolean}, {"blob", ShapeType::Blob},
      {"timestamp", ShapeType::Timestamp}, {"", ShapeType::Unknown}}};
  std::string_view t = stringTrait(shape, "type");
  for (const auto& [name, type] : kTypes) {
    if (name == t) return type;
  }
  return ShapeType::Unknown;
}

std::string_view typeName(ShapeType type) {
  switch (type) {
    case ShapeType::Structure: return "structure";
    case ShapeType::List: return "list";
    case ShapeType::Map: return "map";
    case ShapeType::String: return "string";
    case ShapeType::Integer: return "integer";
    case ShapeType::Long: return "long";
    case ShapeType::Float: return "float";
    case ShapeType::Double: return "double";
    case ShapeType::Boolean: return "boolean";
    case ShapeType::Blob: return "blob";
    case ShapeType::Timestamp: return "timestamp";
    case ShapeType::Unknown: break;
  }
  return "unknown";
}

ShapeRef resolve(const ServiceModel& model, const json::object& ref) {
  ShapeRef r;
  r.ref = &ref;
  if (const auto* known = model.resolvedRef(&ref)) {
    r.shape = known->shape;
    r.type = known->type;
    return r;
  }
  r.shape = model.shape(stringTrait(ref, "shape"));
  if (r.shape) r.type = shapeType(*r.shape);
  return r;
}

ShapeRef resolveChild(const ServiceModel& model, const json::object& container,
                      std::string_view key) {
  auto* v = container.if_contains(key);
  if (!v || !v->is_object()) return {};
  return resolve(model, v->get_object());
}

ShapeRef resolveShape(const ServiceModel& model, std::string_view shapeName) {
  ShapeRef r;
  r.shape = model.shape(shapeName);
  if (r.shape) r.type = shapeType(*r.shape);
  return r;
}

std::string_view refTrait(const ShapeRef& r, std::string_view key) {
  if (r.ref) {
    if (auto s = stringTrait(*r.ref, key); !s.empty()) return s;
  }
  return r.shape ? stringTrait(*r.shape, key) : std::string_view();
}

bool flattened(const ShapeRef& r) {
  return (r.ref && boolTrait(*r.ref, "flattened")) || (r.shape && boolTrait(*r.shape, "flattened"));
}

bool isRequired(const json::object& structure, std::string_view member) {
  auto* req = structure.if_contains("required");
  if (!req || !req->is_array()) return false;
  for (const auto& m : req->get_array()) {
    if (m.is_string() && m.get_string() == member) return true;
  }
  return false;
}

std::string inputName(Protocol wire, const ShapeRef& member, std::string_view memberName) {
  if (wire == Protocol::Ec2) {
    if (auto q = refTrait(member, "queryName"); !q.empty()) return std::string(q);
    if (auto l = refTrait(member, "locationName"); !l.empty()) {
      std::string name(l);
      if (name[0] >= 'a' && name[0] <= 'z') name[0] = static_cast<char>(name[0] - 'a' + 'A');
      return name;
    }
    return std::string(memberName);
  }
  if (auto l = refTrait(member, "locationName"); !l.empty()) return std::string(l);
  return std::string(memberName);
}

std::string xmlMemberName(const ServiceModel& model, const ShapeRef& member,
                          std::string_view memberName) {
  if (member.type == ShapeType::List && flattened(member) && member.shape) {
    ShapeRef item = resolveChild(model, *member.shape, "member");
    if (auto n = refTrait(item, "locationName"); !n.empty()) return std::string(n);
  }
  if (auto l = refTrait(member, "locationName"); !l.empty()) return std::string(l);
  return std::string(memberName);
}

}  // namespace overcast::protocol::detail
