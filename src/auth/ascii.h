// ASCII lowercasing for header names (HTTP field names are ASCII: no locale lookups). Header
// lookup itself is HttpRequest::findHeader.
// Internal to src/auth.
#pragma once

#include <string>
#include <string_view>

namespace overcast::auth {

constexpr char asciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string toAsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = asciiLower(c);
  return out;
}

}  // namespace overcast::auth
