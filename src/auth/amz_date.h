// The SigV4 timestamp "yyyymmddThhmmssZ" (ISO 8601 basic, UTC): parsing, formatting, and the
// conversion from an HTTP Date header (RFC 1123), which SigV4 accepts when X-Amz-Date is absent.
// Internal to src/auth.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace overcast::auth {

// nullopt unless `s` is exactly 16 characters of a valid calendar date and time.
std::optional<TimePoint> parseAmzDate(std::string_view s);

// Whole seconds, UTC.
std::string formatAmzDate(TimePoint t);

// "Sun, 30 Aug 2015 12:36:00 GMT" -> "20150830T123600Z"; nullopt if not RFC 1123.
std::optional<std::string> rfc1123ToAmzDate(std::string_view s);

}  // namespace overcast::auth
