// JSON-protocol success responses (SQS): the output shape's members by model name, timestamps
// as epoch seconds (with the fraction), blobs base64; x-amzn-RequestId header (§A5).
#include <boost/json/serialize.hpp>

#include "protocol/encoders.h"
#include "protocol/model_traits.h"
#include "protocol/value_conversions.h"

namespace overcast::protocol::detail {
namespace {

namespace json = boost::json;

class JsonWriter {
 public:
  explicit JsonWriter(const ServiceModel& model) : model_(model) {}

  json::object structure(const json::object& shape, const json::object& value) const {
    json::object out;
    auto* members = shape.if_contains("members");
    if (!members || !members->is_object()) return out;
    for (const auto& [name, refValue] : members->get_object()) {
      const json::value* v = value.if_contains(name);
      if (!v || v->is_null() || !refValue.is_object()) continue;
      ShapeRef member = resolve(model_, refValue.get_object());
      if (member.shape) out.emplace(name, convert(member, *v));
    }
    return out;
  }

 private:
  json::value convert(const ShapeRef& ref, const json::value& v) const {
    switch (ref.type) {
      case ShapeType::Structure:
        return v.is_object() ? json::value(structure(*ref.shape, v.get_object())) : json::value();
      case ShapeType::List: {
        json::array out;
        ShapeRef item = resolveChild(model_, *ref.shape, "member");
        if (v.is_array() && item.shape) {
          for (const auto& element : v.get_array()) out.push_back(convert(item, element));
        }
        return out;
      }
      case ShapeType::Map: {
        json::object out;
        ShapeRef val = resolveChild(model_, *ref.shape, "value");
        if (v.is_object() && val.shape) {
          for (const auto& [k, element] : v.get_object()) out.emplace(k, convert(val, element));
        }
        return out;
      }
      case ShapeType::Timestamp:
        if (!v.is_int64()) return v;
        if (refTrait(ref, "timestampFormat") == "iso8601") return json::string(formatIso8601(v.get_int64()));
        return epochSeconds(v.get_int64());
      case ShapeType::Blob:
        return v.is_string() ? json::value(json::string(base64Encode(v.get_string()))) : v;
      default:
        return v;
    }
  }

  const ServiceModel& model_;
};

}  // namespace

std::string jsonContentType(const ServiceModel* model) {
  std::string version = model && !model->jsonVersion().empty() ? model->jsonVersion() : "1.0";
  return "application/x-amz-json-" + version;
}

HttpResponse encodeJson(const ServiceModel& model, const Operation& op,
                        const json::object& output, std::string_view requestId) {
  json::object body;
  if (const json::object* shape = model.shape(op.outputShape)) {
    body = JsonWriter(model).structure(*shape, output);
  }
  HttpResponse response;
  response.setHeader("Content-Type", jsonContentType(&model));
  response.setHeader("x-amzn-RequestId", std::string(requestId));
  response.body = json::serialize(body);
  return response;
}

}  // namespace overcast::protocol::detail
