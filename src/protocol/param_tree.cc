#include "protocol/param_tree.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

namespace overcast::protocol::detail {
namespace {

// Parameters every query request may carry that are not part of any operation's input.
bool isEnvelopeParam(std::string_view name) {
  static constexpr std::array<std::string_view, 7> kExact{
      "Action", "Version", "AWSAccessKeyId", "Timestamp", "Expires", "ContentType",
      "SecurityToken"};
  for (auto e : kExact) {
    if (name == e) return true;
  }
  return name.starts_with("X-Amz-") || name.starts_with("Signature");
}

// 18 digits fit in uint64 without overflow checks; longer "indices" are not indices.
constexpr size_t kMaxIndexDigits = 18;

bool parseIndex(std::string_view s, uint64_t& out) {
  if (s.empty() || s.size() > kMaxIndexDigits || s[0] == '0') return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  out = v;
  return true;
}

}  // namespace

const ParamNode* ParamNode::child(std::string_view name) const {
  auto it = children.find(name);
  return it == children.end() ? nullptr : it->second.get();
}

std::vector<const ParamNode*> ParamNode::indexed() const {
  std::vector<std::pair<uint64_t, const ParamNode*>> items;
  for (const auto& [name, node] : children) {
    uint64_t index = 0;
    if (parseIndex(name, index)) items.emplace_back(index, node.get());
  }
  // Distinct names give distinct indices (no leading zeros), so the order is total.
  std::sort(items.begin(), items.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const ParamNode*> out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(item.second);
  return out;
}

ParamNode buildParamTree(const Params& params) {
  ParamNode root;
  for (const auto& [name, value] : params) {
    if (name.empty() || isEnvelopeParam(name)) continue;
    if (static_cast<size_t>(std::count(name.begin(), name.end(), '.')) >= kMaxParamDepth) continue;
    ParamNode* node = &root;
    std::string_view rest = name;
    while (true) {
      size_t dot = rest.find('.');
      std::string_view part = rest.substr(0, dot);
      auto it = node->children.find(part);
      if (it == node->children.end()) {
        it = node->children.emplace(std::string(part), std::make_unique<ParamNode>()).first;
      }
      node = it->second.get();
      if (dot == std::string_view::npos) break;
      rest.remove_prefix(dot + 1);
    }
    if (!node->hasValue) {
      node->hasValue = true;
      node->value = value;
    }
  }
  return root;
}

}  // namespace overcast::protocol::detail
