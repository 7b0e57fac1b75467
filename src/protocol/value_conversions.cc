#include "protocol/value_conversions.h"

#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <openssl/evp.h>

namespace overcast::protocol::detail {
namespace {

constexpr int64_t kMillisPerDay = 86'400'000;

// Howard Hinnant's days_from_civil / civil_from_days: proleptic Gregorian, no time zone state.
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil { int64_t y; unsigned m, d; };

Civil civilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

// Reads exactly `n` digits at text[pos]; advances pos.
std::optional<unsigned> digits(std::string_view text, size_t& pos, size_t n) {
  if (pos + n > text.size()) return std::nullopt;
  unsigned v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  pos += n;
  return v;
}

bool expect(std::string_view text, size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

std::optional<int64_t> parseIso8601(std::string_view t) {
  size_t p = 0;
  auto y = digits(t, p, 4);
  if (!y || !expect(t, p, '-')) return std::nullopt;
  auto mo = digits(t, p, 2);
  if (!mo || !expect(t, p, '-')) return std::nullopt;
  auto d = digits(t, p, 2);
  if (!d || *mo < 1 || *mo > 12 || *d < 1 || *d > 31) return std::nullopt;
  int64_t millis = daysFromCivil(*y, *mo, *d) * kMillisPerDay;
  if (p == t.size()) return millis;
  if (!expect(t, p, 'T') && !expect(t, p, 't') && !expect(t, p, ' ')) return std::nullopt;
  auto h = digits(t, p, 2);
  if (!h || !expect(t, p, ':')) return std::nullopt;
  auto mi = digits(t, p, 2);
  if (!mi) return std::nullopt;
  unsigned s = 0;
  if (expect(t, p, ':')) {
    auto sec = digits(t, p, 2);
    if (!sec) return std::nullopt;
    s = *sec;
  }
  if (*h > 23 || *mi > 59 || s > 60) return std::nullopt;
  millis += ((*h * 60 + *mi) * 60 + s) * 1000LL;
  if (expect(t, p, '.')) {
    int64_t scale = 100;
    size_t start = p;
    while (p < t.size() && t[p] >= '0' && t[p] <= '9') {
      millis += (t[p] - '0') * scale;
      scale /= 10;
      ++p;
    }
    if (p == start) return std::nullopt;
  }
  if (p == t.size()) return millis;
  if (expect(t, p, 'Z') || expect(t, p, 'z')) {
    return p == t.size() ? std::optional<int64_t>(millis) : std::nullopt;
  }
  bool minus = t[p] == '-';
  if (!expect(t, p, '+') && !expect(t, p, '-')) return std::nullopt;
  auto oh = digits(t, p, 2);
  if (!oh) return std::nullopt;
  expect(t, p, ':');
  auto om = digits(t, p, 2);
  if (!om || p != t.size()) return std::nullopt;
  int64_t offset = (*oh * 60 + *om) * 60'000LL;
  return minus ? millis + offset : millis - offset;
}

}  // namespace

std::optional<int64_t> parseTimestamp(std::string_view text) {
  if (auto iso = parseIso8601(text)) return iso;
  auto seconds = parseDouble(text);
  if (!seconds || std::abs(*seconds) > 1e14) return std::nullopt;
  return static_cast<int64_t>(std::llround(*seconds * 1000.0));
}

std::string formatIso8601(int64_t epochMillis) {
  int64_t days = epochMillis / kMillisPerDay;
  int64_t rem = epochMillis % kMillisPerDay;
  if (rem < 0) {
    rem += kMillisPerDay;
    --days;
  }
  Civil c = civilFromDays(days);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", c.y, c.m, c.d, rem / 3'600'000,
                     rem / 60'000 % 60, rem / 1000 % 60, rem % 1000);
}

double epochSeconds(int64_t epochMillis) { return static_cast<double>(epochMillis) / 1000.0; }

std::string base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  for (char c : text) {  // EVP_DecodeBlock would skip whitespace; AWS does not accept it
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/' || c == '=';
    if (!ok) return std::nullopt;
  }
  std::string out(text.size() / 4 * 3 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes.
  size_t pad = 0;
  if (!text.empty() && text.back() == '=') pad = text[text.size() - 2] == '=' ? 2 : 1;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

std::optional<int64_t> parseInt64(std::string_view text) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<double> parseDouble(std::string_view text) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

std::optional<bool> parseBool(std::string_view text) {
  auto lower = [](std::string_view s, std::string_view word) {
    if (s.size() != word.size()) return false;
    for (size_t i = 0; i < s.size(); ++i) {
      char c = s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
      if (c != word[i]) return false;
    }
    return true;
  };
  if (lower(text, "true")) return true;
  if (lower(text, "false")) return false;
  return std::nullopt;
}

std::string formatDouble(double value) { return fmt::format("{}", value); }

}  // namespace overcast::protocol::detail
