#include "core/id_generator.h"

#include <openssl/rand.h>

#include <atomic>
#include <stdexcept>

#include <fmt/format.h>

namespace overcast {
namespace {

constexpr char kHex[] = "0123456789abcdef";

std::string toHex(const unsigned char* data, size_t n) {
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 0xf]);
  }
  return out;
}

class RandomIdGenerator final : public IdGenerator {
 public:
  std::string resourceId(std::string_view prefix, int hexDigits) override {
    std::string hex = randomHex((hexDigits + 1) / 2);
    hex.resize(static_cast<size_t>(hexDigits));
    return fmt::format("{}-{}", prefix, hex);
  }

  std::string uuid() override {
    unsigned char b[16];
    fill(b, sizeof b);
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
    std::string h = toHex(b, sizeof b);
    return fmt::format("{}-{}-{}-{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(12, 4),
                       h.substr(16, 4), h.substr(20));
  }

  std::string randomHex(int bytes) override {
    std::string buf(static_cast<size_t>(bytes), '\0');
    fill(reinterpret_cast<unsigned char*>(buf.data()), buf.size());
    return toHex(reinterpret_cast<const unsigned char*>(buf.data()), buf.size());
  }

 private:
  static void fill(unsigned char* p, size_t n) {
    // RAND_bytes only fails when the OS entropy source is broken: nothing sane to do then.
    if (RAND_bytes(p, static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
  }
};

class SequentialIdGenerator final : public IdGenerator {
 public:
  explicit SequentialIdGenerator(uint64_t start) : next_(start) {}

  std::string resourceId(std::string_view prefix, int hexDigits) override {
    return fmt::format("{}-{:0{}x}", prefix, next_++, hexDigits);
  }
  std::string uuid() override {
    return fmt::format("00000000-0000-4000-8000-{:012x}", next_++);
  }
  std::string randomHex(int bytes) override { return fmt::format("{:0{}x}", next_++, bytes * 2); }

 private:
  std::atomic<uint64_t> next_;
};

}  // namespace

std::unique_ptr<IdGenerator> makeRandomIdGenerator() { return std::make_unique<RandomIdGenerator>(); }
std::unique_ptr<IdGenerator> makeSequentialIdGenerator(uint64_t start) {
  return std::make_unique<SequentialIdGenerator>(start);
}

}  // namespace overcast
