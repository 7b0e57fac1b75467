// IdGenerator: every resource id, request id and token comes from here (injected), so
// tests can assert exact output with a SequentialIdGenerator.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace overcast {

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // `prefix` + "-" + `hexDigits` lowercase hex digits, e.g. resourceId("i") -> "i-0123456789abcdef0".
  virtual std::string resourceId(std::string_view prefix, int hexDigits = 17) = 0;
  // A random (version 4) UUID in its 36-character text form: request ids, message ids.
  virtual std::string uuid() = 0;
  // `bytes` random bytes as lowercase hex: secrets and tokens.
  virtual std::string randomHex(int bytes) = 0;
};

// Cryptographically random ids (OpenSSL RAND_bytes). Thread-safe.
std::unique_ptr<IdGenerator> makeRandomIdGenerator();

// Deterministic ids for tests: counters rendered in the same formats. Thread-safe.
std::unique_ptr<IdGenerator> makeSequentialIdGenerator(uint64_t start = 1);

}  // namespace overcast
