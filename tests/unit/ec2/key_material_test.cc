// model/key_material: every private key format and fingerprint checked by re-deriving it with
// OpenSSL from what a client receives, and the import formats against vectors made once with
// `ssh-keygen -t rsa -b 2048 / -t ed25519` and checked with `ssh-keygen -e -m PKCS8 | openssl
// pkey -pubin -outform DER | openssl md5 -c` and `ssh-keygen -l`.
#include "services/ec2/model/key_material.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdint>
#include <sstream>
#include <vector>

#include <gtest/gtest.h>

namespace overcast::ec2 {
namespace {

// ---- Vectors (ssh-keygen 2048-bit RSA, 1024-bit RSA, ED25519; ECDSA for a refusal) ----
constexpr const char* kRsaLine =
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCMaNSEjxckTyuMb4jG7jlssuR5yUk24QC3W+4XxD4jMdDMChIIcENd14emZMHSF8C8V1AsHZdVye"
    "D7D1SqWYgRqxKMGnBKdMfrVVc67l9aBVw/GUoKpHzyjUJfpfMJCgP++tMFcW2smGm6wT1vMWhEM4cqpJ+sZpwjD2zojX8fFIIyN3INw6GTEa0n9++s"
    "WYYTvarp4zi552W3Nn4Vb+LZUoX5RNnZznb/XlWgEgQz7zU8cMYDnkW++/1iQYn/+2PTix/JldovJA0RbBZT8r9enwlvlr768k62KnP5nOSpdJQ78N"
    "uirDAxt2R9B473WeR0EF2MWqchrhQgnVAaMzGH vec@rsa";
constexpr const char* kRsaMd5 = "f5:3d:97:ce:56:72:61:3a:fb:3a:e8:45:91:ca:bc:cb";
constexpr const char* kRsaRfc4716 =
    "---- BEGIN SSH2 PUBLIC KEY ----\n"
    "Comment: \"2048-bit RSA, converted by root@vm from \\\n"
    "OpenSSH\"\n"
    "AAAAB3NzaC1yc2EAAAADAQABAAABAQCMaNSEjxckTyuMb4jG7jlssuR5yUk24QC3W+4XxD\n"
    "4jMdDMChIIcENd14emZMHSF8C8V1AsHZdVyeD7D1SqWYgRqxKMGnBKdMfrVVc67l9aBVw/\n"
    "GUoKpHzyjUJfpfMJCgP++tMFcW2smGm6wT1vMWhEM4cqpJ+sZpwjD2zojX8fFIIyN3INw6\n"
    "GTEa0n9++sWYYTvarp4zi552W3Nn4Vb+LZUoX5RNnZznb/XlWgEgQz7zU8cMYDnkW++/1i\n"
    "QYn/+2PTix/JldovJA0RbBZT8r9enwlvlr768k62KnP5nOSpdJQ78NuirDAxt2R9B473We\n"
    "R0EF2MWqchrhQgnVAaMzGH\n"
    "---- END SSH2 PUBLIC KEY ----\n";
constexpr const char* kRsaSpkiBase64 =
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAjGjUhI8XJE8rjG+Ixu45bLLkeclJNuEAt1vuF8Q+IzHQzAoSCHBDXdeHpmTB0hfAvFdQLB2X"
    "Vcng+w9UqlmIEasSjBpwSnTH61VXOu5fWgVcPxlKCqR88o1CX6XzCQoD/vrTBXFtrJhpusE9bzFoRDOHKqSfrGacIw9s6I1/HxSCMjdyDcOhkxGtJ/fv"
    "rFmGE72q6eM4uedltzZ+FW/i2VKF+UTZ2c52/15VoBIEM+81PHDGA55Fvvv9YkGJ//tj04sfyZXaLyQNEWwWU/K/Xp8Jb5a++vJOtipz+ZzkqXSUO/Db"
    "oqwwMbdkfQeO91nkdBBdjFqnIa4UIJ1QGjMxhwIDAQAB";
constexpr const char* kRsa1024Line =
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDM2CzAVJ0G6/3VzT7CCTGLSEBLGU8pKg7Pu7mTayxkSdDIRNpvqtdsRKAcrDhx7Kkq3bxi1JNwzAE"
    "vK5CfEno07VGQ8c/5izO1YabQrBjbikb1JW3+3YeKWuJLLujyG0oc7KYoJv6Qw8j1JSVAh4+pQ5CVfXPZXvf2/GZ8khC7vw== root@vm";
constexpr const char* kRsa1024Md5 = "ed:d9:ac:93:2f:9e:55:0b:aa:5c:e5:8e:cb:81:6d:79";
constexpr const char* kEdLine = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDgXJtXd7Cn97FaXxKYkm4Fnugky4vjgjYiuhK4dgyuW vec@ed";
// `ssh-keygen -l`: SHA256:5qUmKU0hi+xlTK0LtRPU35nXVOKDHpImtrSaDNKHawU (AWS keeps the padding).
constexpr const char* kEdSha256 = "5qUmKU0hi+xlTK0LtRPU35nXVOKDHpImtrSaDNKHawU=";
constexpr const char* kEcdsaLine =
    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBDd1JKQMUF8hNkAH5iOHoUmU944Ap2wAxRdLdJ4GG0cag"
    "icKwkBjP7eCBWcu9ELqXS11pSuVvNJLRlYBj5d60H0= root@vm";

// ---- Test-side decoding, independent of the code under test ----

std::string b64decode(std::string text) {
  std::erase_if(text, [](char c) { return c == '\n' || c == '\r' || c == ' '; });
  std::string out(text.size() / 4 * 3 + 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  EXPECT_GE(n, 0);
  size_t pad = text.ends_with("==") ? 2 : text.ends_with('=') ? 1 : 0;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}
std::string b64encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}
std::string hash(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, md, nullptr);
  return std::string(reinterpret_cast<char*>(out), len);
}
std::string hexColons(std::string_view bytes) {
  std::string out;
  char buf[4];
  for (unsigned char c : bytes) {
    snprintf(buf, sizeof buf, out.empty() ? "%02x" : ":%02x", c);
    out += buf;
  }
  return out;
}

struct SshReader {
  std::string_view in;
  uint32_t u32() {
    EXPECT_GE(in.size(), 4u);
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(in[static_cast<size_t>(i)]);
    in.remove_prefix(4);
    return v;
  }
  std::string str() {
    uint32_t n = u32();
    EXPECT_GE(in.size(), n);
    std::string s(in.substr(0, n));
    in.remove_prefix(n);
    return s;
  }
};
std::string sshString(std::string_view s) {
  std::string out;
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((s.size() >> shift) & 0xff));
  return out + std::string(s);
}
BIGNUM* mpint(const std::string& m) {
  return BN_bin2bn(reinterpret_cast<const unsigned char*>(m.data()), static_cast<int>(m.size()), nullptr);
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

struct Ppk {
  std::string algorithm, encryption, comment, publicBlob, privateBlob, mac;
};
Ppk parsePpk(const std::string& text) {
  auto ls = lines(text);
  Ppk p;
  size_t i = 0;
  auto field = [&](std::string_view name) {
    EXPECT_TRUE(ls.at(i).starts_with(std::string(name) + ": ")) << ls.at(i);
    return ls.at(i++).substr(name.size() + 2);
  };
  p.algorithm = field("PuTTY-User-Key-File-2");
  p.encryption = field("Encryption");
  p.comment = field("Comment");
  int n = std::stoi(field("Public-Lines"));
  std::string b;
  for (int k = 0; k < n; ++k) b += ls.at(i++);
  p.publicBlob = b64decode(b);
  n = std::stoi(field("Private-Lines"));
  b.clear();
  for (int k = 0; k < n; ++k) b += ls.at(i++);
  p.privateBlob = b64decode(b);
  p.mac = field("Private-MAC");
  EXPECT_EQ(i, ls.size());
  return p;
}
// PuTTY's v2 MAC (PuTTY doc Appendix C), recomputed here.
std::string expectedPpkMac(const Ppk& p) {
  std::string key = hash(EVP_sha1(), "putty-private-key-file-mac-key");
  std::string data = sshString(p.algorithm) + sshString(p.encryption) + sshString(p.comment) +
                     sshString(p.publicBlob) + sshString(p.privateBlob);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), mac, &len);
  std::string hex;
  char buf[3];
  for (unsigned k = 0; k < len; ++k) {
    snprintf(buf, sizeof buf, "%02x", mac[k]);
    hex += buf;
  }
  return hex;
}

std::string blobOfLine(const std::string& line) {
  auto a = line.find(' ');
  auto b = line.find(' ', a + 1);
  return b64decode(line.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1));
}

// ---- Created keys ----

TEST(KeyMaterialTest, CreatedRsaPemIsPkcs1AndItsFingerprintIsSha1OfPkcs8) {
  auto key = createKeyPair(KeyAlgorithm::Rsa, PrivateKeyFormat::Pem, "my-key");
  ASSERT_TRUE(key) << key.error().message();
  ASSERT_TRUE(key->privateKey.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
  ASSERT_TRUE(key->privateKey.ends_with("-----END RSA PRIVATE KEY-----\n"));
  BIO* bio = BIO_new_mem_buf(key->privateKey.data(), static_cast<int>(key->privateKey.size()));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  ASSERT_NE(pkey, nullptr);
  EXPECT_EQ(EVP_PKEY_get_bits(pkey), 2048);
  // openssl pkcs8 -topk8 -nocrypt -outform DER | openssl sha1 -c
  PKCS8_PRIV_KEY_INFO* p8 = EVP_PKEY2PKCS8(pkey);
  unsigned char* der = nullptr;
  int n = i2d_PKCS8_PRIV_KEY_INFO(p8, &der);
  EXPECT_EQ(key->fingerprint, hexColons(hash(EVP_sha1(), std::string_view(reinterpret_cast<char*>(der), n))));
  EXPECT_EQ(key->fingerprint.size(), 59u);
  OPENSSL_free(der);
  PKCS8_PRIV_KEY_INFO_free(p8);
  // The public line is this key's: its import fingerprint is the MD5 of this key's SPKI.
  EXPECT_TRUE(key->publicOpenSsh.starts_with("ssh-rsa AAAAB3NzaC1yc2E"));
  EXPECT_TRUE(key->publicOpenSsh.ends_with(" my-key"));
  der = nullptr;
  n = i2d_PUBKEY(pkey, &der);
  auto imported = importPublicKey(key->publicOpenSsh);
  ASSERT_TRUE(imported);
  EXPECT_EQ(imported->fingerprint, hexColons(hash(EVP_md5(), std::string_view(reinterpret_cast<char*>(der), n))));
  OPENSSL_free(der);
  EVP_PKEY_free(pkey);
}

TEST(KeyMaterialTest, CreatedEd25519PemIsOpenSshPrivateKeyOfThePublicKey) {
  auto key = createKeyPair(KeyAlgorithm::Ed25519, PrivateKeyFormat::Pem, "ed-key");
  ASSERT_TRUE(key) << key.error().message();
  const std::string begin = "-----BEGIN OPENSSH PRIVATE KEY-----\n", end = "-----END OPENSSH PRIVATE KEY-----\n";
  ASSERT_TRUE(key->privateKey.starts_with(begin));
  ASSERT_TRUE(key->privateKey.ends_with(end));
  for (const auto& l : lines(key->privateKey)) EXPECT_LE(l.size(), 70u);
  std::string file = b64decode(key->privateKey.substr(begin.size(), key->privateKey.size() - begin.size() - end.size()));
  ASSERT_EQ(file.substr(0, 15), std::string("openssh-key-v1", 15));
  SshReader r{std::string_view(file).substr(15)};
  EXPECT_EQ(r.str(), "none");
  EXPECT_EQ(r.str(), "none");
  EXPECT_EQ(r.str(), "");
  EXPECT_EQ(r.u32(), 1u);
  std::string blob = r.str();
  std::string priv = r.str();
  EXPECT_TRUE(r.in.empty());
  EXPECT_EQ(priv.size() % 8, 0u);
  SshReader p{priv};
  EXPECT_EQ(p.u32(), p.u32());  // check ints
  EXPECT_EQ(p.str(), "ssh-ed25519");
  std::string pub = p.str();
  std::string secret = p.str();
  EXPECT_EQ(p.str(), "ed-key");
  ASSERT_EQ(pub.size(), 32u);
  ASSERT_EQ(secret.size(), 64u);
  EXPECT_EQ(secret.substr(32), pub);
  // The seed makes the public key.
  EVP_PKEY* pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                                reinterpret_cast<const unsigned char*>(secret.data()), 32);
  ASSERT_NE(pkey, nullptr);
  unsigned char derived[32];
  size_t len = 32;
  ASSERT_EQ(EVP_PKEY_get_raw_public_key(pkey, derived, &len), 1);
  EVP_PKEY_free(pkey);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(derived), 32), pub);
  EXPECT_EQ(blob, sshString("ssh-ed25519") + sshString(pub));
  EXPECT_EQ(blobOfLine(key->publicOpenSsh), blob);
  EXPECT_EQ(key->publicOpenSsh.substr(key->publicOpenSsh.rfind(' ')), " ed-key");
  EXPECT_EQ(key->fingerprint, b64encode(hash(EVP_sha256(), blob)));
  EXPECT_EQ(key->fingerprint.size(), 44u);
  EXPECT_EQ(key->fingerprint.back(), '=');
}

TEST(KeyMaterialTest, CreatedRsaPpkIsPuttyV2WithAValidMacAndKey) {
  auto key = createKeyPair(KeyAlgorithm::Rsa, PrivateKeyFormat::Ppk, "putty-rsa");
  ASSERT_TRUE(key) << key.error().message();
  Ppk ppk = parsePpk(key->privateKey);
  EXPECT_EQ(ppk.algorithm, "ssh-rsa");
  EXPECT_EQ(ppk.encryption, "none");
  EXPECT_EQ(ppk.comment, "putty-rsa");
  EXPECT_EQ(ppk.mac, expectedPpkMac(ppk));
  EXPECT_EQ(ppk.publicBlob, blobOfLine(key->publicOpenSsh));
  SshReader pubR{ppk.publicBlob};
  EXPECT_EQ(pubR.str(), "ssh-rsa");
  BIGNUM* e = mpint(pubR.str());
  BIGNUM* n = mpint(pubR.str());
  SshReader privR{ppk.privateBlob};
  BIGNUM* d = mpint(privR.str());
  BIGNUM* p = mpint(privR.str());
  BIGNUM* q = mpint(privR.str());
  BIGNUM* iqmp = mpint(privR.str());
  EXPECT_TRUE(privR.in.empty());
  BN_CTX* ctx = BN_CTX_new();
  BIGNUM* t = BN_new();
  BN_mul(t, p, q, ctx);
  EXPECT_EQ(BN_cmp(t, n), 0) << "p*q != n";
  EXPECT_EQ(BN_num_bits(n), 2048);
  BN_mod_mul(t, iqmp, q, p, ctx);
  EXPECT_TRUE(BN_is_one(t)) << "iqmp is not q^-1 mod p";
  // d*e = 1 mod (p-1)
  BIGNUM* p1 = BN_dup(p);
  BN_sub_word(p1, 1);
  BN_mod_mul(t, d, e, p1, ctx);
  EXPECT_TRUE(BN_is_one(t));
  for (BIGNUM* b : {e, n, d, p, q, iqmp, t, p1}) BN_free(b);
  BN_CTX_free(ctx);
}

TEST(KeyMaterialTest, CreatedEd25519PpkHoldsTheSeedOfThePublicKey) {
  auto key = createKeyPair(KeyAlgorithm::Ed25519, PrivateKeyFormat::Ppk, "putty-ed");
  ASSERT_TRUE(key) << key.error().message();
  Ppk ppk = parsePpk(key->privateKey);
  EXPECT_EQ(ppk.algorithm, "ssh-ed25519");
  EXPECT_EQ(ppk.mac, expectedPpkMac(ppk));
  SshReader pubR{ppk.publicBlob};
  EXPECT_EQ(pubR.str(), "ssh-ed25519");
  std::string pub = pubR.str();
  SshReader privR{ppk.privateBlob};
  std::string seed = privR.str();
  ASSERT_EQ(seed.size(), 32u);
  EVP_PKEY* pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                                reinterpret_cast<const unsigned char*>(seed.data()), 32);
  unsigned char derived[32];
  size_t len = 32;
  ASSERT_EQ(EVP_PKEY_get_raw_public_key(pkey, derived, &len), 1);
  EVP_PKEY_free(pkey);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(derived), 32), pub);
  EXPECT_EQ(key->fingerprint, b64encode(hash(EVP_sha256(), ppk.publicBlob)));
}

TEST(KeyMaterialTest, EveryCreatedKeyIsNew) {
  auto a = createKeyPair(KeyAlgorithm::Ed25519, PrivateKeyFormat::Pem, "a");
  auto b = createKeyPair(KeyAlgorithm::Ed25519, PrivateKeyFormat::Pem, "a");
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->fingerprint, b->fingerprint);
  EXPECT_NE(a->privateKey, b->privateKey);
}

// ---- Imported keys ----

TEST(KeyMaterialTest, ImportsEveryFormatOfOneRsaKeyToTheSameMd5Fingerprint) {
  std::string bare = std::string(kRsaLine).substr(0, std::string(kRsaLine).rfind(' '));
  std::string der = b64decode(kRsaSpkiBase64);
  std::string pem = "-----BEGIN PUBLIC KEY-----\n" + std::string(kRsaSpkiBase64) + "\n-----END PUBLIC KEY-----\n";
  for (const std::string& material :
       {std::string(kRsaLine), bare, bare + "\n", std::string(kRsaRfc4716), std::string(kRsaSpkiBase64), der, pem,
        b64encode(kRsaLine)}) {
    auto key = importPublicKey(material);
    ASSERT_TRUE(key) << material << ": " << key.error().message();
    EXPECT_EQ(key->fingerprint, kRsaMd5) << material;
    EXPECT_EQ(key->algorithm, KeyAlgorithm::Rsa);
    EXPECT_EQ(key->bits, 2048);
    EXPECT_EQ(blobOfLine(key->publicOpenSsh), blobOfLine(kRsaLine));
  }
  auto small = importPublicKey(kRsa1024Line);
  ASSERT_TRUE(small);
  EXPECT_EQ(small->fingerprint, kRsa1024Md5);
  EXPECT_EQ(small->bits, 1024);
}

TEST(KeyMaterialTest, ImportsEd25519WithTheSha256Fingerprint) {
  auto key = importPublicKey(kEdLine);
  ASSERT_TRUE(key) << key.error().message();
  EXPECT_EQ(key->algorithm, KeyAlgorithm::Ed25519);
  EXPECT_EQ(key->fingerprint, kEdSha256);
  EXPECT_EQ(keyTypeName(key->algorithm), "ed25519");
  EXPECT_EQ(sha256Fingerprint(blobOfLine(kEdLine)), kEdSha256);
}

std::string syntheticRsaLine(int modulusBytes) {
  std::string e("\x01\x00\x01", 3);
  std::string n(static_cast<size_t>(modulusBytes), '\xff');
  n.insert(n.begin(), '\0');
  return "ssh-rsa " + b64encode(sshString("ssh-rsa") + sshString(e) + sshString(n));
}

TEST(KeyMaterialTest, RefusesWhatIsNotAnRsaOrEd25519PublicKey) {
  std::string rsaBlob = blobOfLine(kRsaLine);
  for (const std::string& material :
       {std::string(), std::string("hello"), std::string(kEcdsaLine), std::string("ssh-rsa"), std::string("ssh-rsa !!!"),
        "ssh-ed25519 " + b64encode(rsaBlob),                               // type mismatch
        "ssh-rsa " + b64encode(rsaBlob.substr(0, rsaBlob.size() - 5)),     // truncated
        "ssh-rsa " + b64encode(rsaBlob + "x"),                            // trailing bytes
        syntheticRsaLine(64),                                             // 512 bits
        syntheticRsaLine(640),                                            // 5120 bits
        std::string(kRsaRfc4716).substr(0, std::string(kRsaRfc4716).find("---- END")),  // no END line
        std::string("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")}) {
    auto key = importPublicKey(material);
    ASSERT_FALSE(key) << material;
    EXPECT_EQ(key.error().code(), ErrorCode::InvalidKeyPairFormat) << material;
    EXPECT_EQ(key.error().message(), "Key is not in valid OpenSSH public key format");
  }
}

TEST(KeyMaterialTest, Helpers) {
  EXPECT_EQ(colonHex(std::string("\x00\xab\x10", 3)), "00:ab:10");
  EXPECT_EQ(base64Encode("ab"), "YWI=");
  EXPECT_EQ(*base64Decode("YWI="), "ab");
  EXPECT_EQ(*base64Decode("YWI"), "ab");
  EXPECT_FALSE(base64Decode("Y!I="));
  EXPECT_EQ(keyTypeName(KeyAlgorithm::Rsa), "rsa");
}

}  // namespace
}  // namespace overcast::ec2
