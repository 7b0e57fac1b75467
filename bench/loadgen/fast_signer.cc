#include "fast_signer.h"

#include <array>
#include <cstring>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <utility>

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace overcast::bench {

namespace {

using Digest = std::array<unsigned char, 32>;

void toHex(const unsigned char* data, std::size_t size, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 0xF];
  }
}

Digest hmacOnce(std::string_view key, std::string_view data) {
  Digest out{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &size);
  return out;
}

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

MdCtx newCtx() {
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx) throw std::runtime_error("EVP_MD_CTX_new failed");
  return ctx;
}

// Per-thread state: the cached key for one (secret, date, region, service) and the contexts.
struct ThreadState {
  MdCtx inner = newCtx(), outer = newCtx(), work = newCtx();
  const void* keyOwner = nullptr;  // the signer whose key the pads below hold ...
  std::string keyDate;             // ... for this date (yyyymmdd)
  std::time_t second = -1;
  char amzDate[17] = {};  // yyyymmddThhmmssZ
  std::string canonical, toSign;

  void digest(std::string_view data, Digest& out) {
    EVP_DigestInit_ex(work.get(), EVP_sha256(), nullptr);
    EVP_DigestUpdate(work.get(), data.data(), data.size());
    EVP_DigestFinal_ex(work.get(), out.data(), nullptr);
  }

  // Installs the HMAC pads of the derived signing key for this date.
  void derive(const std::string& secret, std::string_view date, const std::string& region,
              const std::string& service) {
    Digest k = hmacOnce("AWS4" + secret, date);
    k = hmacOnce({reinterpret_cast<const char*>(k.data()), k.size()}, region);
    k = hmacOnce({reinterpret_cast<const char*>(k.data()), k.size()}, service);
    k = hmacOnce({reinterpret_cast<const char*>(k.data()), k.size()}, "aws4_request");
    unsigned char ipad[64], opad[64];
    std::memset(ipad, 0x36, sizeof ipad);
    std::memset(opad, 0x5c, sizeof opad);
    for (std::size_t i = 0; i < k.size(); ++i) {
      ipad[i] ^= k[i];
      opad[i] ^= k[i];
    }
    EVP_DigestInit_ex(inner.get(), EVP_sha256(), nullptr);
    EVP_DigestUpdate(inner.get(), ipad, sizeof ipad);
    EVP_DigestInit_ex(outer.get(), EVP_sha256(), nullptr);
    EVP_DigestUpdate(outer.get(), opad, sizeof opad);
  }

  // HMAC-SHA256 with the installed key: copies of the padded contexts, no key schedule.
  void hmac(std::string_view data, Digest& out) {
    Digest innerDigest{};
    EVP_MD_CTX_copy_ex(work.get(), inner.get());
    EVP_DigestUpdate(work.get(), data.data(), data.size());
    EVP_DigestFinal_ex(work.get(), innerDigest.data(), nullptr);
    EVP_MD_CTX_copy_ex(work.get(), outer.get());
    EVP_DigestUpdate(work.get(), innerDigest.data(), innerDigest.size());
    EVP_DigestFinal_ex(work.get(), out.data(), nullptr);
  }
};

ThreadState& threadState() {
  thread_local ThreadState state;
  return state;
}

}  // namespace

std::string sha256Hex(std::string_view data) {
  Digest d{};
  threadState().digest(data, d);
  std::string out(64, '0');
  toHex(d.data(), d.size(), out.data());
  return out;
}

FastSigner::FastSigner(std::string accessKey, std::string secretKey, std::string region,
                       std::string service)
    : accessKey_(std::move(accessKey)),
      secretKey_(std::move(secretKey)),
      region_(std::move(region)),
      service_(std::move(service)) {}

void FastSigner::appendAuthHeaders(std::string_view host, std::string_view contentType,
                                   std::string_view amzTarget, std::string_view body,
                                   std::string& out) const {
  ThreadState& s = threadState();
  std::time_t now = std::time(nullptr);
  if (now != s.second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(s.amzDate, sizeof s.amzDate, "%Y%m%dT%H%M%SZ", &tm);
    s.second = now;
  }
  std::string_view amzDate(s.amzDate, 16);
  std::string_view date = amzDate.substr(0, 8);
  // The pads belong to one signer and one date; anything else re-derives (four HMACs).
  if (s.keyOwner != this || s.keyDate != date) {
    s.derive(secretKey_, date, region_, service_);
    s.keyOwner = this;
    s.keyDate.assign(date);
  }

  Digest d{};
  char hex[64];
  s.digest(body, d);
  toHex(d.data(), d.size(), hex);

  std::string_view signedHeaders =
      amzTarget.empty() ? "content-type;host;x-amz-date" : "content-type;host;x-amz-date;x-amz-target";
  std::string& c = s.canonical;
  c.assign("POST\n/\n\ncontent-type:");
  c.append(contentType).append("\nhost:").append(host).append("\nx-amz-date:").append(amzDate);
  if (!amzTarget.empty()) c.append("\nx-amz-target:").append(amzTarget);
  c.append("\n\n").append(signedHeaders).append("\n").append(hex, 64);

  s.digest(c, d);
  toHex(d.data(), d.size(), hex);
  std::string& t = s.toSign;
  t.assign("AWS4-HMAC-SHA256\n").append(amzDate).append("\n").append(date);
  t.append("/").append(region_).append("/").append(service_).append("/aws4_request\n");
  t.append(hex, 64);
  s.hmac(t, d);
  toHex(d.data(), d.size(), hex);

  out.append("X-Amz-Date: ").append(amzDate).append("\r\nAuthorization: AWS4-HMAC-SHA256 Credential=");
  out.append(accessKey_).append("/").append(date).append("/").append(region_).append("/");
  out.append(service_).append("/aws4_request, SignedHeaders=").append(signedHeaders);
  out.append(", Signature=").append(hex, 64).append("\r\n");
}

}  // namespace overcast::bench
