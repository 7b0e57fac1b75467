// The MD5 digests SQS returns (aws-reference.md §A6). The SDKs of Java, .NET, Go and
// JavaScript recompute them and reject a message whose digest differs. Pure.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace overcast::sqs {

// One message attribute as SQS stores it. `value` is the UTF-8 StringValue, or the decoded
// bytes of a BinaryValue.
struct MessageAttribute {
  std::string dataType;  // "String", "Number", "Binary", or "<one of those>.<custom>"
  std::string value;
  bool binary() const { return dataType.rfind("Binary", 0) == 0; }
};

// Sorted by name, as the digest requires.
using MessageAttributes = std::map<std::string, MessageAttribute>;

// Lowercase hex MD5 of the body bytes.
std::string md5OfBody(std::string_view body);
// The same digest as its 16 bytes.
std::array<uint8_t, 16> md5OfBodyBytes(std::string_view body);

// AWS's attribute digest: for each attribute by name, length-prefixed name, data type, a
// transport byte (1 string/number, 2 binary) and length-prefixed value. Empty string if none.
std::string md5OfAttributes(const MessageAttributes& attributes);

}  // namespace overcast::sqs
