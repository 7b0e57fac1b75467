#include "services/ec2/model/filters.h"

#include <algorithm>

#include "core/wildcard.h"

namespace overcast::ec2 {

std::vector<std::string> stringList(const boost::json::object& input, std::string_view member) {
  std::vector<std::string> out;
  if (auto* v = input.if_contains(member); v && v->is_array())
    for (const auto& item : v->get_array())
      if (item.is_string()) out.emplace_back(item.get_string());
  return out;
}

Result<std::vector<Filter>> parseFilters(const boost::json::object& input,
                                         std::initializer_list<std::string_view> known) {
  std::vector<Filter> filters;
  auto* list = input.if_contains("Filters");
  if (!list || !list->is_array()) return filters;
  for (const auto& item : list->get_array()) {
    if (!item.is_object()) continue;
    const auto& f = item.get_object();
    Filter filter;
    if (auto* n = f.if_contains("Name"); n && n->is_string()) filter.name = std::string(n->get_string());
    filter.values = stringList(f, "Values");
    bool ok = std::any_of(known.begin(), known.end(), [&](std::string_view k) {
      if (k.ends_with(':')) return filter.name.starts_with(k) && filter.name.size() > k.size();
      return k == filter.name;
    });
    if (!ok) return Error(ErrorCode::InvalidParameterValue, "The filter '" + filter.name + "' is invalid");
    filters.push_back(std::move(filter));
  }
  return filters;
}

bool wildcardMatch(std::string_view pattern, std::string_view text) {
  return overcast::wildcardMatch(pattern, text, Escapes::Backslash);
}

bool matchesAll(const std::vector<Filter>& filters, const FilterValues& valuesOf) {
  for (const auto& filter : filters) {
    auto have = valuesOf(filter.name);
    bool any = std::any_of(filter.values.begin(), filter.values.end(), [&](const std::string& pattern) {
      return std::any_of(have.begin(), have.end(), [&](const std::string& v) { return wildcardMatch(pattern, v); });
    });
    if (!any) return false;
  }
  return true;
}

}  // namespace overcast::ec2
