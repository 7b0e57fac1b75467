// SNS subscription filter policies: parsing, validation and matching
// (https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html, the
// constraints page subscription-filter-policy-constraints.html, aws-reference.md §D5). Pure: no
// I/O, no clock.
//
// A policy is a JSON object. Its keys are AND-ed; a key's array of values is OR-ed; `"$or": [{..},
// {..}]` ORs whole sub-policies. Values: exact strings (case-sensitive), numbers (numeric
// equality: 3.015e2 == 301.5), true/false, null, and one-key operator objects: prefix, suffix,
// equals-ignore-case, anything-but (value | [values] | {"prefix"} | {"suffix"}), numeric
// (["=", x] or a range [">", a, "<=", b]), exists (true|false) and cidr (IPv4 or IPv6). With scope
// MessageBody a key whose value is an object walks into the body's nested object.
//
// How values meet operators (the same for attributes and body):
//  - String operators (exact string, prefix, suffix, equals-ignore-case, cidr) only match string
//    values; numeric operators and exact numbers only match numbers. An array (a String.Array
//    attribute, a body array) matches when any element matches; arrays of objects are walked
//    element by element, so sibling keys of a nested policy match within one element.
//  - anything-but matches any present, non-null value that is none of the listed ones (a number
//    is never one of a list of strings), and never a missing key (combine it with exists:false
//    for that).
//  - exists:true needs a non-null leaf value; exists:false matches where there is none (absent
//    key, null, an empty array, an object). As AWS documents, a message with no attributes (or an
//    empty body object) matches no non-empty policy, exists:false included.
//  - Attributes by DataType: "String" and custom "String.x" are strings; "Number" and "Number.x"
//    are numbers (text that isn't a number matches nothing); "String.Array" is a JSON array whose
//    elements are matched as JSON values; "Binary" attributes are ignored (as if absent).
//
// Thread-safety: a FilterPolicy is immutable after parse(); copies share the compiled policy and
// may be matched from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <boost/json/fwd.hpp>

#include "core/result.h"

namespace overcast::sns {

// The subscription attribute FilterPolicyScope.
enum class FilterScope { MessageAttributes, MessageBody };

// One SNS message attribute as published: DataType "String", "String.Array", "Number", "Binary",
// or a custom "<type>.<label>"; `value` is the StringValue (Binary attributes never match).
struct FilterAttribute {
  std::string dataType;
  std::string value;
};
using FilterAttributes = std::map<std::string, FilterAttribute, std::less<>>;

// AWS limits (subscription-filter-policy-constraints.html).
inline constexpr std::size_t kFilterPolicyMaxBytes = 256 * 1024;
inline constexpr std::uint64_t kFilterPolicyMaxCombinations = 150;
inline constexpr std::size_t kFilterPolicyMaxKeys = 5;
inline constexpr double kFilterPolicyMaxNumber = 1e9;  // |x| <= 1e9 ...
inline constexpr int kFilterPolicyMaxDecimals = 5;     // ... with at most 5 digits after the point

class FilterPolicy {
 public:
  // Parses and validates a FilterPolicy attribute value for `scope`. Errors carry AWS's messages
  // for SetSubscriptionAttributes, "Invalid parameter: FilterPolicy: <reason>" (for nesting under
  // MessageAttributes: "Invalid parameter: Filter policy scope MessageAttributes does not support
  // nested filter policy"); Subscribe reports the same reason after "Invalid parameter: Attributes
  // Reason: ", which the caller can splice in. `{}` is valid and matches every message.
  static Result<FilterPolicy> parse(std::string_view json, FilterScope scope);

  FilterScope scope() const { return scope_; }
  // True for `{}` (every message matches).
  bool empty() const;

  // REQUIRES: scope() == MessageAttributes.
  bool matchesAttributes(const FilterAttributes& attributes) const;
  // REQUIRES: scope() == MessageBody. The body must be a JSON object; anything else (not JSON,
  // an array, a string) matches no policy but `{}`.
  bool matchesBody(std::string_view messageBody) const;
  // The same for a body the caller has parsed once for all of a topic's subscriptions.
  bool matchesParsedBody(const boost::json::value& messageBody) const;

  struct Node;  // the compiled policy: internal to filter_policy.cc

 private:
  FilterPolicy(std::shared_ptr<const Node> root, FilterScope scope) : root_(std::move(root)), scope_(scope) {}

  std::shared_ptr<const Node> root_;
  FilterScope scope_;
};

}  // namespace overcast::sns
