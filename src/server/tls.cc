#include "server/tls.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <memory>
#include <sstream>

#include <boost/asio/ip/address.hpp>

namespace overcast::server {
namespace {

namespace fs = std::filesystem;

using PKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Cert = std::unique_ptr<X509, decltype(&X509_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

Error tlsError(const std::string& what) { return Error(ErrorCode::InternalFailure, "TLS: " + what); }

std::string toPem(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string toPem(X509* cert) {
  Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

Result<void> writeFile(const fs::path& path, const std::string& data, bool secret) {
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return tlsError("cannot write " + tmp.string());
    out << data;
  }
  if (secret) fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return tlsError("cannot write " + path.string() + ": " + ec.message());
  return {};
}

Result<std::string> readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return tlsError("cannot read " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool addExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) return false;
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  return true;
}

Result<Cert> issue(EVP_PKEY* subjectKey, const std::string& commonName, X509* issuerCert, EVP_PKEY* issuerKey,
                   bool isCa, const std::string& subjectAltNames, long days) {
  Cert cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), days * 24 * 3600);
  X509_set_pubkey(cert.get(), subjectKey);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("overcast"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(commonName.c_str()), -1,
                             -1, 0);
  X509* issuer = issuerCert ? issuerCert : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer));
  bool ok = addExtension(cert.get(), issuer, NID_basic_constraints, isCa ? "critical,CA:TRUE" : "critical,CA:FALSE") &&
            addExtension(cert.get(), issuer, NID_key_usage,
                         isCa ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,keyEncipherment") &&
            addExtension(cert.get(), issuer, NID_subject_key_identifier, "hash") &&
            addExtension(cert.get(), issuer, NID_authority_key_identifier, "keyid:always");
  if (ok && !isCa) ok = addExtension(cert.get(), issuer, NID_ext_key_usage, "serverAuth") &&
                        addExtension(cert.get(), issuer, NID_subject_alt_name, subjectAltNames);
  if (!ok) return tlsError("cannot add certificate extensions");
  if (X509_sign(cert.get(), issuerKey, EVP_sha256()) == 0) return tlsError("cannot sign certificate");
  return cert;
}

PKey newKey() { return PKey(EVP_EC_gen("P-256"), EVP_PKEY_free); }

PKey parseKey(const std::string& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  return PKey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
}

Cert parseCert(const std::string& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  return Cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
}

}  // namespace

Result<LocalCertificate> ensureLocalCertificate(const fs::path& dataDir, const std::vector<std::string>& names) {
  fs::path dir = dataDir / "tls";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return tlsError("cannot create " + dir.string() + ": " + ec.message());
  LocalCertificate out{dir / "ca.pem", dir / "server.pem", dir / "server-key.pem"};
  fs::path caKeyPath = dir / "ca-key.pem";

  PKey caKey(nullptr, EVP_PKEY_free);
  Cert caCert(nullptr, X509_free);
  if (fs::exists(out.caCert) && fs::exists(caKeyPath)) {
    auto certPem = readFile(out.caCert);
    auto keyPem = readFile(caKeyPath);
    if (!certPem) return certPem.error();
    if (!keyPem) return keyPem.error();
    caCert = parseCert(*certPem);
    caKey = parseKey(*keyPem);
    if (!caCert || !caKey) return tlsError("unreadable CA in " + dir.string());
  } else {
    caKey = newKey();
    if (!caKey) return tlsError("cannot make a key");
    auto made = issue(caKey.get(), "overcast local CA", nullptr, caKey.get(), true, "", 3650);
    if (!made) return made.error();
    caCert = std::move(*made);
    if (auto w = writeFile(caKeyPath, toPem(caKey.get()), true); !w) return w.error();
    if (auto w = writeFile(out.caCert, toPem(caCert.get()), false); !w) return w.error();
  }

  std::vector<std::string> all = {"localhost", "127.0.0.1", "::1"};
  for (const auto& n : names)
    if (!n.empty() && std::find(all.begin(), all.end(), n) == all.end()) all.push_back(n);
  std::string san;
  for (const auto& n : all) {
    boost::system::error_code bad;
    boost::asio::ip::make_address(n, bad);
    if (!san.empty()) san += ",";
    san += (bad ? "DNS:" : "IP:") + n;
  }
  PKey key = newKey();
  if (!key) return tlsError("cannot make a key");
  auto cert = issue(key.get(), "localhost", caCert.get(), caKey.get(), false, san, 825);
  if (!cert) return cert.error();
  if (auto w = writeFile(out.serverKey, toPem(key.get()), true); !w) return w.error();
  if (auto w = writeFile(out.serverCert, toPem(cert->get()) + toPem(caCert.get()), false); !w) return w.error();
  return out;
}

Result<std::shared_ptr<boost::asio::ssl::context>> makeTlsContext(const std::string& certPem, const std::string& keyPem) {
  namespace ssl = boost::asio::ssl;
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(certPem, ec);
  if (ec) return tlsError("certificate " + certPem + ": " + ec.message());
  ctx->use_private_key_file(keyPem, ssl::context::pem, ec);
  if (ec) return tlsError("key " + keyPem + ": " + ec.message());
  return ctx;
}

}  // namespace overcast::server
