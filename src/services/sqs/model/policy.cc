#include "services/sqs/model/policy.h"

#include <algorithm>
#include <cctype>

#include <boost/json.hpp>

#include "core/wildcard.h"
#include "services/sqs/model/names.h"

namespace overcast::sqs {
namespace {

namespace json = boost::json;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> strings(const json::value* v) {
  std::vector<std::string> out;
  if (!v) return out;
  if (v->is_string()) out.emplace_back(v->get_string());
  if (v->is_array())
    for (const auto& item : v->get_array())
      if (item.is_string()) out.emplace_back(item.get_string());
  return out;
}

// "123456789012", "arn:aws:iam::123456789012:root" or ":user/x" -> the account id.
std::string accountOf(const std::string& principal) {
  if (principal.rfind("arn:", 0) == 0) {
    size_t start = 0;
    for (int i = 0; i < 4; ++i) start = principal.find(':', start) + 1;
    return principal.substr(start, principal.find(':', start) - start);
  }
  return principal;
}

bool principalMatches(const json::value* principal, const PolicyRequest& r) {
  if (!principal) return false;
  if (principal->is_string()) return principal->get_string() == "*";
  if (!principal->is_object()) return false;
  const auto& o = principal->get_object();
  for (const auto& p : strings(o.if_contains("AWS")))
    if (p == "*" || (!r.principalAccount.empty() && accountOf(p) == r.principalAccount)) return true;
  for (const auto& s : strings(o.if_contains("Service")))
    if (!r.principalService.empty() && s == r.principalService) return true;
  return false;
}

bool actionMatches(const json::value* action, const PolicyRequest& r) {
  const std::string want = lower(r.action);
  for (const auto& a : strings(action))
    if (a == "*" || wildcardMatch(lower(a), want)) return true;
  return false;
}

bool resourceMatches(const json::value* resource, const PolicyRequest& r) {
  if (!resource) return true;
  for (const auto& res : strings(resource))
    if (wildcardMatch(res, r.resourceArn)) return true;
  return false;
}

bool conditionsHold(const json::value* condition, const PolicyRequest& r) {
  if (!condition) return true;
  if (!condition->is_object()) return false;
  for (const auto& [opKey, clauses] : condition->get_object()) {
    std::string op(opKey);
    bool ifExists = op.size() > 8 && op.ends_with("IfExists");
    if (ifExists) op.resize(op.size() - 8);
    if (!clauses.is_object()) return false;
    for (const auto& [keyName, values] : clauses.get_object()) {
      std::string key = lower(keyName);
      std::string have;
      if (key == "aws:sourcearn") have = r.sourceArn;
      else if (key == "aws:sourceaccount") have = r.sourceAccount;
      else return false;  // a key we do not know: the condition cannot be shown to hold
      if (have.empty()) {
        if (ifExists) continue;
        return false;
      }
      auto wanted = strings(&values);
      bool any;
      if (op == "StringEquals" || op == "ArnEquals")
        any = std::find(wanted.begin(), wanted.end(), have) != wanted.end();
      else if (op == "StringLike" || op == "ArnLike")
        any = std::any_of(wanted.begin(), wanted.end(), [&](const std::string& w) { return wildcardMatch(w, have); });
      else if (op == "StringNotEquals" || op == "ArnNotEquals")
        any = std::find(wanted.begin(), wanted.end(), have) == wanted.end();
      else
        return false;
      if (!any) return false;
    }
  }
  return true;
}

bool sidIs(const json::value& statement, std::string_view label) {
  if (!statement.is_object()) return false;
  auto* sid = statement.get_object().if_contains("Sid");
  return sid && sid->is_string() && sid->get_string() == label;
}

json::object parsePolicy(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return {};
  return v.get_object();
}

json::array statementsOf(const json::object& policy) {
  auto* s = policy.if_contains("Statement");
  if (!s) return {};
  if (s->is_array()) return s->get_array();
  if (s->is_object()) return json::array{*s};
  return {};
}

}  // namespace

PolicyDecision evaluatePolicy(std::string_view policyJson, const PolicyRequest& request) {
  if (policyJson.empty()) return PolicyDecision::NoMatch;
  PolicyDecision decision = PolicyDecision::NoMatch;
  for (const auto& s : statementsOf(parsePolicy(policyJson))) {
    if (!s.is_object()) continue;
    const auto& st = s.get_object();
    if (st.contains("NotPrincipal") || st.contains("NotAction") || st.contains("NotResource")) continue;
    if (!principalMatches(st.if_contains("Principal"), request) || !actionMatches(st.if_contains("Action"), request) ||
        !resourceMatches(st.if_contains("Resource"), request) || !conditionsHold(st.if_contains("Condition"), request))
      continue;
    auto* effect = st.if_contains("Effect");
    if (effect && effect->is_string() && effect->get_string() == "Deny") return PolicyDecision::Deny;
    if (effect && effect->is_string() && effect->get_string() == "Allow") decision = PolicyDecision::Allow;
  }
  return decision;
}

Result<std::string> addPermission(std::string_view policyJson, std::string_view queueArn, std::string_view label,
                                  const std::vector<std::string>& accounts, const std::vector<std::string>& actions,
                                  std::string_view service) {
  const std::string prefix = std::string(service) + ":";
  const std::string labelText(label);
  if (!isNameToken(label))
    return Error(ErrorCode::InvalidParameterValue,
                 "Value " + labelText + " for parameter Label is invalid. Reason: Must be 1-80 characters of "
                 "alphanumerics, hyphens and underscores.");
  json::object policy = parsePolicy(policyJson);
  json::array statements = statementsOf(policy);
  for (const auto& s : statements)
    if (sidIs(s, labelText))
      return Error(ErrorCode::InvalidParameterValue,
                   "Value " + labelText + " for parameter Label is invalid. Reason: Already exists.");
  json::array principals, acts;
  for (const auto& a : accounts) principals.emplace_back("arn:aws:iam::" + a + ":root");
  for (const auto& a : actions) acts.emplace_back(prefix + a);
  statements.push_back(json::object{{"Sid", labelText},
                                    {"Effect", "Allow"},
                                    {"Principal", json::object{{"AWS", principals.size() == 1 ? principals[0]
                                                                                               : json::value(principals)}}},
                                    {"Action", acts.size() == 1 ? acts[0] : json::value(acts)},
                                    {"Resource", std::string(queueArn)}});
  if (!policy.contains("Version")) policy["Version"] = "2012-10-17";
  if (!policy.contains("Id")) policy["Id"] = std::string(queueArn) + "/" + std::string(service) + "DefaultPolicy";
  policy["Statement"] = std::move(statements);
  return json::serialize(policy);
}

Result<std::string> removePermission(std::string_view policyJson, std::string_view label) {
  json::object policy = parsePolicy(policyJson);
  json::array statements = statementsOf(policy);
  const auto before = statements.size();
  json::array kept;
  for (auto& s : statements)
    if (!sidIs(s, label)) kept.push_back(s);
  if (kept.size() == before)
    return Error(ErrorCode::InvalidParameterValue, "Value " + std::string(label) +
                                                       " for parameter Label is invalid. Reason: can't find label on "
                                                       "existing policy.");
  if (kept.empty()) return std::string();
  policy["Statement"] = std::move(kept);
  return json::serialize(policy);
}

}  // namespace overcast::sqs
