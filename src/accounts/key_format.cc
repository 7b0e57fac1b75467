#include "accounts/key_format.h"

#include <cstdint>
#include <vector>

#include <fmt/format.h>

namespace overcast::accounts {
namespace {

std::vector<uint8_t> hexBytes(std::string_view hex) {
  auto nibble = [](char c) -> uint8_t {
    if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<uint8_t>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<uint8_t>(c - 'A' + 10);
    return 0;
  };
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<uint8_t>((nibble(hex[i]) << 4) | nibble(hex[i + 1])));
  }
  return out;
}

// Reads `bits` bits MSB-first as consecutive groups of `width` bits, each an index into `alphabet`.
std::string encodeBits(const std::vector<uint8_t>& bytes, int width, std::string_view alphabet, size_t chars) {
  std::string out;
  uint32_t acc = 0;
  int have = 0;
  size_t next = 0;
  while (out.size() < chars) {
    if (have < width) {
      acc = (acc << 8) | (next < bytes.size() ? bytes[next] : 0);
      ++next;
      have += 8;
    }
    out.push_back(alphabet[(acc >> (have - width)) & ((1u << width) - 1)]);
    have -= width;
  }
  return out;
}

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr uint64_t kAccountIdSpace = 1'000'000'000'000ULL;  // 12 digits

}  // namespace

bool isValidAccountId(std::string_view id) {
  if (id.size() != 12) return false;
  for (char c : id) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string newAccountId(IdGenerator& ids) {
  uint64_t n = 0;
  for (uint8_t b : hexBytes(ids.randomHex(8))) n = (n << 8) | b;
  return fmt::format("{:012}", n % kAccountIdSpace);
}

std::string newAccessKeyId(IdGenerator& ids) {
  return "AKIA" + encodeBits(hexBytes(ids.randomHex(10)), 5, kBase32, 16);
}

std::string newSecretAccessKey(IdGenerator& ids) { return encodeBits(hexBytes(ids.randomHex(30)), 6, kBase64, 40); }

}  // namespace overcast::accounts
