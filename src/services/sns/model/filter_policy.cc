#include "services/sns/model/filter_policy.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <vector>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>

namespace overcast::sns {
namespace json = boost::json;

// The compiled policy: one level of keys. A leaf field holds its OR-ed conditions; a nested
// field (MessageBody scope) holds the child level; each "$or" holds its alternatives.
struct FilterPolicy::Node {
  enum class Op : std::uint8_t {
    String, Number, Bool, Null, Prefix, Suffix, EqualsIgnoreCase,
    AnythingBut, AnythingButPrefix, AnythingButSuffix, Numeric, Exists, Cidr
  };
  struct Condition {
    Op op = Op::Null;
    bool flag = false;     // Bool: the value; Exists: true|false
    double number = 0;     // Number
    std::string text;      // String, Prefix, Suffix, AnythingButPrefix/Suffix; lowercased for EqualsIgnoreCase
    std::vector<std::string> strings;  // AnythingBut
    std::vector<double> numbers;       // AnythingBut
    double low = -std::numeric_limits<double>::infinity();  // Numeric
    double high = std::numeric_limits<double>::infinity();
    bool lowInclusive = false, highInclusive = false;
    std::array<unsigned char, 16> net{};  // Cidr: network address (host bits cleared)
    int bits = 0;
    bool v6 = false;
  };
  struct Field {
    std::string key;
    std::vector<Condition> conditions;
    std::unique_ptr<Node> child;
  };
  std::vector<Field> fields;
  std::vector<std::vector<Node>> anyOf;
};

namespace {
using Node = FilterPolicy::Node;
using Op = Node::Op;
using Condition = Node::Condition;

constexpr std::uint64_t kCountCap = 1u << 30;  // combinations saturate here

Error invalid(std::string_view reason) {
  return Error(ErrorCode::InvalidParameter, fmt::format("Invalid parameter: FilterPolicy: {}", reason));
}

std::string show(const json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : json::serialize(v);
}

std::uint64_t saturate(std::uint64_t v) { return std::min(v, kCountCap); }

// ---- validation and compilation ------------------------------------------------------------

// Digits after the decimal point in the shortest text that reads back as `x` (0.1 -> 1, 1e-06 -> 6).
int decimals(double x) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
  std::string_view text(buf, static_cast<std::size_t>(end - buf));
  int exponent = 0;
  if (auto e = text.find('e'); e != std::string_view::npos) {
    std::string_view exp = text.substr(e + 1);
    if (!exp.empty() && exp.front() == '+') exp.remove_prefix(1);
    std::from_chars(exp.data(), exp.data() + exp.size(), exponent);
    text = text.substr(0, e);
  }
  auto dot = text.find('.');
  int fraction = dot == std::string_view::npos ? 0 : static_cast<int>(text.size() - dot - 1);
  return std::max(0, fraction - exponent);
}

// A policy number: -1e9..1e9 with at most 5 decimals.
Result<double> policyNumber(const json::value& v) {
  double x = v.to_number<double>();
  if (!(std::fabs(x) <= kFilterPolicyMaxNumber))
    return invalid("Numeric values must be between -1000000000 and 1000000000, inclusive");
  if (decimals(x) > kFilterPolicyMaxDecimals)
    return invalid("Numeric values can have at most 5 digits after the decimal point");
  return x;
}

// cidr: "a.b.c.d/n" or "v6::addr/n". Host bits may be set; they are ignored.
Result<void> compileCidr(std::string_view text, Condition& c) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos || text.find('/', slash + 1) != std::string_view::npos)
    return invalid("Malformed CIDR, one '/' required");
  std::string ip(text.substr(0, slash));
  std::string_view mask = text.substr(slash + 1);
  int bits = -1;
  auto [end, ec] = std::from_chars(mask.data(), mask.data() + mask.size(), bits);
  if (mask.empty() || ec != std::errc() || end != mask.data() + mask.size() || bits < 0)
    return invalid("Malformed CIDR, mask bits must be an integer");
  c.v6 = ip.find(':') != std::string::npos;
  if (inet_pton(c.v6 ? AF_INET6 : AF_INET, ip.c_str(), c.net.data()) != 1)
    return invalid(fmt::format("Nonstandard IP address: {}", ip));
  if (bits > (c.v6 ? 128 : 32))
    return invalid(fmt::format("Malformed CIDR, mask bits must be between 0 and {}", c.v6 ? 128 : 32));
  c.bits = bits;
  for (int i = 0; i < 16; ++i) {
    int keep = std::clamp(bits - 8 * i, 0, 8);
    c.net[i] &= static_cast<unsigned char>(0xFF00 >> keep);
  }
  return {};
}

// numeric: ["=", x] | [op, x] | [">"|">=", a, "<"|"<=", b] (AWS's messages, as localstack checks them).
Result<void> compileNumeric(const json::value& v, Condition& c) {
  if (!v.is_array()) return invalid("Value of numeric must be an array.");
  const json::array& terms = v.get_array();
  if (terms.empty()) return invalid("Invalid member in numeric match: ]");
  auto bound = [&](std::size_t i, std::string_view op) -> Result<double> {
    if (i >= terms.size() || !terms[i].is_number())
      return invalid(fmt::format("Value of {} must be numeric", op == "=" ? "equals" : op));
    return policyNumber(terms[i]);
  };
  if (!terms[0].is_string()) return invalid(fmt::format("Invalid member in numeric match: {}", show(terms[0])));
  std::string_view op = terms[0].get_string();
  if (op != "=" && op != "<" && op != "<=" && op != ">" && op != ">=")
    return invalid(fmt::format("Unrecognized numeric range operator: {}", op));
  auto first = bound(1, op);
  if (!first) return first.error();
  if (op == "=") {
    c.low = c.high = *first;
    c.lowInclusive = c.highInclusive = true;
  } else if (op[0] == '<') {
    c.high = *first;
    c.highInclusive = op == "<=";
  } else {
    c.low = *first;
    c.lowInclusive = op == ">=";
  }
  if (terms.size() == 2) return {};
  if (op[0] != '>') return invalid("Too many elements in numeric expression");
  if (!terms[2].is_string()) return invalid(fmt::format("Bad value in numeric range: {}", show(terms[2])));
  std::string_view op2 = terms[2].get_string();
  if (op2 != "<" && op2 != "<=") return invalid(fmt::format("Bad numeric range operator: {}", op2));
  auto second = bound(3, op2);
  if (!second) return second.error();
  if (*second <= c.low) return invalid("Bottom must be less than top");
  if (terms.size() > 4) return invalid("Too many terms in numeric range expression");
  c.high = *second;
  c.highInclusive = op2 == "<=";
  return {};
}

Result<void> compileAnythingBut(const json::value& v, Condition& c) {
  c.op = Op::AnythingBut;
  auto add = [&](const json::value& item) -> Result<void> {
    if (item.is_string()) {
      c.strings.emplace_back(item.get_string());
    } else if (item.is_number()) {
      auto x = policyNumber(item);
      if (!x) return x.error();
      c.numbers.push_back(*x);
    } else {
      return invalid("Inside anything but list, start|null|boolean is not supported.");
    }
    return {};
  };
  if (v.is_string() || v.is_number()) return add(v);
  if (v.is_array()) {
    if (v.get_array().empty()) return invalid("Empty arrays are not allowed");
    for (const auto& item : v.get_array())
      if (auto r = add(item); !r) return r;
    return {};
  }
  if (!v.is_object()) return invalid("Value of anything-but must be an array or single string/number value.");
  const json::object& o = v.get_object();
  if (o.size() != 1) return invalid("Only one key allowed in match expression");
  std::string_view inner = o.begin()->key();
  if (inner != "prefix" && inner != "suffix") return invalid(fmt::format("Unsupported anything-but pattern: {}", inner));
  if (!o.begin()->value().is_string()) return invalid(fmt::format("{} match pattern must be a string", inner));
  c.op = inner == "prefix" ? Op::AnythingButPrefix : Op::AnythingButSuffix;
  c.text = o.begin()->value().get_string();
  return {};
}

// One element of a key's value array.
Result<Condition> compileCondition(const json::value& v) {
  Condition c;
  switch (v.kind()) {
    case json::kind::string: c.op = Op::String; c.text = v.get_string(); return c;
    case json::kind::bool_: c.op = Op::Bool; c.flag = v.get_bool(); return c;
    case json::kind::null: c.op = Op::Null; return c;
    case json::kind::int64: case json::kind::uint64: case json::kind::double_: {
      auto x = policyNumber(v);
      if (!x) return x.error();
      c.op = Op::Number;
      c.number = *x;
      return c;
    }
    case json::kind::array: return invalid("Match value must be String, number, true, false, or null");
    case json::kind::object: break;
  }
  const json::object& o = v.get_object();
  if (o.empty()) return invalid("Empty objects are not allowed");
  if (o.size() != 1) return invalid("Only one key allowed in match expression");
  std::string_view op = o.begin()->key();
  const json::value& arg = o.begin()->value();
  Result<void> r;
  if (op == "prefix" || op == "suffix" || op == "equals-ignore-case") {
    if (!arg.is_string()) return invalid(fmt::format("{} match pattern must be a string", op));
    c.op = op == "prefix" ? Op::Prefix : op == "suffix" ? Op::Suffix : Op::EqualsIgnoreCase;
    c.text = arg.get_string();
    if (c.op == Op::EqualsIgnoreCase)
      std::transform(c.text.begin(), c.text.end(), c.text.begin(), [](unsigned char ch) { return std::tolower(ch); });
  } else if (op == "anything-but") {
    r = compileAnythingBut(arg, c);
  } else if (op == "numeric") {
    c.op = Op::Numeric;
    r = compileNumeric(arg, c);
  } else if (op == "exists") {
    if (!arg.is_bool()) return invalid("exists match pattern must be either true or false.");
    c.op = Op::Exists;
    c.flag = arg.get_bool();
  } else if (op == "cidr") {
    // AWS answers a non-string cidr with the prefix message.
    if (!arg.is_string()) return invalid("prefix match pattern must be a string");
    c.op = Op::Cidr;
    r = compileCidr(arg.get_string(), c);
  } else {
    return invalid(fmt::format("Unrecognized match type {}", op));
  }
  if (!r) return r.error();
  return c;
}

bool isOr(std::string_view key, const json::value& v) { return key == "$or" && v.is_array(); }

// Pass 1: the policy's shape, and its combinations (subscription-filter-policy-constraints.html:
// the product of the value counts, each weighted by its nesting depth; "$or" sums its branches).
Result<std::uint64_t> checkShape(const json::object& level, int depth, FilterScope scope) {
  std::uint64_t combinations = 1;
  for (const auto& [key, v] : level) {
    std::uint64_t n = 0;
    if (key == "$or") {
      if (!v.is_array() || v.get_array().size() < 2 ||
          std::any_of(v.get_array().begin(), v.get_array().end(), [](const json::value& b) { return !b.is_object(); }))
        return invalid("\"$or\" must be an array of at least 2 objects");
      for (const auto& branch : v.get_array()) {
        if (branch.get_object().empty()) return invalid("Empty objects are not allowed");
        auto sub = checkShape(branch.get_object(), depth, scope);
        if (!sub) return sub;
        n = saturate(n + *sub);
      }
    } else if (v.is_object()) {
      if (scope == FilterScope::MessageAttributes)
        return Error(ErrorCode::InvalidParameter,
                     "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy");
      if (v.get_object().empty()) return invalid("Empty objects are not allowed");
      auto sub = checkShape(v.get_object(), depth + 1, scope);
      if (!sub) return sub;
      n = *sub;
    } else if (v.is_array()) {
      if (v.get_array().empty()) return invalid("Empty arrays are not allowed");
      n = saturate(v.get_array().size() * static_cast<std::uint64_t>(depth));
    } else {
      return invalid(fmt::format("\"{}\" must be an object or an array", std::string_view(key)));
    }
    combinations = saturate(combinations * n);
  }
  return combinations;
}

// Keys a message must satisfy at once at the top level (nested keys don't count; "$or" counts
// its largest branch).
std::size_t topLevelKeys(const json::object& level) {
  std::size_t keys = 0, widestOr = 0;
  for (const auto& [key, v] : level) {
    if (!isOr(key, v)) {
      ++keys;
      continue;
    }
    std::size_t widest = 0;
    for (const auto& branch : v.get_array()) widest = std::max(widest, topLevelKeys(branch.get_object()));
    widestOr += widest;
  }
  return keys + widestOr;
}

// Pass 2: compile a level whose shape checkShape accepted.
Result<void> compileLevel(const json::object& level, Node& node) {
  for (const auto& [key, v] : level) {
    if (isOr(key, v)) {
      std::vector<Node> alternatives(v.get_array().size());
      for (std::size_t i = 0; i < alternatives.size(); ++i)
        if (auto r = compileLevel(v.get_array()[i].get_object(), alternatives[i]); !r) return r;
      node.anyOf.push_back(std::move(alternatives));
      continue;
    }
    Node::Field field{std::string(key), {}, nullptr};
    if (v.is_object()) {
      field.child = std::make_unique<Node>();
      if (auto r = compileLevel(v.get_object(), *field.child); !r) return r;
    } else {
      for (const auto& item : v.get_array()) {
        auto c = compileCondition(item);
        if (!c) return c.error();
        field.conditions.push_back(std::move(*c));
      }
    }
    node.fields.push_back(std::move(field));
  }
  return {};
}

// ---- matching ------------------------------------------------------------------------------

// One scalar value of a message: a string, a number, true/false or null.
struct Leaf {
  json::kind kind;
  std::string_view text{};
  double number = 0;
  bool flag = false;
};

std::optional<Leaf> leafOf(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string: return Leaf{json::kind::string, v.get_string()};
    case json::kind::int64: case json::kind::uint64: case json::kind::double_:
      return Leaf{json::kind::double_, {}, v.to_number<double>()};
    case json::kind::bool_: return Leaf{json::kind::bool_, {}, 0, v.get_bool()};
    case json::kind::null: return Leaf{json::kind::null};
    default: return std::nullopt;
  }
}

// The values a key has in a message: one leaf (String/Number attribute) or a JSON value whose
// scalars, arrays flattened, are the leaves (body property, String.Array attribute).
struct Values {
  std::optional<Leaf> single;
  const json::value* tree = nullptr;
};

template <class F>
bool anyLeafIn(const json::value& v, const F& f) {
  if (v.is_array()) return std::any_of(v.get_array().begin(), v.get_array().end(), [&](const json::value& e) { return anyLeafIn(e, f); });
  auto leaf = leafOf(v);
  return leaf && f(*leaf);
}

template <class F>
bool anyLeaf(const Values& values, const F& f) {
  if (values.single) return f(*values.single);
  return values.tree && anyLeafIn(*values.tree, f);
}

bool inCidr(const Condition& c, std::string_view text) {
  char ip[64];
  if (text.size() >= sizeof ip) return false;
  std::memcpy(ip, text.data(), text.size());
  ip[text.size()] = '\0';
  std::array<unsigned char, 16> addr{};
  if (inet_pton(c.v6 ? AF_INET6 : AF_INET, ip, addr.data()) != 1) return false;
  for (int i = 0; i < 16; ++i) {
    int keep = std::clamp(c.bits - 8 * i, 0, 8);
    if ((addr[i] & static_cast<unsigned char>(0xFF00 >> keep)) != c.net[i]) return false;
  }
  return true;
}

bool equalsIgnoreCase(std::string_view lowered, std::string_view text) {
  return lowered.size() == text.size() &&
         std::equal(text.begin(), text.end(), lowered.begin(),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

bool matches(const Condition& c, const Leaf& v) {
  const bool isString = v.kind == json::kind::string, isNumber = v.kind == json::kind::double_;
  switch (c.op) {
    case Op::String: return isString && v.text == c.text;
    case Op::Number: return isNumber && v.number == c.number;
    case Op::Bool: return v.kind == json::kind::bool_ && v.flag == c.flag;
    case Op::Null: return v.kind == json::kind::null;
    case Op::Prefix: return isString && v.text.starts_with(c.text);
    case Op::Suffix: return isString && v.text.ends_with(c.text);
    case Op::EqualsIgnoreCase: return isString && equalsIgnoreCase(c.text, v.text);
    case Op::AnythingBut:
      if (isString) return std::find(c.strings.begin(), c.strings.end(), v.text) == c.strings.end();
      if (isNumber) return std::find(c.numbers.begin(), c.numbers.end(), v.number) == c.numbers.end();
      return v.kind != json::kind::null;
    case Op::AnythingButPrefix: return v.kind != json::kind::null && !(isString && v.text.starts_with(c.text));
    case Op::AnythingButSuffix: return v.kind != json::kind::null && !(isString && v.text.ends_with(c.text));
    case Op::Numeric:
      return isNumber && (c.lowInclusive ? v.number >= c.low : v.number > c.low) &&
             (c.highInclusive ? v.number <= c.high : v.number < c.high);
    case Op::Cidr: return isString && inCidr(c, v.text);
    case Op::Exists: return false;  // decided per key, in matchesField
  }
  return false;
}

bool matchesField(const Node::Field& field, const Values& values) {
  const bool exists = anyLeaf(values, [](const Leaf& l) { return l.kind != json::kind::null; });
  return std::any_of(field.conditions.begin(), field.conditions.end(), [&](const Condition& c) {
    if (c.op == Op::Exists) return c.flag == exists;
    return anyLeaf(values, [&](const Leaf& l) { return matches(c, l); });
  });
}

bool matchesBodyLevel(const Node& node, const json::object* level);

// The object elements of a body array (nested arrays flattened) against a nested policy level.
bool anyElementMatches(const Node& child, const json::array& array, bool& sawObject) {
  for (const auto& e : array) {
    if (e.is_array() && anyElementMatches(child, e.get_array(), sawObject)) return true;
    if (!e.is_object()) continue;
    sawObject = true;
    if (matchesBodyLevel(child, &e.get_object())) return true;
  }
  return false;
}

// A nested policy level against a body value: an object, or an array whose object elements are
// tried one by one (keys of one level match within one element); otherwise the keys are absent.
bool matchesNested(const Node& child, const json::value* v) {
  if (v && v->is_object()) return matchesBodyLevel(child, &v->get_object());
  if (!v || !v->is_array()) return matchesBodyLevel(child, nullptr);
  bool sawObject = false;
  return anyElementMatches(child, v->get_array(), sawObject) || (!sawObject && matchesBodyLevel(child, nullptr));
}

bool matchesBodyLevel(const Node& node, const json::object* level) {
  for (const auto& field : node.fields) {
    const json::value* v = level ? level->if_contains(field.key) : nullptr;
    if (field.child ? !matchesNested(*field.child, v) : !matchesField(field, Values{std::nullopt, v})) return false;
  }
  return std::all_of(node.anyOf.begin(), node.anyOf.end(), [&](const std::vector<Node>& alternatives) {
    return std::any_of(alternatives.begin(), alternatives.end(), [&](const Node& n) { return matchesBodyLevel(n, level); });
  });
}

bool isBinary(std::string_view dataType) { return dataType == "Binary" || dataType.starts_with("Binary."); }

bool matchesAttributeField(const Node::Field& field, const FilterAttributes& attributes) {
  auto it = attributes.find(field.key);
  if (it == attributes.end() || isBinary(it->second.dataType)) return matchesField(field, Values{});
  const auto& [type, text] = it->second;
  if (type == "String.Array") {
    // Parsed on a stack buffer: no heap allocation for ordinary arrays.
    unsigned char buffer[1024];
    json::monotonic_resource resource(buffer, sizeof buffer);
    boost::system::error_code ec;
    json::value array = json::parse(text, ec, &resource);
    return matchesField(field, Values{std::nullopt, !ec && array.is_array() ? &array : nullptr});
  }
  if (type == "Number" || type.starts_with("Number.")) {
    double x = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
    bool ok = !text.empty() && ec == std::errc() && end == text.data() + text.size() && std::isfinite(x);
    return matchesField(field, ok ? Values{Leaf{json::kind::double_, {}, x}} : Values{});
  }
  return matchesField(field, Values{Leaf{json::kind::string, text}});
}

bool matchesAttributeLevel(const Node& node, const FilterAttributes& attributes) {
  for (const auto& field : node.fields)
    if (!matchesAttributeField(field, attributes)) return false;
  return std::all_of(node.anyOf.begin(), node.anyOf.end(), [&](const std::vector<Node>& alternatives) {
    return std::any_of(alternatives.begin(), alternatives.end(),
                       [&](const Node& n) { return matchesAttributeLevel(n, attributes); });
  });
}

}  // namespace

Result<FilterPolicy> FilterPolicy::parse(std::string_view text, FilterScope scope) {
  if (text.size() > kFilterPolicyMaxBytes) return invalid("Filter policy is too large");
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec) return invalid(fmt::format("failed to parse JSON. {}", ec.message()));
  if (!doc.is_object()) return invalid("Filter policy must be a JSON object");
  const json::object& root = doc.get_object();
  auto combinations = checkShape(root, 1, scope);
  if (!combinations) return combinations.error();
  if (topLevelKeys(root) > kFilterPolicyMaxKeys) return invalid("Filter policy can not have more than 5 keys");
  if (*combinations > kFilterPolicyMaxCombinations) return invalid("Filter policy is too complex");
  auto node = std::make_shared<Node>();
  if (auto r = compileLevel(root, *node); !r) return r.error();
  return FilterPolicy(std::move(node), scope);
}

bool FilterPolicy::empty() const { return root_->fields.empty() && root_->anyOf.empty(); }

bool FilterPolicy::matchesAttributes(const FilterAttributes& attributes) const {
  if (empty()) return true;
  // "exists": false needs at least one attribute (attribute-key-matching.html); Binary ones are ignored.
  if (std::all_of(attributes.begin(), attributes.end(), [](const auto& a) { return isBinary(a.second.dataType); }))
    return false;
  return matchesAttributeLevel(*root_, attributes);
}

bool FilterPolicy::matchesParsedBody(const json::value& body) const {
  if (empty()) return true;
  if (!body.is_object() || body.get_object().empty()) return false;
  return matchesBodyLevel(*root_, &body.get_object());
}

bool FilterPolicy::matchesBody(std::string_view messageBody) const {
  if (empty()) return true;
  unsigned char buffer[4096];
  json::monotonic_resource resource(buffer, sizeof buffer);
  json::parse_options options;
  options.max_depth = 128;
  boost::system::error_code ec;
  json::value body = json::parse(messageBody, ec, &resource, options);
  return !ec && matchesParsedBody(body);
}

}  // namespace overcast::sns
