// EC2 key pair material (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateKeyPair.html,
// API_ImportKeyPair.html, UserGuide/verify-keys.html): making RSA 2048 and ED25519 key pairs with
// OpenSSL 3 and writing the private key as AWS hands it out once, reading the public keys that
// ImportKeyPair accepts, and AWS's fingerprints. Pure apart from the randomness of key generation.
//
// Private key formats (KeyMaterial):
//   rsa / pem      PKCS#1 "-----BEGIN RSA PRIVATE KEY-----"
//   ed25519 / pem  OpenSSH's "-----BEGIN OPENSSH PRIVATE KEY-----" (unencrypted, openssh-key-v1)
//   either / ppk   PuTTY-User-Key-File-2, unencrypted, with its HMAC-SHA-1 Private-MAC
// Fingerprints (KeyFingerprint):
//   created RSA    SHA-1 of the DER PKCS#8 private key, colon hex
//   imported RSA   MD5 of the DER SubjectPublicKeyInfo, colon hex
//   ED25519        base64 SHA-256 of the OpenSSH public key blob, with its "=" padding (AWS
//                  "might append padding to the fingerprint with = characters. Other tools, such
//                  as ssh-keygen, might omit this padding": UserGuide/verify-keys.html)
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace overcast::ec2 {

enum class KeyAlgorithm { Rsa, Ed25519 };
enum class PrivateKeyFormat { Pem, Ppk };

// "rsa" / "ed25519" (the model's KeyType enum).
std::string_view keyTypeName(KeyAlgorithm algorithm);

struct CreatedKey {
  std::string privateKey;     // KeyMaterial: returned once, never stored
  std::string publicOpenSsh;  // "ssh-rsa AAAA... <comment>"
  std::string fingerprint;    // KeyFingerprint
};

// A fresh RSA 2048 or ED25519 key pair; `comment` (the key name) ends the public key line and
// is the comment of the OpenSSH and PPK private keys. InternalFailure if OpenSSL fails.
Result<CreatedKey> createKeyPair(KeyAlgorithm algorithm, PrivateKeyFormat format, std::string_view comment);

struct ImportedKey {
  KeyAlgorithm algorithm = KeyAlgorithm::Rsa;
  int bits = 0;               // the RSA modulus size; 256 for ED25519
  std::string fingerprint;    // KeyFingerprint of an imported key
  std::string publicOpenSsh;  // "ssh-rsa AAAA... [comment]" re-encoded from the key
};

// The RSA sizes ImportKeyPair accepts (AWS documents 1024, 2048 and 4096).
inline constexpr int kMinImportedRsaBits = 1024;
inline constexpr int kMaxImportedRsaBits = 4096;

// ImportKeyPair's PublicKeyMaterial (the bytes after the wire's base64): an OpenSSH line
// ("ssh-rsa AAAA... [comment]", "ssh-ed25519 ..."), an RFC 4716 "---- BEGIN SSH2 PUBLIC KEY
// ----" block, or a DER SubjectPublicKeyInfo (raw, base64 or PEM "-----BEGIN PUBLIC KEY-----");
// also any of these base64-encoded once more (a client that encoded the text itself). RSA or
// ED25519 only. InvalidKeyPair.Format "Key is not in valid OpenSSH public key format" otherwise.
Result<ImportedKey> importPublicKey(std::string_view material);

// ---- Building blocks (tests use them) ----

// Standard padded base64.
std::string base64Encode(std::string_view bytes);
// Base64 with or without padding, whitespace ignored. InvalidParameterValue if malformed.
Result<std::string> base64Decode(std::string_view text);
// "0a:1b:..." lowercase.
std::string colonHex(std::string_view bytes);
// The blob of an OpenSSH public key line (its second field, decoded).
Result<std::string> openSshBlob(std::string_view line);
// Base64 (padded) SHA-256 of an OpenSSH public key blob: AWS's ED25519 fingerprint.
std::string sha256Fingerprint(std::string_view blob);

}  // namespace overcast::ec2
