#include "services/sqs/model/receipt_handle.h"

#include <openssl/evp.h>

#include <cassert>
#include <cstdint>
#include <optional>
#include <fmt/format.h>

namespace overcast::sqs {
namespace {

// Layout, version 1 (big-endian):
//   u8 version | i64 queueId | i64 sequence | i64 receiveCount | u8 nonce length | nonce bytes
// A version byte lets a later layout coexist with handles already held by clients.
constexpr uint8_t kVersion = 1;
constexpr size_t kFixedSize = 1 + 8 + 8 + 8 + 1;
constexpr size_t kMaxNonce = 255;
// AWS documents receipt handles as at most 1,024 characters.
constexpr size_t kMaxHandleText = 1024;

void putInt64(std::string& out, int64_t value) {
  const auto v = static_cast<uint64_t>(value);
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

int64_t getInt64(std::string_view in, size_t at) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(in[at + i]);
  return static_cast<int64_t>(v);
}

std::string base64url(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    else if (c == '/') c = '_';
  }
  return out;
}

bool isBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

std::optional<std::string> unbase64url(std::string_view text) {
  // EVP_DecodeBlock is lenient (it skips whitespace and accepts '='), so check the alphabet first.
  if (text.size() % 4 == 1) return std::nullopt;
  std::string padded;
  padded.reserve(text.size() + 3);
  for (char c : text) {
    if (!isBase64UrlChar(c)) return std::nullopt;
    padded.push_back(c == '-' ? '+' : c == '_' ? '/' : c);
  }
  const size_t padding = (4 - text.size() % 4) % 4;
  padded.append(padding, '=');
  std::string out(padded.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(padded.data()), static_cast<int>(padded.size()));
  if (n < 0 || static_cast<size_t>(n) < padding) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes.
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

}  // namespace

std::string encodeReceiptHandle(const ReceiptHandle& handle) {
  // REQUIRES: handle.nonce.size() <= 255 (the nonce comes from our IdGenerator, never a client).
  assert(handle.nonce.size() <= kMaxNonce);
  std::string bytes;
  bytes.reserve(kFixedSize + handle.nonce.size());
  bytes.push_back(static_cast<char>(kVersion));
  putInt64(bytes, handle.queueId);
  putInt64(bytes, handle.sequence);
  putInt64(bytes, handle.receiveCount);
  const auto nonce = std::string_view(handle.nonce).substr(0, kMaxNonce);
  bytes.push_back(static_cast<char>(nonce.size()));
  bytes.append(nonce);
  return base64url(bytes);
}

Result<ReceiptHandle> decodeReceiptHandle(std::string_view text) {
  auto invalid = [&] {
    return Error(ErrorCode::ReceiptHandleIsInvalid,
                 fmt::format("The input receipt handle \"{}\" is not a valid receipt handle.", text));
  };
  if (text.empty() || text.size() > kMaxHandleText) return invalid();
  const auto bytes = unbase64url(text);
  if (!bytes || bytes->size() < kFixedSize) return invalid();
  if (static_cast<uint8_t>((*bytes)[0]) != kVersion) return invalid();
  const size_t nonceSize = static_cast<unsigned char>((*bytes)[kFixedSize - 1]);
  if (bytes->size() != kFixedSize + nonceSize) return invalid();

  ReceiptHandle handle;
  handle.queueId = getInt64(*bytes, 1);
  handle.sequence = getInt64(*bytes, 9);
  handle.receiveCount = getInt64(*bytes, 17);
  handle.nonce = bytes->substr(kFixedSize);
  if (handle.queueId < 0 || handle.sequence < 0 || handle.receiveCount < 0) return invalid();
  // Base64 lets several texts carry the same bytes (unused low bits in the last character); only
  // the one we would have written is a handle, so a handle's text identifies it exactly.
  if (encodeReceiptHandle(handle) != text) return invalid();
  return handle;
}

}  // namespace overcast::sqs
