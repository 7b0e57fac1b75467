#include "services/sns/model/signing_identity.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>
#include <vector>

#include "../../fakes/temp_dir.h"
#include "core/hex.h"

namespace overcast::sns {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono;
using overcast::testing::TempDir;

const system_clock::time_point kNow = sys_days{year{2025} / 6 / 1} + 12h;

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void writeFile(const fs::path& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
}

unsigned modeOf(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

using Cert = std::unique_ptr<X509, decltype(&X509_free)>;

Cert parseCertificate(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  return Cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
}

SnsMessage sampleMessage(SignatureVersion version) {
  SnsMessage m;
  m.messageId = "0e6a1c52-8f0d-4b7e-9c3a-5d2f1e0b9a87";
  m.topicArn = "arn:aws:sns:eu-west-1:444455556666:alerts";
  m.subject = "disk";
  m.message = "disk /dev/sdb is 91% full";
  m.timestamp = formatTimestamp(kNow);
  m.unsubscribeUrl = "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x";
  m.signingCertUrl = "https://sns.eu-west-1.amazonaws.com/cert.pem";
  m.signatureVersion = version;
  return m;
}

int shell(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }

TEST(SigningIdentity, CreatesKeyAndCertificateFiles) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "sns";
  Result<SigningIdentity> identity = SigningIdentity::loadOrCreate(dir, kNow);
  ASSERT_TRUE(identity) << identity.error().message();
  EXPECT_EQ(modeOf(dir / "signing-key.pem"), 0600u);
  EXPECT_EQ(modeOf(dir / "signing-cert.pem"), 0644u);
  EXPECT_EQ(readFile(dir / "signing-cert.pem"), identity->certificatePem());
  EXPECT_TRUE(identity->certificatePem().starts_with("-----BEGIN CERTIFICATE-----\n"));
  EXPECT_TRUE(readFile(dir / "signing-key.pem").starts_with("-----BEGIN PRIVATE KEY-----\n"));
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"signing-cert.pem", "signing-key.pem"}));  // no temp files left
  EXPECT_EQ(EVP_PKEY_get_bits(identity->key()), 2048);
  EXPECT_EQ(EVP_PKEY_is_a(identity->key(), "RSA"), 1);
}

TEST(SigningIdentity, CertificateIsSelfSignedForTheKeyAndLongLived) {
  TempDir tmp;
  Result<SigningIdentity> identity = SigningIdentity::loadOrCreate(tmp.path(), kNow);
  ASSERT_TRUE(identity);
  Cert cert = parseCertificate(identity->certificatePem());
  ASSERT_TRUE(cert);
  EXPECT_EQ(EVP_PKEY_eq(X509_get0_pubkey(cert.get()), identity->key()), 1);  // cert and key match
  EXPECT_EQ(X509_verify(cert.get(), X509_get0_pubkey(cert.get())), 1);      // self-signed
  char cn[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName, cn, sizeof cn);
  EXPECT_STREQ(cn, "sns.amazonaws.com");
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(cert.get()), X509_get_issuer_name(cert.get())), 0);
  std::time_t now = system_clock::to_time_t(kNow);
  std::time_t inTenYears = system_clock::to_time_t(kNow + years{10});
  EXPECT_LT(X509_cmp_time(X509_get0_notBefore(cert.get()), &now), 0);
  EXPECT_GT(X509_cmp_time(X509_get0_notAfter(cert.get()), &inTenYears), 0);
}

TEST(SigningIdentity, FileNameIsSha256OfTheCertificateDer) {
  TempDir tmp;
  Result<SigningIdentity> identity = SigningIdentity::loadOrCreate(tmp.path(), kNow);
  ASSERT_TRUE(identity);
  EXPECT_TRUE(std::regex_match(identity->certificateFileName(),
                               std::regex("SimpleNotificationService-[0-9a-f]{32}\\.pem")));
  Cert cert = parseCertificate(identity->certificatePem());
  unsigned char* der = nullptr;
  int size = i2d_X509(cert.get(), &der);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digestSize = 0;
  ASSERT_EQ(EVP_Digest(der, static_cast<size_t>(size), digest, &digestSize, EVP_sha256(), nullptr), 1);
  OPENSSL_free(der);
  EXPECT_EQ(identity->certificateFileName(),
            "SimpleNotificationService-" + toHex(std::span<const unsigned char>(digest, 16)) + ".pem");
}

TEST(SigningIdentity, LoadOrCreateTwiceGivesTheSameIdentity) {
  TempDir tmp;
  Result<SigningIdentity> first = SigningIdentity::loadOrCreate(tmp.path(), kNow);
  ASSERT_TRUE(first);
  const std::string keyPem = readFile(tmp / "signing-key.pem");
  const std::string message = stringToSign(sampleMessage(SignatureVersion::V1));
  const std::string signature = *first->sign(SignatureVersion::V1, message);

  Result<SigningIdentity> second = SigningIdentity::loadOrCreate(tmp.path(), kNow + days{400});
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_EQ(second->certificatePem(), first->certificatePem());
  EXPECT_EQ(second->certificateFileName(), first->certificateFileName());
  EXPECT_EQ(readFile(tmp / "signing-key.pem"), keyPem);
  EXPECT_EQ(EVP_PKEY_eq(second->key(), first->key()), 1);
  EXPECT_EQ(*second->sign(SignatureVersion::V1, message), signature);
}

TEST(SigningIdentity, SignVerifyRoundTripWithTheCertificate) {
  TempDir tmp;
  Result<SigningIdentity> identity = SigningIdentity::loadOrCreate(tmp.path(), kNow);
  ASSERT_TRUE(identity);
  for (SignatureVersion version : {SignatureVersion::V1, SignatureVersion::V2}) {
    const SnsMessage m = sampleMessage(version);
    Result<std::string> signature = identity->sign(version, stringToSign(m));
    ASSERT_TRUE(signature) << signature.error().message();
    // What a subscriber does: the public key comes from the PEM served at SigningCertURL.
    EXPECT_TRUE(verifyWithCertificate(identity->certificatePem(), version, stringToSign(m), *signature));
    SnsMessage tampered = m;
    tampered.message = "disk /dev/sdb is 19% full";
    EXPECT_FALSE(verifyWithCertificate(identity->certificatePem(), version, stringToSign(tampered), *signature));

    Result<std::string> json = identity->signedJson(m);
    ASSERT_TRUE(json);
    EXPECT_NE(json->find("\"Signature\" : \"" + *signature + "\""), std::string::npos);
  }
}

TEST(SigningIdentity, OpensslCommandLineVerifiesTheSignature) {
  if (shell("command -v openssl") != 0) GTEST_SKIP() << "no openssl command";
  TempDir tmp;
  Result<SigningIdentity> identity = SigningIdentity::loadOrCreate(tmp / "sns", kNow);
  ASSERT_TRUE(identity);
  writeFile(tmp / "cert.pem", identity->certificatePem());
  ASSERT_EQ(shell("openssl x509 -in " + (tmp / "cert.pem").string() + " -pubkey -noout -out " +
                  (tmp / "pub.pem").string()),
            0);
  for (SignatureVersion version : {SignatureVersion::V1, SignatureVersion::V2}) {
    const std::string digest = version == SignatureVersion::V1 ? "-sha1" : "-sha256";
    const SnsMessage m = sampleMessage(version);
    writeFile(tmp / "data", stringToSign(m));
    writeFile(tmp / "sig.b64", *identity->sign(version, stringToSign(m)));
    ASSERT_EQ(shell("openssl base64 -d -A -in " + (tmp / "sig.b64").string() + " -out " + (tmp / "sig").string()), 0);
    const std::string verifyCommand = "openssl dgst " + digest + " -verify " + (tmp / "pub.pem").string() +
                                      " -signature " + (tmp / "sig").string() + " " + (tmp / "data").string();
    EXPECT_EQ(shell(verifyCommand), 0) << verifyCommand;
    writeFile(tmp / "data", stringToSign(m) + "x");
    EXPECT_NE(shell(verifyCommand), 0) << "tampered data verified";
  }
}

TEST(SigningIdentity, MissingCertificateIsReissuedForTheSameKey) {
  TempDir tmp;
  Result<SigningIdentity> first = SigningIdentity::loadOrCreate(tmp.path(), kNow);
  ASSERT_TRUE(first);
  const std::string keyPem = readFile(tmp / "signing-key.pem");
  fs::remove(tmp / "signing-cert.pem");  // as after a crash between the two writes
  Result<SigningIdentity> second = SigningIdentity::loadOrCreate(tmp.path(), kNow + days{1});
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_EQ(readFile(tmp / "signing-key.pem"), keyPem);
  EXPECT_NE(second->certificatePem(), first->certificatePem());
  EXPECT_NE(second->certificateFileName(), first->certificateFileName());
  EXPECT_EQ(readFile(tmp / "signing-cert.pem"), second->certificatePem());
  Cert cert = parseCertificate(second->certificatePem());
  EXPECT_EQ(EVP_PKEY_eq(X509_get0_pubkey(cert.get()), first->key()), 1);
}

TEST(SigningIdentity, CertificateOfAnotherKeyOrGarbageIsReplaced) {
  TempDir a;
  TempDir b;
  Result<SigningIdentity> identityA = SigningIdentity::loadOrCreate(a.path(), kNow);
  Result<SigningIdentity> identityB = SigningIdentity::loadOrCreate(b.path(), kNow);
  ASSERT_TRUE(identityA);
  ASSERT_TRUE(identityB);
  writeFile(a / "signing-cert.pem", identityB->certificatePem());
  Result<SigningIdentity> reloaded = SigningIdentity::loadOrCreate(a.path(), kNow);
  ASSERT_TRUE(reloaded);
  EXPECT_NE(reloaded->certificatePem(), identityB->certificatePem());
  const std::string text = stringToSign(sampleMessage(SignatureVersion::V2));
  EXPECT_TRUE(verifyWithCertificate(reloaded->certificatePem(), SignatureVersion::V2, text,
                                    *identityA->sign(SignatureVersion::V2, text)));

  writeFile(a / "signing-cert.pem", "garbage");
  reloaded = SigningIdentity::loadOrCreate(a.path(), kNow);
  ASSERT_TRUE(reloaded);
  EXPECT_TRUE(reloaded->certificatePem().starts_with("-----BEGIN CERTIFICATE-----"));
  EXPECT_EQ(readFile(a / "signing-cert.pem"), reloaded->certificatePem());
}

TEST(SigningIdentity, ExpiredCertificateIsReissued) {
  TempDir tmp;
  Result<SigningIdentity> first = SigningIdentity::loadOrCreate(tmp.path(), kNow);
  ASSERT_TRUE(first);
  Result<SigningIdentity> later = SigningIdentity::loadOrCreate(tmp.path(), kNow + years{30});
  ASSERT_TRUE(later);
  EXPECT_NE(later->certificatePem(), first->certificatePem());
  EXPECT_EQ(EVP_PKEY_eq(later->key(), first->key()), 1);
}

TEST(SigningIdentity, UnreadableKeyIsAnErrorAndLeftAlone) {
  TempDir tmp;
  writeFile(tmp / "signing-key.pem", "not a key");
  Result<SigningIdentity> identity = SigningIdentity::loadOrCreate(tmp.path(), kNow);
  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error().code(), ErrorCode::InternalFailure);
  EXPECT_NE(identity.error().message().find((tmp / "signing-key.pem").string()), std::string::npos)
      << identity.error().message();
  EXPECT_EQ(readFile(tmp / "signing-key.pem"), "not a key");
  EXPECT_FALSE(fs::exists(tmp / "signing-cert.pem"));
}

TEST(SigningIdentity, DirectoryThatCannotBeMadeIsAnError) {
  TempDir tmp;
  writeFile(tmp / "file", "x");
  Result<SigningIdentity> identity = SigningIdentity::loadOrCreate(tmp / "file" / "sns", kNow);
  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error().code(), ErrorCode::InternalFailure);
  EXPECT_NE(identity.error().message().find((tmp / "file").string()), std::string::npos)
      << identity.error().message();
}

TEST(SigningIdentity, SignsFromManyThreadsAtOnce) {
  TempDir tmp;
  Result<SigningIdentity> identity = SigningIdentity::loadOrCreate(tmp.path(), kNow);
  ASSERT_TRUE(identity);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<int> verified(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        SnsMessage m = sampleMessage(i % 2 == 0 ? SignatureVersion::V1 : SignatureVersion::V2);
        m.message += std::to_string(t * 1000 + i);
        Result<std::string> json = identity->signedJson(m);
        if (!json) continue;
        const std::string marker = "\"Signature\" : \"";
        size_t start = json->find(marker) + marker.size();
        std::string signature = json->substr(start, json->find('"', start) - start);
        if (verify(identity->key(), m.signatureVersion, stringToSign(m), signature)) ++verified[t];
      }
    });
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(verified[t], kPerThread) << "thread " << t;
}

}  // namespace
}  // namespace overcast::sns
