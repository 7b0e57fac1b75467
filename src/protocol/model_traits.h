// Reading botocore shape traits: a member's wire name per protocol, a shape's type, and the
// precedence rule (a trait on the member reference overrides the same trait on the target shape,
// as botocore's ShapeResolver does). Internal to src/protocol.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "protocol/service_model.h"

namespace overcast::protocol::detail {

using ShapeType = protocol::ShapeType;

// A reference ({"shape": "X", "locationName": ...}) and the shape it names.
struct ShapeRef {
  const boost::json::object* ref = nullptr;    // the member/key/value reference
  const boost::json::object* shape = nullptr;  // the target shape definition
  ShapeType type = ShapeType::Unknown;
};

// Resolves `ref` (a member/key/value object); shape == nullptr if the model lacks it.
ShapeRef resolve(const ServiceModel& model, const boost::json::object& ref);
// `ref` may be a {"shape": name} object inside `container` at `key` ("member", "key", "value").
ShapeRef resolveChild(const ServiceModel& model, const boost::json::object& container,
                      std::string_view key);
ShapeRef resolveShape(const ServiceModel& model, std::string_view shapeName);

ShapeType shapeType(const boost::json::object& shape);
std::string_view typeName(ShapeType type);  // "integer", "boolean", ... for messages

std::string_view stringTrait(const boost::json::object& o, std::string_view key);
bool boolTrait(const boost::json::object& o, std::string_view key);
// Trait from the reference, else from the shape.
std::string_view refTrait(const ShapeRef& r, std::string_view key);
bool flattened(const ShapeRef& r);
bool isRequired(const boost::json::object& structure, std::string_view member);

// Input parameter name of a structure member. Query: locationName else member name.
// EC2: queryName, else locationName with its first letter upper-cased, else member name.
std::string inputName(Protocol wire, const ShapeRef& member, std::string_view memberName);
// XML element of a structure member (botocore parsers `_member_key_name`): a flattened list
// with a named member uses that name; else locationName; else the member name.
std::string xmlMemberName(const ServiceModel& model, const ShapeRef& member,
                          std::string_view memberName);

}  // namespace overcast::protocol::detail
