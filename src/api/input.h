// Reading a decoded input tree (protocol/codec.h): the members services look up by name. A
// member that is absent or of another type reads as empty; the codec has already checked types
// against the model.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

namespace overcast::api {

std::string stringOf(const boost::json::object& in, std::string_view name);
std::optional<int64_t> intOf(const boost::json::object& in, std::string_view name);
// A number of any JSON kind (double or integer) as a double.
std::optional<double> doubleOf(const boost::json::object& in, std::string_view name);
// A list of strings (non-strings skipped).
std::vector<std::string> stringsOf(const boost::json::object& in, std::string_view name);
// A map of strings (non-string values skipped).
std::map<std::string, std::string> stringMapOf(const boost::json::object& in, std::string_view name);

}  // namespace overcast::api
