// ParamTree: query parameters ("Filter.1.Value.2=x") split on '.' into a tree, so the model-driven
// decoder can look members up by wire name. Internal to src/protocol.
//
// Hostile input is cheap by construction: the tree holds only the names that were sent, list
// indices stay sparse ("Filter.99999999.Name" is one node, not an array of 10^8) and are
// compacted in index order when read, and names nested deeper than any AWS model are dropped.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/codec.h"

namespace overcast::protocol::detail {

struct ParamNode {
  bool hasValue = false;
  std::string value;
  std::map<std::string, std::unique_ptr<ParamNode>, std::less<>> children;

  const ParamNode* child(std::string_view name) const;
  // Children named by a positive decimal index ("1", "2", "17"), sorted by that index; the
  // others are ignored. A repeated index keeps the first one sent.
  std::vector<const ParamNode*> indexed() const;
};

// No AWS input model nests this deep (EC2's deepest are about 8 levels with indices).
inline constexpr size_t kMaxParamDepth = 32;

// The tree of `params`; names in `skip` at the top level (Action, Version, auth parameters)
// are left out. A repeated name keeps its first value.
ParamNode buildParamTree(const Params& params);

}  // namespace overcast::protocol::detail
