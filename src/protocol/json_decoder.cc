// decodeJsonInput: JSON protocol bodies (SQS) -> value tree (codec.h). Members are read by their
// model names only; query traits such as locationName are ignored, as JSON clients ignore them.
#include <cmath>
#include <limits>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <fmt/format.h>

#include "protocol/codec.h"
#include "protocol/model_traits.h"
#include "protocol/value_conversions.h"

namespace overcast::protocol {
namespace {

namespace json = boost::json;
using detail::ShapeRef;
using detail::ShapeType;

// Where a value sits in the input ("Entries.2.Id"), rendered only when an error names it.
struct Path {
  const Path* parent = nullptr;
  std::string_view name;  // a member name or map key; empty for a list position
  size_t position = 0;    // 1-based list position

  std::string render() const {
    std::string prefix = parent ? parent->render() : std::string();
    std::string self = name.empty() && position ? std::to_string(position) : std::string(name);
    if (prefix.empty()) return self;
    return self.empty() ? prefix : prefix + "." + self;
  }
};

Error mistyped(const Path& path, ShapeType type) {
  std::string where = path.render();
  return Error(ErrorCode::SerializationException,
               fmt::format("Value for parameter {} can not be converted to {}", where.empty() ? "(body)" : where,
                           detail::typeName(type)));
}

// Checks the parsed input against the model and converts it in place: timestamps become epoch
// milliseconds, blobs their decoded bytes, numbers the shape's type; members the shape does
// not have are dropped. Nothing is copied.
class JsonDecoder {
 public:
  explicit JsonDecoder(const ServiceModel& model) : model_(model) {}

  Result<void> structure(const json::object& shape, json::object& in, const Path& path) const {
    auto* members = shape.if_contains("members");
    if (!members || !members->is_object()) {
      in.clear();
      return {};
    }
    const json::object& known = members->get_object();
    for (const auto& [name, refValue] : known) {
      if (!refValue.is_object()) continue;
      ShapeRef member = detail::resolve(model_, refValue.get_object());
      json::value* v = in.if_contains(name);
      if (!member.shape) {
        if (v) *v = nullptr;  // dropped below
        continue;
      }
      if (!v || v->is_null()) {
        if (detail::isRequired(shape, name)) {
          Path child{&path, name};
          return Error(ErrorCode::MissingParameter,
                       fmt::format("The request must contain the parameter {}", child.render()));
        }
        continue;
      }
      if (auto decoded = decode(member, *v, Path{&path, name}); !decoded) return decoded.error();
    }
    for (auto it = in.begin(); it != in.end();) {
      const json::value* ref = known.if_contains(it->key());
      if (ref && ref->is_object() && !it->value().is_null()) {
        ++it;
      } else {
        it = in.erase(it);
      }
    }
    return {};
  }

 private:
  Result<void> decode(const ShapeRef& ref, json::value& v, const Path& path) const {
    switch (ref.type) {
      case ShapeType::Structure:
        if (!v.is_object()) return mistyped(path, ref.type);
        return structure(*ref.shape, v.get_object(), path);
      case ShapeType::List: {
        if (!v.is_array()) return mistyped(path, ref.type);
        ShapeRef item = detail::resolveChild(model_, *ref.shape, "member");
        size_t position = 0;
        for (auto& element : v.get_array())
          if (auto d = decode(item, element, Path{&path, {}, ++position}); !d) return d.error();
        return {};
      }
      case ShapeType::Map: {
        if (!v.is_object()) return mistyped(path, ref.type);
        ShapeRef val = detail::resolveChild(model_, *ref.shape, "value");
        for (auto& [key, element] : v.get_object())
          if (auto d = decode(val, element, Path{&path, key}); !d) return d.error();
        return {};
      }
      default:
        return scalar(ref.type, v, path);
    }
  }

  static Result<void> scalar(ShapeType type, json::value& v, const Path& path) {
    switch (type) {
      case ShapeType::Integer:
      case ShapeType::Long: {
        int64_t n = 0;
        if (v.is_int64()) {
          n = v.get_int64();
        } else if (v.is_uint64() &&
                   v.get_uint64() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
          n = static_cast<int64_t>(v.get_uint64());
        } else {
          return mistyped(path, type);
        }
        if (type == ShapeType::Integer && (n < std::numeric_limits<int32_t>::min() ||
                                           n > std::numeric_limits<int32_t>::max())) {
          return mistyped(path, type);
        }
        v = n;
        return {};
      }
      case ShapeType::Float:
      case ShapeType::Double:
        if (!v.is_number()) return mistyped(path, type);
        v = v.to_number<double>();
        return {};
      case ShapeType::Boolean:
        if (!v.is_bool()) return mistyped(path, type);
        return {};
      case ShapeType::Timestamp: {
        if (v.is_number()) {
          double seconds = v.to_number<double>();
          if (!std::isfinite(seconds) || std::abs(seconds) > 1e14) return mistyped(path, type);
          v = static_cast<int64_t>(std::llround(seconds * 1000.0));
          return {};
        }
        if (v.is_string()) {
          if (auto ms = detail::parseTimestamp(v.get_string())) {
            v = *ms;
            return {};
          }
        }
        return mistyped(path, type);
      }
      case ShapeType::Blob: {
        if (!v.is_string()) return mistyped(path, type);
        auto bytes = detail::base64Decode(v.get_string());
        if (!bytes) return mistyped(path, type);
        v.get_string() = *bytes;
        return {};
      }
      default:
        if (!v.is_string()) return mistyped(path, ShapeType::String);
        return {};
    }
  }

  const ServiceModel& model_;
};

bool isBlank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

Result<json::object> decodeJsonInput(const ServiceModel& model, const Operation& op,
                                     std::string_view body) {
  // One arena per request for the whole tree (it lives as long as any value made from it):
  // a request's strings and objects cost one allocation instead of one each.
  json::object in(json::make_shared_resource<json::monotonic_resource>(512));
  if (!isBlank(body)) {
    boost::system::error_code ec;
    json::parse_options options;  // max_depth 32: deep nesting is refused, not recursed into
    json::value parsed = json::parse(body, ec, in.storage(), options);
    if (ec) {
      return Error(ErrorCode::SerializationException, "The request body is not valid JSON");
    }
    if (!parsed.is_object()) {
      return Error(ErrorCode::SerializationException, "The request body must be a JSON object");
    }
    in = std::move(parsed.get_object());  // same storage: no copy
  }
  if (op.inputShape.empty()) return json::object();
  const json::object* shape = model.shape(op.inputShape);
  if (!shape) {
    return Error(ErrorCode::InternalFailure, "input shape " + op.inputShape + " is not in the model");
  }
  if (auto r = JsonDecoder(model).structure(*shape, in, Path{}); !r) return r.error();
  return in;
}

}  // namespace overcast::protocol
