// EC2 filters (`Filter.N.Name` / `Filter.N.Value.M`): parsing from the decoded input and
// matching. Names and values are case-sensitive; values of one filter are OR-ed, filters are
// AND-ed; `*` matches any run of characters, `?` exactly one, `\` escapes either
// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Filtering.html). Pure.
#pragma once

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/result.h"

namespace overcast::ec2 {

struct Filter {
  std::string name;
  std::vector<std::string> values;
};

// Reads input["Filters"]. Error InvalidParameterValue "The filter 'x' is invalid" for a name
// not in `known` (names ending in ':' in `known` accept any suffix, e.g. "tag:").
Result<std::vector<Filter>> parseFilters(const boost::json::object& input,
                                         std::initializer_list<std::string_view> known);

// EC2 filter values: core wildcards with backslash escapes.
bool wildcardMatch(std::string_view pattern, std::string_view text);

// The values a resource has for a filter name (a resource may have several, e.g. tags).
using FilterValues = std::function<std::vector<std::string>(std::string_view name)>;

bool matchesAll(const std::vector<Filter>& filters, const FilterValues& valuesOf);

// input[member] as a list of strings (e.g. "ZoneNames"); empty if absent.
std::vector<std::string> stringList(const boost::json::object& input, std::string_view member);

}  // namespace overcast::ec2
