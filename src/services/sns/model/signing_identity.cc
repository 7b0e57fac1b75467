#include "services/sns/model/signing_identity.h"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "core/digest_algorithms.h"
#include "core/hex.h"

namespace overcast::sns {
namespace {

namespace fs = std::filesystem;

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
using Cert = std::unique_ptr<X509, decltype(&X509_free)>;

constexpr mode_t kKeyFileMode = 0600;
constexpr mode_t kCertificateFileMode = 0644;
constexpr long kClockSkewSeconds = 3600;
constexpr size_t kFileNameHashHexDigits = 32;

Error fileError(std::string_view what, const fs::path& path, std::string_view why) {
  return Error(ErrorCode::InternalFailure, fmt::format("SNS signing identity: {} {}: {}", what, path.string(), why));
}

Error fileErrno(std::string_view what, const fs::path& path) {
  return fileError(what, path, std::strerror(errno));
}

Error opensslError(std::string_view what) {
  char text[256] = "unknown error";
  if (unsigned long code = ERR_get_error(); code != 0) ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return Error(ErrorCode::InternalFailure, fmt::format("SNS signing identity: {}: {}", what, text));
}

std::string bioText(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

Result<void> fsyncDirectory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return fileErrno("cannot open directory", dir);
  int rc = ::fsync(fd);
  int savedErrno = errno;
  ::close(fd);
  errno = savedErrno;
  if (rc != 0) return fileErrno("cannot fsync directory", dir);
  return {};
}

Result<void> writeAll(int fd, std::string_view data, const fs::path& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fileErrno("cannot write", path);
    data.remove_prefix(static_cast<size_t>(n));
  }
  if (::fsync(fd) != 0) return fileErrno("cannot fsync", path);
  return {};
}

// Replaces `path` with `data` so that a crash leaves either the old file or the whole new one:
// a fresh temp file beside it (mode exactly `mode`, whatever the umask), fsync, rename, fsync of
// the directory.
Result<void> writeFileAtomically(const fs::path& path, std::string_view data, mode_t mode) {
  fs::path tmp = path;
  tmp += ".tmp";
  ::unlink(tmp.c_str());  // a leftover of a crash; O_EXCL below makes sure we start empty
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return fileErrno("cannot create", tmp);
  Result<void> written = ::fchmod(fd, mode) == 0 ? writeAll(fd, data, tmp) : fileErrno("cannot chmod", tmp);
  if (::close(fd) != 0 && written) written = fileErrno("cannot close", tmp);
  if (written && ::rename(tmp.c_str(), path.c_str()) != 0) written = fileErrno("cannot rename to", path);
  if (!written) {
    ::unlink(tmp.c_str());
    return written;
  }
  return fsyncDirectory(path.parent_path());
}

// The whole file, or nullopt when it does not exist.
Result<std::optional<std::string>> readFileIfExists(const fs::path& path) {
  std::error_code ec;
  bool exists = fs::exists(path, ec);
  if (ec) return fileError("cannot stat", path, ec.message());
  if (!exists) return std::optional<std::string>();
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) return fileError("cannot read", path, "open or read failed");
  return std::optional<std::string>(text.str());
}

Result<void> addExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return opensslError("cannot make certificate extension");
  int added = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  if (added != 1) return opensslError("cannot add certificate extension");
  return {};
}

constexpr size_t kSha256Size = 32;
using Sha256 = std::array<unsigned char, kSha256Size>;

// SHA-256 of a DER encoding that an OpenSSL i2d_* call allocated into `der` (freed here).
Sha256 sha256OfDer(unsigned char* der, int size) {
  Sha256 digest{};
  unsigned char out[EVP_MAX_MD_SIZE];
  digestInto(sha256Algorithm(), std::string_view(reinterpret_cast<char*>(der), static_cast<size_t>(size)), out);
  OPENSSL_free(der);
  std::copy_n(out, kSha256Size, digest.begin());
  return digest;
}

// A serial derived from the public key (SHA-256 of its DER, 16 bytes, positive and non-zero):
// unique per key, with no randomness needed.
Result<void> setSerial(X509* cert, EVP_PKEY* key) {
  unsigned char* der = nullptr;
  int derSize = i2d_PUBKEY(key, &der);
  if (derSize <= 0) return opensslError("cannot encode public key");
  Sha256 digest = sha256OfDer(der, derSize);
  constexpr int kSerialBytes = 16;
  digest[0] = static_cast<unsigned char>((digest[0] & 0x7f) | 0x40);
  BIGNUM* serial = BN_bin2bn(digest.data(), kSerialBytes, nullptr);
  bool ok = serial != nullptr && BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert)) != nullptr;
  BN_free(serial);
  if (!ok) return opensslError("cannot set certificate serial");
  return {};
}

Result<Cert> issueCertificate(EVP_PKEY* key, std::chrono::system_clock::time_point now) {
  Cert cert(X509_new(), X509_free);
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) return opensslError("cannot make certificate");
  if (Result<void> r = setSerial(cert.get(), key); !r) return r.error();
  std::time_t start = std::chrono::system_clock::to_time_t(now);
  if (X509_time_adj_ex(X509_getm_notBefore(cert.get()), 0, -kClockSkewSeconds, &start) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert.get()), kSigningCertificateValidityDays, 0, &start) == nullptr)
    return opensslError("cannot set certificate validity");
  if (X509_set_pubkey(cert.get(), key) != 1) return opensslError("cannot set certificate key");
  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string commonName(kSigningCertificateCommonName);
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(commonName.c_str()),
                                 -1, -1, 0) != 1 ||
      X509_set_issuer_name(cert.get(), name) != 1)
    return opensslError("cannot set certificate name");
  for (auto [nid, value] : {std::pair{NID_basic_constraints, "critical,CA:FALSE"},
                            std::pair{NID_key_usage, "critical,digitalSignature"},
                            std::pair{NID_subject_key_identifier, "hash"}})
    if (Result<void> r = addExtension(cert.get(), nid, value); !r) return r.error();
  if (X509_sign(cert.get(), key, sha256Algorithm()) == 0) return opensslError("cannot sign certificate");
  return cert;
}

// The certificate in `pem` when it is one, for `key`, and still valid at `now`; else null.
Cert usableCertificate(const std::string& pem, EVP_PKEY* key, std::chrono::system_clock::time_point now) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  Cert cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr, X509_free);
  ERR_clear_error();
  if (!cert) return cert;
  std::time_t at = std::chrono::system_clock::to_time_t(now);
  EVP_PKEY* certKey = X509_get0_pubkey(cert.get());
  if (certKey == nullptr || EVP_PKEY_eq(certKey, key) != 1 || X509_cmp_time(X509_get0_notAfter(cert.get()), &at) <= 0)
    cert.reset();
  ERR_clear_error();
  return cert;
}

Result<std::string> certificateFileNameOf(X509* cert) {
  unsigned char* der = nullptr;
  int derSize = i2d_X509(cert, &der);
  if (derSize <= 0) return opensslError("cannot encode certificate");
  const std::string hex = toHex(sha256OfDer(der, derSize));
  return fmt::format("SimpleNotificationService-{}.pem", hex.substr(0, kFileNameHashHexDigits));
}

}  // namespace

void SigningIdentity::KeyFree::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }

SigningIdentity::SigningIdentity(std::unique_ptr<EVP_PKEY, KeyFree> key, std::string certificatePem,
                                 std::string certificateFileName)
    : key_(std::move(key)),
      certificatePem_(std::move(certificatePem)),
      certificateFileName_(std::move(certificateFileName)) {}

Result<SigningIdentity> SigningIdentity::loadOrCreate(const fs::path& dir, std::chrono::system_clock::time_point now) {
  std::error_code ec;
  bool created = fs::create_directories(dir, ec);
  if (ec) return fileError("cannot create directory", dir, ec.message());
  if (created) {  // make the new directory's own entry durable (its parents are the caller's)
    fs::path full = fs::absolute(dir);
    if (!full.has_filename()) full = full.parent_path();  // "a/sns/" names "a/sns"
    if (Result<void> r = fsyncDirectory(full.parent_path()); !r) return r.error();
  }
  const fs::path keyPath = dir / kSigningKeyFile;
  const fs::path certPath = dir / kSigningCertificateFile;

  std::unique_ptr<EVP_PKEY, KeyFree> key;
  Result<std::optional<std::string>> keyPem = readFileIfExists(keyPath);
  if (!keyPem) return keyPem.error();
  if (*keyPem) {
    Bio bio(BIO_new_mem_buf((*keyPem)->data(), static_cast<int>((*keyPem)->size())), BIO_free);
    key.reset(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    ERR_clear_error();
    if (!key || EVP_PKEY_is_a(key.get(), "RSA") != 1)
      return fileError("cannot use", keyPath, "not a PEM RSA private key (left as it is)");
  } else {
    key.reset(EVP_RSA_gen(kSigningKeyBits));
    if (!key) return opensslError("cannot generate RSA key");
    Bio bio(BIO_new(BIO_s_mem()), BIO_free);
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
      return opensslError("cannot encode private key");
    if (Result<void> r = writeFileAtomically(keyPath, bioText(bio.get()), kKeyFileMode); !r) return r.error();
  }

  Result<std::optional<std::string>> certPem = readFileIfExists(certPath);
  if (!certPem) return certPem.error();
  Cert cert(nullptr, X509_free);
  if (*certPem) cert = usableCertificate(**certPem, key.get(), now);
  std::string pem;
  if (cert) {
    pem = std::move(**certPem);
  } else {
    Result<Cert> issued = issueCertificate(key.get(), now);
    if (!issued) return issued.error();
    cert = std::move(*issued);
    Bio bio(BIO_new(BIO_s_mem()), BIO_free);
    if (!bio || PEM_write_bio_X509(bio.get(), cert.get()) != 1) return opensslError("cannot encode certificate");
    pem = bioText(bio.get());
    if (Result<void> r = writeFileAtomically(certPath, pem, kCertificateFileMode); !r) return r.error();
  }

  Result<std::string> fileName = certificateFileNameOf(cert.get());
  if (!fileName) return fileName.error();
  return SigningIdentity(std::move(key), std::move(pem), std::move(*fileName));
}

Result<std::string> SigningIdentity::sign(SignatureVersion version, std::string_view data) const {
  return sns::sign(key_.get(), version, data);
}

Result<std::string> SigningIdentity::signedJson(const SnsMessage& message) const {
  return sns::signedJson(message, key_.get());
}

}  // namespace overcast::sns
