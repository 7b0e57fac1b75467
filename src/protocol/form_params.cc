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

// Strict UTF-8 (no overlong forms, no surrogates, at most U+10FFFF): every query parameter is
// text; binary values travel base64-encoded.
bool isValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) n = 1, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) n = 2, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) n = 3, cp = c & 0x07;
    else return false;
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
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
    if (!isValidUtf8(*name) || !isValidUtf8(*value))
      return Error(ErrorCode::InvalidParameterValue,
                   "Parameter '" + (isValidUtf8(*name) ? *name : std::string("?")) + "' is not valid UTF-8.");
    if (params.size() >= kMaxParams)
      return Error(ErrorCode::InvalidParameterValue,
                   "The request has more than " + std::to_string(kMaxParams) + " parameters.");
    params.emplace_back(std::move(*name), std::move(*value));
  }
  return params;
}

}  // namespace overcast::protocol
