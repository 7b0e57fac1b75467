#include "protocol/xml_value_writer.h"

#include <sstream>

#include "protocol/model_traits.h"
#include "protocol/value_conversions.h"

namespace overcast::protocol::detail {
namespace {

namespace json = boost::json;

std::string scalarText(const ShapeRef& ref, const json::value& v) {
  if (ref.type == ShapeType::Timestamp && v.is_int64()) {
    if (refTrait(ref, "timestampFormat") == "unixTimestamp") {
      return formatDouble(epochSeconds(v.get_int64()));
    }
    return formatIso8601(v.get_int64());
  }
  if (ref.type == ShapeType::Blob && v.is_string()) return base64Encode(v.get_string());
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return v.get_bool() ? "true" : "false";
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) return formatDouble(v.get_double());
  return {};
}

class XmlWriter {
 public:
  explicit XmlWriter(const ServiceModel& model) : model_(model) {}

  void members(pugi::xml_node parent, const json::object& shape, const json::object& value) const {
    auto* members = shape.if_contains("members");
    if (!members || !members->is_object()) return;
    for (const auto& [name, refValue] : members->get_object()) {
      const json::value* v = value.if_contains(name);
      if (!v || v->is_null() || !refValue.is_object()) continue;
      ShapeRef member = resolve(model_, refValue.get_object());
      if (!member.shape) continue;
      write(parent, xmlMemberName(model_, member, name), member, *v);
    }
  }

 private:
  // Writes `v` as the element(s) called `name` under `parent`.
  void write(pugi::xml_node parent, const std::string& name, const ShapeRef& ref,
             const json::value& v) const {
    switch (ref.type) {
      case ShapeType::Structure:
        if (v.is_object()) members(parent.append_child(name.c_str()), *ref.shape, v.get_object());
        return;
      case ShapeType::List:
        if (v.is_array()) list(parent, name, ref, v.get_array());
        return;
      case ShapeType::Map:
        if (v.is_object()) map(parent, name, ref, v.get_object());
        return;
      default:
        parent.append_child(name.c_str()).text().set(scalarText(ref, v).c_str());
    }
  }

  void list(pugi::xml_node parent, const std::string& name, const ShapeRef& ref,
            const json::array& items) const {
    ShapeRef item = resolveChild(model_, *ref.shape, "member");
    if (!item.shape) return;
    if (flattened(ref)) {  // the element name is already the item's (xmlMemberName)
      for (const auto& element : items) write(parent, name, item, element);
      return;
    }
    std::string itemName(refTrait(item, "locationName"));
    if (itemName.empty()) itemName = "member";
    pugi::xml_node wrapper = parent.append_child(name.c_str());
    for (const auto& element : items) write(wrapper, itemName, item, element);
  }

  void map(pugi::xml_node parent, const std::string& name, const ShapeRef& ref,
           const json::object& entries) const {
    ShapeRef key = resolveChild(model_, *ref.shape, "key");
    ShapeRef val = resolveChild(model_, *ref.shape, "value");
    if (!key.shape || !val.shape) return;
    std::string keyName(refTrait(key, "locationName"));
    std::string valueName(refTrait(val, "locationName"));
    if (keyName.empty()) keyName = "key";
    if (valueName.empty()) valueName = "value";
    bool flat = flattened(ref);
    pugi::xml_node holder = flat ? parent : parent.append_child(name.c_str());
    for (const auto& [k, element] : entries) {
      pugi::xml_node entry = holder.append_child(flat ? name.c_str() : "entry");
      entry.append_child(keyName.c_str()).text().set(std::string(k).c_str());
      write(entry, valueName, val, element);
    }
  }

  const ServiceModel& model_;
};

}  // namespace

void writeXmlMembers(const ServiceModel& model, pugi::xml_node parent,
                     const json::object& structureShape, const json::object& value) {
  XmlWriter(model).members(parent, structureShape, value);
}

std::string xmlText(const pugi::xml_document& doc) {
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
  doc.save(out, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  // pugixml leaves a carriage return in text as it is, and XML parsers turn a raw CR into a
  // line feed: escape it, as AWS does, so a body with "\r" comes back as sent. (Raw output has
  // no CRs of its own.)
  std::string text = out.str();
  if (text.find('\r') == std::string::npos) return text;
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    if (c == '\r') escaped += "&#xD;";
    else escaped.push_back(c);
  }
  return escaped;
}

}  // namespace overcast::protocol::detail
