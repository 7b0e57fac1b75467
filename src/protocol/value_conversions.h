// Scalar conversions shared by the decoders and encoders: timestamps (the value tree holds
// int64 milliseconds since the Unix epoch), base64 blobs, and strict number/boolean parsing
// (AWS rejects "12abc" as an integer). Internal to src/protocol.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace overcast::protocol::detail {

// "2024-01-02T03:04:05Z", with optional fraction and "+hh:mm"/"-hh:mm" offset, or a bare date
// "2024-01-02"; also epoch seconds ("1704164645" or "1704164645.5"), which botocore accepts too.
std::optional<int64_t> parseTimestamp(std::string_view text);
// ISO 8601 with milliseconds and Z: "2024-01-02T03:04:05.000Z".
std::string formatIso8601(int64_t epochMillis);
// Epoch seconds with the fraction, for JSON: 1704164645.5.
double epochSeconds(int64_t epochMillis);

std::string base64Encode(std::string_view bytes);
std::optional<std::string> base64Decode(std::string_view text);

std::optional<int64_t> parseInt64(std::string_view text);
std::optional<double> parseDouble(std::string_view text);
std::optional<bool> parseBool(std::string_view text);  // "true"/"false", any case

// Shortest text that reads back as the same double ("1.5", "100").
std::string formatDouble(double value);

}  // namespace overcast::protocol::detail
