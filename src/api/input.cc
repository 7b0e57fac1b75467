#include "api/input.h"

namespace overcast::api {

namespace json = boost::json;

std::string stringOf(const json::object& in, std::string_view name) {
  auto* v = in.if_contains(name);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::optional<int64_t> intOf(const json::object& in, std::string_view name) {
  auto* v = in.if_contains(name);
  if (v && v->is_int64()) return v->get_int64();
  return std::nullopt;
}

std::optional<double> doubleOf(const boost::json::object& in, std::string_view name) {
  auto* v = in.if_contains(name);
  if (!v) return std::nullopt;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return std::nullopt;
}

std::vector<std::string> stringsOf(const json::object& in, std::string_view name) {
  std::vector<std::string> out;
  if (auto* v = in.if_contains(name); v && v->is_array())
    for (const auto& item : v->get_array())
      if (item.is_string()) out.emplace_back(item.get_string());
  return out;
}

std::map<std::string, std::string> stringMapOf(const json::object& in, std::string_view name) {
  std::map<std::string, std::string> out;
  if (auto* v = in.if_contains(name); v && v->is_object())
    for (const auto& [k, val] : v->get_object())
      if (val.is_string()) out[std::string(k)] = std::string(val.get_string());
  return out;
}

}  // namespace overcast::api
