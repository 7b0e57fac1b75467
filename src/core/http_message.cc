#include "core/http_message.h"

#include <algorithm>
#include <cctype>

namespace overcast {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view HttpRequest::header(std::string_view name) const {
  for (const auto& h : headers)
    if (equalsIgnoreCase(h.name, name)) return h.value;
  return {};
}

bool HttpRequest::hasHeader(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const HttpHeader& h) { return equalsIgnoreCase(h.name, name); });
}

}  // namespace overcast
