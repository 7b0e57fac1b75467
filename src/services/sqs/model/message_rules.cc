#include "services/sqs/model/message_rules.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdint>
#include <optional>

namespace overcast::sqs {
namespace {

constexpr size_t kMaxMessageAttributes = 10;
constexpr size_t kMaxAttributeNameLength = 256;
constexpr size_t kMaxDataTypeLength = 256;

// Decodes the code point at `i` and advances `i`; -1 for a malformed sequence (the protocol layer
// should have rejected it, but a body must never be read past its end because of it).
int32_t nextCodePoint(std::string_view s, size_t& i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  int extra = 0;
  int32_t cp = 0;
  if (lead < 0x80) { ++i; return lead; }
  if ((lead & 0xe0) == 0xc0) { extra = 1; cp = lead & 0x1f; }
  else if ((lead & 0xf0) == 0xe0) { extra = 2; cp = lead & 0x0f; }
  else if ((lead & 0xf8) == 0xf0) { extra = 3; cp = lead & 0x07; }
  else { ++i; return -1; }
  if (i + extra >= s.size()) { i = s.size(); return -1; }
  for (int k = 1; k <= extra; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xc0) != 0x80) { i += k; return -1; }
    cp = (cp << 6) | (c & 0x3f);
  }
  i += extra + 1;
  // Overlong forms would let a disallowed character hide behind an allowed-looking encoding.
  static constexpr int32_t kMinimum[] = {0, 0x80, 0x800, 0x10000};
  return cp < kMinimum[extra] ? -1 : cp;
}

// The XML 1.0 character set, which is what SQS accepts (SendMessage.MessageBody doc).
bool allowedCodePoint(int32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
         (cp >= 0x10000 && cp <= 0x10FFFF);
}

// The first disallowed code point, or nullopt when all are allowed; -1 stands for bad UTF-8.
std::optional<int32_t> firstBadCodePoint(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c >= 0x20 && c < 0x80) || c == '\t' || c == '\n' || c == '\r') {  // allowed ASCII: most bodies
      ++i;
      continue;
    }
    const auto cp = nextCodePoint(text, i);
    if (cp < 0 || !allowedCodePoint(cp)) return cp;
  }
  return std::nullopt;
}

bool startsWithIgnoringCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

bool isNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

// A decimal number as SQS's Number type accepts: sign, digits, optional fraction, optional exponent.
bool isNumber(std::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    const size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - start;
  };
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t mantissa = digits();
  if (i < s.size() && s[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

Error invalid(std::string message) { return Error(ErrorCode::InvalidParameterValue, std::move(message)); }

Result<void> validateName(std::string_view name) {
  if (name.empty()) return invalid("The request must contain non-empty message attribute name.");
  if (name.size() > kMaxAttributeNameLength)
    return invalid(fmt::format("Message (user) attribute name must be shorter than {} bytes.", kMaxAttributeNameLength));
  for (char c : name)
    if (!isNameChar(c))
      return invalid(fmt::format(
          "Invalid non-alphanumeric character '#x{:X}' was found in the message attribute name. Can only include "
          "alphanumeric characters, hyphens, underscores, or dots.",
          static_cast<unsigned char>(c)));
  if (startsWithIgnoringCase(name, "AWS.") || startsWithIgnoringCase(name, "Amazon."))
    return invalid(
        "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for "
        "internal use by Amazon Web Services.");
  if (name.front() == '.' || name.back() == '.')
    return invalid("Message (user) attribute name can not start or end with a period character.");
  if (name.find("..") != std::string_view::npos)
    return invalid("Message (user) attribute name can not have successive period characters.");
  return {};
}

Result<void> validateDataType(std::string_view name, std::string_view type) {
  if (type.empty())
    return invalid(fmt::format("The message attribute '{}' must contain non-empty message attribute type.", name));
  if (type.size() > kMaxDataTypeLength)
    return invalid(fmt::format("Message (user) attribute '{}' type must be shorter than {} bytes.", name,
                               kMaxDataTypeLength));
  for (std::string_view base : {"String", "Number", "Binary"}) {
    if (!type.starts_with(base)) continue;
    const auto rest = type.substr(base.size());
    // "String" alone, or "String.<custom>" with a non-empty custom part.
    if (rest.empty() || (rest.size() > 1 && rest.front() == '.')) return {};
  }
  return invalid(fmt::format(
      "The type of message (user) attribute '{}' is invalid. You must use only the following supported type "
      "prefixes: Binary, Number, String.",
      name));
}

}  // namespace

Result<void> validateBody(std::string_view body) {
  if (const auto bad = firstBadCodePoint(body)) {
    if (*bad < 0) return Error(ErrorCode::InvalidMessageContents, "Invalid UTF-8 was found in the message body.");
    return Error(ErrorCode::InvalidMessageContents,
                 fmt::format("Invalid binary character '#x{:X}' was found in the message body, the set of allowed "
                             "characters is #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF",
                             *bad));
  }
  return {};
}

Result<void> validateMessageAttributes(const MessageAttributes& attributes) {
  if (attributes.size() > kMaxMessageAttributes)
    return invalid(fmt::format("Number of message attributes [{}] exceeds the allowed maximum [{}].",
                               attributes.size(), kMaxMessageAttributes));
  for (const auto& [name, attribute] : attributes) {
    if (auto r = validateName(name); !r) return r;
    if (auto r = validateDataType(name, attribute.dataType); !r) return r;
    const std::string_view base = std::string_view(attribute.dataType).substr(0, 6);
    if (attribute.value.empty())
      return invalid(fmt::format(
          "The message attribute '{}' must contain non-empty message attribute value for message attribute type "
          "'{}'.",
          name, base));
    if (attribute.binary()) continue;
    if (firstBadCodePoint(attribute.value))
      return invalid(fmt::format(
          "The message attribute '{}' contains invalid characters. Valid characters are #x9 | #xA | #xD | "
          "#x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF",
          name));
    if (base == "Number" && !isNumber(attribute.value))
      return invalid(fmt::format("Can't cast the value of message (user) attribute '{}' to a number.", name));
  }
  return {};
}

size_t messageSize(std::string_view body, const MessageAttributes& attributes) {
  size_t size = body.size();
  for (const auto& [name, attribute] : attributes)
    size += name.size() + attribute.dataType.size() + attribute.value.size();
  return size;
}

}  // namespace overcast::sqs
