// JSON-protocol success responses (SQS): the output shape's members by model name, timestamps
// as epoch seconds (with the fraction), blobs base64; x-amzn-RequestId header (§A5).
#include <boost/json/serialize.hpp>

#include "protocol/encoders.h"
#include "protocol/model_traits.h"
#include "protocol/value_conversions.h"

namespace overcast::protocol::detail {
namespace {

namespace json = boost::json;

// Shapes the service's output for the wire in place: members the output shape does not have
// are dropped, timestamps become epoch seconds (or ISO 8601 where the model says so), blobs
// base64. Nothing else is copied.
class JsonWriter {
 public:
  explicit JsonWriter(const ServiceModel& model) : model_(model) {}

  void structure(const json::object& shape, json::object& value) const {
    auto* members = shape.if_contains("members");
    if (!members || !members->is_object()) {
      value.clear();
      return;
    }
    const json::object& known = members->get_object();
    for (auto it = value.begin(); it != value.end();) {
      const json::value* ref = known.if_contains(it->key());
      ShapeRef member;
      if (ref && ref->is_object() && !it->value().is_null()) member = resolve(model_, ref->get_object());
      if (!member.shape) {
        it = value.erase(it);
        continue;
      }
      convert(member, it->value());
      ++it;
    }
  }

 private:
  void convert(const ShapeRef& ref, json::value& v) const {
    switch (ref.type) {
      case ShapeType::Structure:
        if (v.is_object()) {
          structure(*ref.shape, v.get_object());
        } else {
          v = nullptr;
        }
        return;
      case ShapeType::List: {
        ShapeRef item = resolveChild(model_, *ref.shape, "member");
        if (!v.is_array() || !item.shape) {
          v = json::array(v.storage());
          return;
        }
        for (auto& element : v.get_array()) convert(item, element);
        return;
      }
      case ShapeType::Map: {
        ShapeRef val = resolveChild(model_, *ref.shape, "value");
        if (!v.is_object() || !val.shape) {
          v = json::object(v.storage());
          return;
        }
        for (auto& [k, element] : v.get_object()) convert(val, element);
        return;
      }
      case ShapeType::Timestamp:
        if (!v.is_int64()) return;
        if (refTrait(ref, "timestampFormat") == "iso8601") {
          v = json::string(formatIso8601(v.get_int64()), v.storage());
        } else {
          v = epochSeconds(v.get_int64());
        }
        return;
      case ShapeType::Blob:
        if (v.is_string()) v.get_string() = base64Encode(v.get_string());
        return;
      default:
        return;
    }
  }

  const ServiceModel& model_;
};

}  // namespace

std::string jsonContentType(const ServiceModel* model) {
  std::string version = model && !model->jsonVersion().empty() ? model->jsonVersion() : "1.0";
  return "application/x-amz-json-" + version;
}

HttpResponse encodeJson(const ServiceModel& model, const Operation& op, json::object&& output,
                        std::string_view requestId) {
  if (const json::object* shape = model.shape(op.outputShape)) {
    JsonWriter(model).structure(*shape, output);
  } else {
    output.clear();
  }
  HttpResponse response;
  response.setHeader("Content-Type", jsonContentType(&model));
  response.setHeader("x-amzn-RequestId", std::string(requestId));
  response.body = json::serialize(output);
  return response;
}

}  // namespace overcast::protocol::detail

namespace overcast::protocol {

HttpResponse encodeQueryJson(const Operation& op, boost::json::object&& output, std::string_view requestId) {
  boost::json::object response;
  const std::string result = op.resultWrapper.empty() ? op.name + "Result" : op.resultWrapper;
  response[result] = std::move(output);
  response["ResponseMetadata"] = boost::json::object{{"RequestId", requestId}};
  boost::json::object root;
  root[op.name + "Response"] = std::move(response);
  HttpResponse r;
  r.status = 200;
  r.setHeader("Content-Type", "application/json");
  r.body = boost::json::serialize(root);
  return r;
}

}  // namespace overcast::protocol
