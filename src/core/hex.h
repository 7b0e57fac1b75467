// Lowercase hex text of bytes and back, and the 8-4-4-4-12 text form of 16 bytes (UUIDs,
// message ids): digests, signatures, ids and tokens all use these.
#pragma once

#include <cstddef>
#include <span>
#include <string>

namespace overcast {

void appendHex(std::string& out, std::span<const unsigned char> bytes);
std::string toHex(std::span<const unsigned char> bytes);

// 0–15 for a hex digit of either case, -1 for anything else.
int hexDigitValue(char c);

// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", lowercase.
std::string uuidText(std::span<const unsigned char, 16> bytes);

}  // namespace overcast
