// Wildcard matching as AWS filters and IAM policies use it: '*' matches any run of characters
// (also none), '?' exactly one. EC2 filters also let a backslash escape the next character
// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Filtering.html); IAM does not. Pure;
// iterative (backtracks only to the last '*'), so hostile patterns stay O(n*m).
#pragma once

#include <string_view>

namespace overcast {

enum class Escapes { None, Backslash };

bool wildcardMatch(std::string_view pattern, std::string_view text, Escapes escapes = Escapes::None);

}  // namespace overcast
