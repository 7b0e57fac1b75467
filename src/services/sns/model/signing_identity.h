// SigningIdentity: the RSA key that signs every SNS message this server delivers, and the
// self-signed certificate that subscribers fetch from SigningCertURL to check those signatures.
// Made once, at first start, and kept in a directory of the data dir so that signatures stay
// verifiable across restarts (a subscriber may have cached the certificate).
//
// Files (for the data directory layout in docs/formats.md):
//   <dir>/signing-key.pem   PKCS#8 PEM of an RSA 2048 private key, mode 0600. The source of truth.
//   <dir>/signing-cert.pem  PEM X.509 v3, CN=sns.amazonaws.com, self-signed with SHA256, for the key.
// Each file is replaced atomically (temp file, fsync, rename, fsync of the directory), the key
// before the certificate, so a crash leaves either no key, or a key with no (or an older)
// certificate; the next start then issues a certificate for the key it finds.
//
// Thread safety: immutable after loadOrCreate; all const methods may run concurrently (each
// signature uses its own EVP_MD_CTX over the shared, read-only EVP_PKEY).
#pragma once

#include <openssl/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "services/sns/model/message_signing.h"

namespace overcast::sns {

inline constexpr std::string_view kSigningKeyFile = "signing-key.pem";
inline constexpr std::string_view kSigningCertificateFile = "signing-cert.pem";
inline constexpr std::string_view kSigningCertificateCommonName = "sns.amazonaws.com";
inline constexpr int kSigningKeyBits = 2048;
inline constexpr int kSigningCertificateValidityDays = 20 * 365;

class SigningIdentity {
 public:
  // Loads the key and certificate from `dir`, creating `dir` and whatever is missing: a new key
  // (and certificate) when there is no key file; a new certificate for the key when the
  // certificate is missing, unreadable, for another key, or expired at `now`. `now` starts a
  // new certificate's validity (an hour earlier, for clock skew). InternalFailure, naming the path, when a file
  // cannot be read or written, or the key file exists but holds no private RSA key (a key is
  // never overwritten).
  static Result<SigningIdentity> loadOrCreate(const std::filesystem::path& dir,
                                              std::chrono::system_clock::time_point now);

  // The certificate as served at SigningCertURL (PEM, "-----BEGIN CERTIFICATE-----...").
  const std::string& certificatePem() const { return certificatePem_; }

  // "SimpleNotificationService-<first 32 hex digits of SHA-256 of the certificate DER>.pem":
  // stable for a certificate, and changes with it (so a cached old certificate is never reused).
  const std::string& certificateFileName() const { return certificateFileName_; }

  // base64 signature of `data` (see sns::sign). Thread-safe.
  Result<std::string> sign(SignatureVersion version, std::string_view data) const;

  // The signed JSON document for `message` (see sns::signedJson). Thread-safe.
  Result<std::string> signedJson(const SnsMessage& message) const;

  // The private key, for verification in tests and for callers of the free functions. Read only.
  EVP_PKEY* key() const { return key_.get(); }

 private:
  struct KeyFree {
    void operator()(EVP_PKEY* key) const;
  };

  SigningIdentity(std::unique_ptr<EVP_PKEY, KeyFree> key, std::string certificatePem,
                  std::string certificateFileName);

  std::unique_ptr<EVP_PKEY, KeyFree> key_;
  std::string certificatePem_;
  std::string certificateFileName_;
};

}  // namespace overcast::sns
