#include "services/ec2/model/key_material.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace overcast::ec2 {
namespace {

const char* const kFormatMessage = "Key is not in valid OpenSSH public key format";

Error formatError() { return Error(ErrorCode::InvalidKeyPairFormat, kFormatMessage); }
Error internal(std::string_view what) { return Error(ErrorCode::InternalFailure, "key generation failed: " + std::string(what)); }

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
struct BnFree {
  void operator()(BIGNUM* b) const { BN_clear_free(b); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using Bio = std::unique_ptr<BIO, BioFree>;

std::string bioText(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

std::string digest(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, md, nullptr);
  return std::string(reinterpret_cast<const char*>(out), len);
}

// ---- SSH wire encoding (RFC 4251 §5) ----

void putU32(std::string& out, uint32_t v) {
  out.push_back(static_cast<char>(v >> 24));
  out.push_back(static_cast<char>(v >> 16));
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v));
}
void putString(std::string& out, std::string_view s) {
  putU32(out, static_cast<uint32_t>(s.size()));
  out.append(s);
}
// mpint of a non-negative BIGNUM: big-endian, a leading zero byte when the top bit is set.
void putMpint(std::string& out, const BIGNUM* bn) {
  std::string bytes(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  if (!bytes.empty() && (static_cast<unsigned char>(bytes[0]) & 0x80)) bytes.insert(bytes.begin(), '\0');
  putString(out, bytes);
}

struct Reader {
  std::string_view in;
  bool ok = true;
  uint32_t u32() {
    if (in.size() < 4) {
      ok = false;
      return 0;
    }
    auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(in[i])); };
    uint32_t v = (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
    in.remove_prefix(4);
    return v;
  }
  std::string_view string() {
    uint32_t n = u32();
    if (!ok || in.size() < n) {
      ok = false;
      return {};
    }
    auto s = in.substr(0, n);
    in.remove_prefix(n);
    return s;
  }
};

// A positive mpint as a BIGNUM (negative or non-minimal encodings rejected).
Bn mpintToBn(std::string_view m) {
  if (m.empty() || (static_cast<unsigned char>(m[0]) & 0x80)) return nullptr;
  if (m.size() > 1 && m[0] == '\0' && !(static_cast<unsigned char>(m[1]) & 0x80)) return nullptr;
  return Bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(m.data()), static_cast<int>(m.size()), nullptr));
}

Bn bnParam(const EVP_PKEY* pkey, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1) return nullptr;
  return Bn(bn);
}

std::string wrap(std::string_view text, size_t width) {
  std::string out;
  for (size_t i = 0; i < text.size(); i += width) {
    out.append(text.substr(i, width));
    out.push_back('\n');
  }
  return out;
}

// ---- Public key blobs ----

std::string rsaBlob(const BIGNUM* e, const BIGNUM* n) {
  std::string blob;
  putString(blob, "ssh-rsa");
  putMpint(blob, e);
  putMpint(blob, n);
  return blob;
}
std::string ed25519Blob(std::string_view pub) {
  std::string blob;
  putString(blob, "ssh-ed25519");
  putString(blob, pub);
  return blob;
}

Pkey rsaPublicKey(const BIGNUM* n, const BIGNUM* e) {
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  if (!bld) return nullptr;
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n);
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e);
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  OSSL_PARAM_BLD_free(bld);
  if (!params) return nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
  EVP_PKEY* pkey = nullptr;
  if (ctx && EVP_PKEY_fromdata_init(ctx) == 1) EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  return Pkey(pkey);
}

std::string spkiDer(EVP_PKEY* pkey) {
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(pkey, &der);
  if (n <= 0) return {};
  std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

// ---- Private key files ----

// The OpenSSH private key format (PROTOCOL.key), unencrypted, for one ED25519 key.
std::string openSshPrivateKey(std::string_view seed, std::string_view pub, std::string_view comment) {
  std::string blob = ed25519Blob(pub);
  std::string priv;
  uint32_t check = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&check), sizeof check);
  putU32(priv, check);
  putU32(priv, check);
  putString(priv, "ssh-ed25519");
  putString(priv, pub);
  putString(priv, std::string(seed) + std::string(pub));
  putString(priv, comment);
  for (char pad = 1; priv.size() % 8 != 0; ++pad) priv.push_back(pad);
  std::string file("openssh-key-v1", 15);  // with its NUL
  putString(file, "none");
  putString(file, "none");
  putString(file, "");
  putU32(file, 1);
  putString(file, blob);
  putString(file, priv);
  return "-----BEGIN OPENSSH PRIVATE KEY-----\n" + wrap(base64Encode(file), 70) + "-----END OPENSSH PRIVATE KEY-----\n";
}

// PuTTY-User-Key-File-2, unencrypted: the MAC is HMAC-SHA-1 keyed by
// SHA-1("putty-private-key-file-mac-key") over string(alg) string(enc) string(comment)
// string(public blob) string(private blob).
std::string ppkV2(std::string_view alg, std::string_view publicBlob, std::string_view privateBlob,
                  std::string_view comment) {
  std::string macKey = digest(EVP_sha1(), "putty-private-key-file-mac-key");
  std::string macData;
  putString(macData, alg);
  putString(macData, "none");
  putString(macData, comment);
  putString(macData, publicBlob);
  putString(macData, privateBlob);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int macLen = 0;
  HMAC(EVP_sha1(), macKey.data(), static_cast<int>(macKey.size()),
       reinterpret_cast<const unsigned char*>(macData.data()), macData.size(), mac, &macLen);
  std::string pub64 = wrap(base64Encode(publicBlob), 64);
  std::string priv64 = wrap(base64Encode(privateBlob), 64);
  auto lines = [](const std::string& s) { return std::to_string(std::count(s.begin(), s.end(), '\n')); };
  std::string hex;
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned i = 0; i < macLen; ++i) {
    hex.push_back(kHex[mac[i] >> 4]);
    hex.push_back(kHex[mac[i] & 15]);
  }
  std::string out;
  out += "PuTTY-User-Key-File-2: " + std::string(alg) + "\n";
  out += "Encryption: none\n";
  out += "Comment: " + std::string(comment) + "\n";
  out += "Public-Lines: " + lines(pub64) + "\n" + pub64;
  out += "Private-Lines: " + lines(priv64) + "\n" + priv64;
  out += "Private-MAC: " + hex + "\n";
  return out;
}

Result<CreatedKey> createRsa(PrivateKeyFormat format, std::string_view comment) {
  Pkey pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048)));
  if (!pkey) return internal("RSA keygen");
  auto n = bnParam(pkey.get(), OSSL_PKEY_PARAM_RSA_N);
  auto e = bnParam(pkey.get(), OSSL_PKEY_PARAM_RSA_E);
  auto d = bnParam(pkey.get(), OSSL_PKEY_PARAM_RSA_D);
  auto p = bnParam(pkey.get(), OSSL_PKEY_PARAM_RSA_FACTOR1);
  auto q = bnParam(pkey.get(), OSSL_PKEY_PARAM_RSA_FACTOR2);
  auto iqmp = bnParam(pkey.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1);
  if (!n || !e || !d || !p || !q || !iqmp) return internal("RSA parameters");

  CreatedKey out;
  std::string blob = rsaBlob(e.get(), n.get());
  out.publicOpenSsh = "ssh-rsa " + base64Encode(blob);
  if (!comment.empty()) out.publicOpenSsh.append(" ").append(comment);  // not " " + ...: GCC 12 -O3 warns (restrict)

  // Fingerprint: SHA-1 of the DER PKCS#8 PrivateKeyInfo.
  PKCS8_PRIV_KEY_INFO* p8 = EVP_PKEY2PKCS8(pkey.get());
  if (!p8) return internal("PKCS#8");
  unsigned char* der = nullptr;
  int derLen = i2d_PKCS8_PRIV_KEY_INFO(p8, &der);
  PKCS8_PRIV_KEY_INFO_free(p8);
  if (derLen <= 0) return internal("PKCS#8 DER");
  std::string derText(reinterpret_cast<const char*>(der), static_cast<size_t>(derLen));
  OPENSSL_clear_free(der, static_cast<size_t>(derLen));
  out.fingerprint = colonHex(digest(EVP_sha1(), derText));
  OPENSSL_cleanse(derText.data(), derText.size());

  if (format == PrivateKeyFormat::Pem) {
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PrivateKey_traditional(bio.get(), pkey.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
      return internal("PEM");
    out.privateKey = bioText(bio.get());
  } else {
    std::string priv;
    putMpint(priv, d.get());
    putMpint(priv, p.get());
    putMpint(priv, q.get());
    putMpint(priv, iqmp.get());
    out.privateKey = ppkV2("ssh-rsa", blob, priv, comment);
    OPENSSL_cleanse(priv.data(), priv.size());
  }
  return out;
}

Result<CreatedKey> createEd25519(PrivateKeyFormat format, std::string_view comment) {
  Pkey pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!pkey) return internal("ED25519 keygen");
  std::array<unsigned char, 32> seed{}, pub{};
  size_t seedLen = seed.size(), pubLen = pub.size();
  if (EVP_PKEY_get_raw_private_key(pkey.get(), seed.data(), &seedLen) != 1 || seedLen != 32 ||
      EVP_PKEY_get_raw_public_key(pkey.get(), pub.data(), &pubLen) != 1 || pubLen != 32)
    return internal("ED25519 raw keys");
  std::string_view seedText(reinterpret_cast<const char*>(seed.data()), 32);
  std::string_view pubText(reinterpret_cast<const char*>(pub.data()), 32);

  CreatedKey out;
  std::string blob = ed25519Blob(pubText);
  out.publicOpenSsh = "ssh-ed25519 " + base64Encode(blob);
  if (!comment.empty()) out.publicOpenSsh.append(" ").append(comment);  // not " " + ...: GCC 12 -O3 warns (restrict)
  out.fingerprint = sha256Fingerprint(blob);
  if (format == PrivateKeyFormat::Pem) {
    out.privateKey = openSshPrivateKey(seedText, pubText, comment);
  } else {
    // PuTTY keeps the EdDSA private key as the seed read as a little-endian integer and writes
    // it back as a string of the field's 32 bytes (sshecc.c eddsa_private_blob).
    std::string priv;
    putString(priv, seedText);
    out.privateKey = ppkV2("ssh-ed25519", blob, priv, comment);
    OPENSSL_cleanse(priv.data(), priv.size());
  }
  OPENSSL_cleanse(seed.data(), seed.size());
  return out;
}

// ---- Importing ----

Result<ImportedKey> fromBlob(std::string_view blob, std::string_view comment) {
  Reader r{blob};
  auto type = r.string();
  ImportedKey out;
  if (r.ok && type == "ssh-rsa") {
    auto e = mpintToBn(r.string());
    auto n = mpintToBn(r.string());
    if (!r.ok || !r.in.empty() || !e || !n) return formatError();
    int bits = BN_num_bits(n.get());
    if (bits < kMinImportedRsaBits || bits > kMaxImportedRsaBits || !BN_is_odd(e.get()) || BN_is_one(e.get()))
      return formatError();
    auto pkey = rsaPublicKey(n.get(), e.get());
    if (!pkey) return formatError();
    std::string der = spkiDer(pkey.get());
    if (der.empty()) return formatError();
    out.algorithm = KeyAlgorithm::Rsa;
    out.bits = bits;
    out.fingerprint = colonHex(digest(EVP_md5(), der));
    out.publicOpenSsh = "ssh-rsa " + base64Encode(rsaBlob(e.get(), n.get()));
  } else if (r.ok && type == "ssh-ed25519") {
    auto pub = r.string();
    if (!r.ok || !r.in.empty() || pub.size() != 32) return formatError();
    Pkey pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                          reinterpret_cast<const unsigned char*>(pub.data()), pub.size()));
    if (!pkey) return formatError();
    out.algorithm = KeyAlgorithm::Ed25519;
    out.bits = 256;
    out.fingerprint = sha256Fingerprint(blob);
    out.publicOpenSsh = "ssh-ed25519 " + base64Encode(blob);
  } else {
    return formatError();
  }
  if (!comment.empty()) out.publicOpenSsh.append(" ").append(comment);  // not " " + ...: GCC 12 -O3 warns (restrict)
  return out;
}

Result<ImportedKey> fromPkey(EVP_PKEY* pkey) {
  if (EVP_PKEY_is_a(pkey, "RSA")) {
    auto n = bnParam(pkey, OSSL_PKEY_PARAM_RSA_N);
    auto e = bnParam(pkey, OSSL_PKEY_PARAM_RSA_E);
    if (!n || !e) return formatError();
    return fromBlob(rsaBlob(e.get(), n.get()), "");
  }
  if (EVP_PKEY_is_a(pkey, "ED25519")) {
    std::array<unsigned char, 32> pub{};
    size_t len = pub.size();
    if (EVP_PKEY_get_raw_public_key(pkey, pub.data(), &len) != 1 || len != 32) return formatError();
    return fromBlob(ed25519Blob(std::string_view(reinterpret_cast<const char*>(pub.data()), 32)), "");
  }
  return formatError();
}

Result<ImportedKey> fromDer(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  Pkey pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (!pkey || p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) return formatError();
  return fromPkey(pkey.get());
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// RFC 4716: "---- BEGIN SSH2 PUBLIC KEY ----", headers ("Tag: value", continued by a trailing
// backslash), the base64 body, "---- END SSH2 PUBLIC KEY ----".
Result<ImportedKey> fromRfc4716(std::string_view text) {
  std::string body;
  bool begun = false, ended = false, continued = false;
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (!begun) {
      if (line.empty()) continue;
      if (line != "---- BEGIN SSH2 PUBLIC KEY ----") return formatError();
      begun = true;
      continue;
    }
    if (line == "---- END SSH2 PUBLIC KEY ----") {
      ended = true;
      break;
    }
    if (continued) {
      continued = !line.empty() && line.back() == '\\';
      continue;
    }
    if (line.find(':') != std::string_view::npos) {
      continued = !line.empty() && line.back() == '\\';
      continue;
    }
    body.append(line);
  }
  if (!begun || !ended || !trim(text).empty()) return formatError();
  auto blob = base64Decode(body);
  if (!blob) return formatError();
  return fromBlob(*blob, "");
}

// "ssh-rsa AAAA... [comment]".
Result<ImportedKey> fromOpenSshLine(std::string_view text) {
  auto blob = openSshBlob(text);
  if (!blob) return formatError();
  auto line = trim(text);
  std::string_view comment;
  auto sp1 = line.find_first_of(" \t");
  auto rest = trim(line.substr(sp1));
  auto sp2 = rest.find_first_of(" \t");
  if (sp2 != std::string_view::npos) comment = trim(rest.substr(sp2));
  if (comment.find('\n') != std::string_view::npos) return formatError();
  // The type on the line must be the blob's.
  Reader r{*blob};
  if (r.string() != line.substr(0, sp1)) return formatError();
  return fromBlob(*blob, comment);
}

Result<ImportedKey> importText(std::string_view text, int depth) {
  auto t = trim(text);
  if (t.starts_with("ssh-rsa ") || t.starts_with("ssh-ed25519 ") || t.starts_with("ssh-rsa\t") ||
      t.starts_with("ssh-ed25519\t"))
    return fromOpenSshLine(t);
  if (t.starts_with("---- BEGIN SSH2 PUBLIC KEY ----")) return fromRfc4716(t);
  if (t.starts_with("-----BEGIN PUBLIC KEY-----")) {
    Bio bio(BIO_new_mem_buf(t.data(), static_cast<int>(t.size())));
    Pkey pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    if (!pkey) return formatError();
    return fromPkey(pkey.get());
  }
  if (!t.empty() && t[0] == 0x30) {  // raw DER SubjectPublicKeyInfo?
    if (auto der = fromDer(t)) return der;
  }
  // Base64 of one of the above (DER SubjectPublicKeyInfo, or a doubly encoded text).
  if (depth < 2) {
    auto decoded = base64Decode(t);
    if (decoded && !decoded->empty()) return importText(*decoded, depth + 1);
  }
  return formatError();
}

}  // namespace

std::string_view keyTypeName(KeyAlgorithm a) { return a == KeyAlgorithm::Rsa ? "rsa" : "ed25519"; }

Result<CreatedKey> createKeyPair(KeyAlgorithm algorithm, PrivateKeyFormat format, std::string_view comment) {
  return algorithm == KeyAlgorithm::Rsa ? createRsa(format, comment) : createEd25519(format, comment);
}

Result<ImportedKey> importPublicKey(std::string_view material) { return importText(material, 0); }

std::string base64Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto b = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[k])); };
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (b(i) << 16) | (b(i + 1) << 8) | b(i + 2);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  if (bytes.size() - i == 1) {
    uint32_t v = b(i) << 16;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out += "==";
  } else if (bytes.size() - i == 2) {
    uint32_t v = (b(i) << 16) | (b(i + 1) << 8);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back('=');
  }
  return out;
}

Result<std::string> base64Decode(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  uint32_t acc = 0;
  int bits = 0, pad = 0;
  size_t symbols = 0;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      ++pad;
      continue;
    }
    if (pad) return Error(ErrorCode::InvalidParameterValue, "invalid base64");
    int v = value(c);
    if (v < 0) return Error(ErrorCode::InvalidParameterValue, "invalid base64");
    ++symbols;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (symbols % 4 == 1 || pad > 2 || (pad && (symbols + pad) % 4 != 0))
    return Error(ErrorCode::InvalidParameterValue, "invalid base64");
  return out;
}

std::string colonHex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i) out.push_back(':');
    auto c = static_cast<unsigned char>(bytes[i]);
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

Result<std::string> openSshBlob(std::string_view line) {
  auto t = trim(line);
  auto sp = t.find_first_of(" \t");
  if (sp == std::string_view::npos) return formatError();
  auto rest = trim(t.substr(sp));
  auto end = rest.find_first_of(" \t");
  auto b64 = rest.substr(0, end);
  auto blob = base64Decode(b64);
  if (!blob || blob->empty()) return formatError();
  return blob;
}

std::string sha256Fingerprint(std::string_view blob) {
  return base64Encode(digest(EVP_sha256(), blob));
}

}  // namespace overcast::ec2
