// parseFormEncoded: application/x-www-form-urlencoded and query strings (codec.h).
#include <optional>

#include "protocol/codec.h"

namespace overcast::protocol {
namespace {

std::optional<int> hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

// Percent-decodes one name or value; '+' is a space (HTML forms, and botocore's urlencode).
Result<std::string> decodeComponent(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      std::optional<int> hi = i + 1 < text.size() ? hexValue(text[i + 1]) : std::nullopt;
      std::optional<int> lo = i + 2 < text.size() ? hexValue(text[i + 2]) : std::nullopt;
      if (!hi || !lo) {
        return Error(ErrorCode::MalformedQueryString,
                     "Malformed percent-encoding in the query string at offset " +
                         std::to_string(i));
      }
      out.push_back(static_cast<char>(*hi * 16 + *lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

Result<Params> parseFormEncoded(std::string_view text) {
  Params params;
  while (!text.empty()) {
    size_t amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;  // "a=1&&b=2"
    size_t eq = pair.find('=');
    auto name = decodeComponent(pair.substr(0, eq));
    if (!name) return name.error();
    auto value = decodeComponent(eq == std::string_view::npos ? std::string_view()
                                                              : pair.substr(eq + 1));
    if (!value) return value.error();
    params.emplace_back(std::move(*name), std::move(*value));
  }
  return params;
}

}  // namespace overcast::protocol
