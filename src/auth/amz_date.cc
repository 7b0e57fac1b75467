#include "auth/amz_date.h"

#include <array>
#include <chrono>

namespace overcast::auth {
namespace {

// Parses `s` as exactly s.size() decimal digits; -1 otherwise.
int digits(std::string_view s) {
  if (s.empty()) return -1;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

void appendPadded(std::string& out, long v, int width) {
  std::array<char, 8> buf{};
  for (int i = width - 1; i >= 0; --i) {
    buf[static_cast<std::size_t>(i)] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  out.append(buf.data(), static_cast<std::size_t>(width));
}

}  // namespace

std::optional<TimePoint> parseAmzDate(std::string_view s) {
  using namespace std::chrono;
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  int y = digits(s.substr(0, 4)), mo = digits(s.substr(4, 2)), d = digits(s.substr(6, 2));
  int h = digits(s.substr(9, 2)), mi = digits(s.substr(11, 2)), se = digits(s.substr(13, 2));
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || se < 0) return std::nullopt;
  if (h > 23 || mi > 59 || se > 60) return std::nullopt;  // 60: a leap second, as ISO 8601 allows
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return TimePoint(sys_days(ymd).time_since_epoch() + hours(h) + minutes(mi) + seconds(se));
}

std::string formatAmzDate(TimePoint t) {
  using namespace std::chrono;
  auto secs = floor<seconds>(t);
  auto days = floor<std::chrono::days>(secs);
  year_month_day ymd{days};
  hh_mm_ss hms{secs - days};
  std::string out;
  out.reserve(16);
  appendPadded(out, static_cast<int>(ymd.year()), 4);
  appendPadded(out, static_cast<unsigned>(ymd.month()), 2);
  appendPadded(out, static_cast<unsigned>(ymd.day()), 2);
  out.push_back('T');
  appendPadded(out, hms.hours().count(), 2);
  appendPadded(out, hms.minutes().count(), 2);
  appendPadded(out, hms.seconds().count(), 2);
  out.push_back('Z');
  return out;
}

std::optional<std::string> rfc1123ToAmzDate(std::string_view s) {
  // "Sun, 30 Aug 2015 12:36:00 GMT": fixed layout, 29 characters.
  static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 29 || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || s[19] != ':' ||
      s[22] != ':' || s.substr(25) != " GMT")
    return std::nullopt;
  std::size_t month = 0;
  while (month < kMonths.size() && kMonths[month] != s.substr(8, 3)) ++month;
  if (month == kMonths.size()) return std::nullopt;
  std::string out;
  out.reserve(16);
  out.append(s.substr(12, 4));
  appendPadded(out, static_cast<long>(month + 1), 2);
  out.append(s.substr(5, 2));
  out.push_back('T');
  out.append(s.substr(17, 2));
  out.append(s.substr(20, 2));
  out.append(s.substr(23, 2));
  out.push_back('Z');
  if (!parseAmzDate(out)) return std::nullopt;  // digits and ranges are checked there
  return out;
}

}  // namespace overcast::auth
