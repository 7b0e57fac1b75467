// decodeJsonInput: JSON protocol bodies (SQS) -> value tree (codec.h). Members are read by their
// model names only; query traits such as locationName are ignored, as JSON clients ignore them.
#include <cmath>
#include <limits>

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

std::string join(std::string_view prefix, std::string_view name) {
  return prefix.empty() ? std::string(name) : fmt::format("{}.{}", prefix, name);
}

Error mistyped(std::string_view path, ShapeType type) {
  return Error(ErrorCode::SerializationException,
               fmt::format("Value for parameter {} can not be converted to {}",
                           path.empty() ? "(body)" : path, detail::typeName(type)));
}

class JsonDecoder {
 public:
  explicit JsonDecoder(const ServiceModel& model) : model_(model) {}

  Result<json::object> structure(const json::object& shape, const json::object& in,
                                 const std::string& path) const {
    json::object out;
    auto* members = shape.if_contains("members");
    if (!members || !members->is_object()) return out;
    for (const auto& [name, refValue] : members->get_object()) {
      if (!refValue.is_object()) continue;
      ShapeRef member = detail::resolve(model_, refValue.get_object());
      if (!member.shape) continue;
      const json::value* v = in.if_contains(name);
      if (!v || v->is_null()) {
        if (detail::isRequired(shape, name)) {
          return Error(ErrorCode::MissingParameter,
                       fmt::format("The request must contain the parameter {}", join(path, name)));
        }
        continue;
      }
      auto decoded = decode(member, *v, join(path, name));
      if (!decoded) return decoded.error();
      out.emplace(name, std::move(*decoded));
    }
    return out;
  }

 private:
  Result<json::value> decode(const ShapeRef& ref, const json::value& v,
                             const std::string& path) const {
    switch (ref.type) {
      case ShapeType::Structure: {
        if (!v.is_object()) return mistyped(path, ref.type);
        auto s = structure(*ref.shape, v.get_object(), path);
        if (!s) return s.error();
        return json::value(std::move(*s));
      }
      case ShapeType::List: {
        if (!v.is_array()) return mistyped(path, ref.type);
        ShapeRef item = detail::resolveChild(model_, *ref.shape, "member");
        json::array out;
        for (const auto& element : v.get_array()) {
          auto d = decode(item, element, join(path, std::to_string(out.size() + 1)));
          if (!d) return d.error();
          out.push_back(std::move(*d));
        }
        return json::value(std::move(out));
      }
      case ShapeType::Map: {
        if (!v.is_object()) return mistyped(path, ref.type);
        ShapeRef val = detail::resolveChild(model_, *ref.shape, "value");
        json::object out;
        for (const auto& [key, element] : v.get_object()) {
          auto d = decode(val, element, join(path, key));
          if (!d) return d.error();
          out.emplace(key, std::move(*d));
        }
        return json::value(std::move(out));
      }
      default:
        return scalar(ref.type, v, path);
    }
  }

  static Result<json::value> scalar(ShapeType type, const json::value& v,
                                    const std::string& path) {
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
        return json::value(n);
      }
      case ShapeType::Float:
      case ShapeType::Double:
        if (!v.is_number()) return mistyped(path, type);
        return json::value(v.to_number<double>());
      case ShapeType::Boolean:
        if (!v.is_bool()) return mistyped(path, type);
        return v;
      case ShapeType::Timestamp: {
        if (v.is_number()) {
          double seconds = v.to_number<double>();
          if (!std::isfinite(seconds) || std::abs(seconds) > 1e14) return mistyped(path, type);
          return json::value(static_cast<int64_t>(std::llround(seconds * 1000.0)));
        }
        if (v.is_string()) {
          if (auto ms = detail::parseTimestamp(v.get_string())) return json::value(*ms);
        }
        return mistyped(path, type);
      }
      case ShapeType::Blob: {
        if (!v.is_string()) return mistyped(path, type);
        auto bytes = detail::base64Decode(v.get_string());
        if (!bytes) return mistyped(path, type);
        return json::value(json::string(*bytes));
      }
      default:
        if (!v.is_string()) return mistyped(path, ShapeType::String);
        return v;
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
  json::object in;
  if (!isBlank(body)) {
    boost::system::error_code ec;
    json::parse_options options;  // max_depth 32: deep nesting is refused, not recursed into
    json::value parsed = json::parse(body, ec, {}, options);
    if (ec) {
      return Error(ErrorCode::SerializationException, "The request body is not valid JSON");
    }
    if (!parsed.is_object()) {
      return Error(ErrorCode::SerializationException, "The request body must be a JSON object");
    }
    in = std::move(parsed.get_object());
  }
  if (op.inputShape.empty()) return json::object();
  const json::object* shape = model.shape(op.inputShape);
  if (!shape) {
    return Error(ErrorCode::InternalFailure, "input shape " + op.inputShape + " is not in the model");
  }
  return JsonDecoder(model).structure(*shape, in, "");
}

}  // namespace overcast::protocol
