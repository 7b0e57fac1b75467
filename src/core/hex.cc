#include "core/hex.h"

namespace overcast {
namespace {

constexpr char kHex[] = "0123456789abcdef";

}  // namespace

void appendHex(std::string& out, std::span<const unsigned char> bytes) {
  for (unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0x0f]);
  }
}

std::string toHex(std::span<const unsigned char> bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  appendHex(out, bytes);
  return out;
}

int hexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string uuidText(std::span<const unsigned char, 16> bytes) {
  std::string out(36, '-');
  size_t pos = 0;
  for (unsigned char b : bytes) {
    if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
    out[pos++] = kHex[b >> 4];
    out[pos++] = kHex[b & 0x0f];
  }
  return out;
}

}  // namespace overcast
