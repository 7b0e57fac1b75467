#include "core/id_generator.h"

#include <openssl/rand.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "core/hex.h"

namespace overcast {
namespace {

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
    return uuidText(b);
  }

  std::string randomHex(int bytes) override {
    std::vector<unsigned char> buf(static_cast<size_t>(bytes));
    fill(buf.data(), buf.size());
    return toHex(buf);
  }

 private:
  // Random bytes are drawn from OpenSSL's DRBG a pool at a time: a request takes two ids, and
  // each RAND_bytes call pays for a lock, a fork check and a DRBG round of its own. Bytes
  // handed out are wiped from the pool.
  void fill(unsigned char* p, size_t n) {
    if (n > sizeof pool_) return drbg(p, n);
    std::lock_guard lock(mu_);
    if (n > available_) {
      drbg(pool_, sizeof pool_);
      available_ = sizeof pool_;
    }
    unsigned char* from = pool_ + (sizeof pool_ - available_);
    std::memcpy(p, from, n);
    std::memset(from, 0, n);
    available_ -= n;
  }

  static void drbg(unsigned char* p, size_t n) {
    // RAND_bytes only fails when the OS entropy source is broken: nothing sane to do then.
    if (RAND_bytes(p, static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
  }

  std::mutex mu_;
  unsigned char pool_[1024];  // GUARDED_BY(mu_)
  size_t available_ = 0;      // GUARDED_BY(mu_): the unused bytes at the pool's end
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
