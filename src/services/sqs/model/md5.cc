#include "services/sqs/model/md5.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdint>

#include "core/digest_algorithms.h"
#include "core/hex.h"

namespace overcast::sqs {
namespace {

// Transport bytes of AWS's attribute encoding (aws-reference.md §A6).
constexpr unsigned char kTransportString = 1;
constexpr unsigned char kTransportBinary = 2;

std::string md5Hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  const unsigned int size = digestInto(md5Algorithm(), bytes, digest.data());
  return toHex(std::span<const unsigned char>(digest.data(), size));
}

void appendLengthPrefixed(std::string& out, std::string_view bytes) {
  const auto n = static_cast<uint32_t>(bytes.size());
  out.push_back(static_cast<char>((n >> 24) & 0xff));
  out.push_back(static_cast<char>((n >> 16) & 0xff));
  out.push_back(static_cast<char>((n >> 8) & 0xff));
  out.push_back(static_cast<char>(n & 0xff));
  out.append(bytes);
}

}  // namespace

std::string md5OfBody(std::string_view body) { return md5Hex(body); }

std::array<uint8_t, 16> md5OfBodyBytes(std::string_view body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  digestInto(md5Algorithm(), body, digest);
  std::array<uint8_t, 16> out{};
  std::copy_n(digest, out.size(), out.begin());
  return out;
}

std::string md5OfAttributes(const MessageAttributes& attributes) {
  if (attributes.empty()) return {};
  std::string buffer;
  // std::map iterates in byte order of the names, which is the order AWS digests them in.
  for (const auto& [name, attribute] : attributes) {
    appendLengthPrefixed(buffer, name);
    appendLengthPrefixed(buffer, attribute.dataType);
    buffer.push_back(static_cast<char>(attribute.binary() ? kTransportBinary : kTransportString));
    appendLengthPrefixed(buffer, attribute.value);
  }
  return md5Hex(buffer);
}

}  // namespace overcast::sqs
