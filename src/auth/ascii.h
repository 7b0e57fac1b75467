// ASCII helpers for header names. HTTP field names are ASCII, so these skip the locale lookup
// that std::tolower does on every character (a measurable share of verify() otherwise).
// Internal to src/auth.
#pragma once

#include <string>
#include <string_view>

#include "core/http_message.h"

namespace overcast::auth {

constexpr char asciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// True if `name` equals `lowerName` ignoring ASCII case; `lowerName` must already be lowercase.
constexpr bool equalsLowercase(std::string_view name, std::string_view lowerName) {
  if (name.size() != lowerName.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (asciiLower(name[i]) != lowerName[i]) return false;
  return true;
}

inline std::string toAsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = asciiLower(c);
  return out;
}

// The first header named `lowerName` (ASCII case-insensitive), or null.
inline const HttpHeader* findHeader(const HttpRequest& request, std::string_view lowerName) {
  for (const HttpHeader& h : request.headers)
    if (equalsLowercase(h.name, lowerName)) return &h;
  return nullptr;
}

}  // namespace overcast::auth
