#include "services/sns/model/message_signing.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <vector>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

namespace overcast::sns {
namespace {

using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
using Cert = std::unique_ptr<X509, decltype(&X509_free)>;

const char* digestName(SignatureVersion version) {
  return version == SignatureVersion::V2 ? "SHA256" : "SHA1";
}

Error opensslError(std::string_view what) {
  char text[256] = "unknown error";
  if (unsigned long code = ERR_get_error(); code != 0) ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return Error(ErrorCode::InternalFailure, fmt::format("SNS signing: {}: {}", what, text));
}

std::string base64Encode(const unsigned char* bytes, size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes, static_cast<int>(size));
  out.resize(static_cast<size_t>(n));
  return out;
}

// Strict: padded base64 with no whitespace; nullopt otherwise.
std::optional<std::vector<unsigned char>> base64Decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  for (char c : text)
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return std::nullopt;
  std::vector<unsigned char> out(text.size() / 4 * 3);
  int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  size_t padding = text.ends_with("==") ? 2 : text.ends_with('=') ? 1 : 0;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

void appendLine(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append("\n").append(value).append("\n");
}

void appendJsonString(std::string& out, std::string_view value) {
  out += boost::json::serialize(boost::json::string_view(value.data(), value.size()));
}

// One `"Name" : "value"` member, after the ones before it.
void appendMember(std::string& out, std::string_view name, std::string_view value) {
  out += ",\n  ";
  appendJsonString(out, name);
  out += " : ";
  appendJsonString(out, value);
}

bool isNotification(const SnsMessage& message) { return message.type == SnsMessageType::Notification; }

}  // namespace

std::string_view messageTypeName(SnsMessageType type) {
  switch (type) {
    case SnsMessageType::Notification: return "Notification";
    case SnsMessageType::SubscriptionConfirmation: return "SubscriptionConfirmation";
    case SnsMessageType::UnsubscribeConfirmation: return "UnsubscribeConfirmation";
  }
  return "Notification";
}

std::string_view signatureVersionText(SignatureVersion version) {
  return version == SignatureVersion::V2 ? "2" : "1";
}

std::optional<SignatureVersion> parseSignatureVersion(std::string_view text) {
  if (text == "1") return SignatureVersion::V1;
  if (text == "2") return SignatureVersion::V2;
  return std::nullopt;
}

std::string formatTimestamp(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(time);
  const auto day = floor<days>(ms);
  const year_month_day date{day};
  const hh_mm_ss clock{ms - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     clock.hours().count(), clock.minutes().count(), clock.seconds().count(),
                     clock.subseconds().count());
}

std::string stringToSign(const SnsMessage& message) {
  std::string out;
  out.reserve(message.message.size() + 512);
  appendLine(out, "Message", message.message);
  appendLine(out, "MessageId", message.messageId);
  if (isNotification(message)) {
    if (message.subject) appendLine(out, "Subject", *message.subject);
    appendLine(out, "Timestamp", message.timestamp);
  } else {
    appendLine(out, "SubscribeURL", message.subscribeUrl);
    appendLine(out, "Timestamp", message.timestamp);
    appendLine(out, "Token", message.token);
  }
  appendLine(out, "TopicArn", message.topicArn);
  appendLine(out, "Type", messageTypeName(message.type));
  return out;
}

Result<std::string> sign(EVP_PKEY* key, SignatureVersion version, std::string_view data) {
  MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx) return opensslError("cannot allocate a digest context");
  if (EVP_DigestSignInit_ex(ctx.get(), nullptr, digestName(version), nullptr, nullptr, key, nullptr) != 1)
    return opensslError("cannot start signing");
  const int maxSize = EVP_PKEY_get_size(key);
  if (maxSize <= 0) return opensslError("key has no signature size");
  std::vector<unsigned char> signature(static_cast<size_t>(maxSize));
  size_t size = signature.size();
  if (EVP_DigestSign(ctx.get(), signature.data(), &size, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1)
    return opensslError("cannot sign");
  return base64Encode(signature.data(), size);
}

bool verify(EVP_PKEY* key, SignatureVersion version, std::string_view data, std::string_view signatureBase64) {
  std::optional<std::vector<unsigned char>> signature = base64Decode(signatureBase64);
  if (!signature || key == nullptr) return false;
  MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  bool ok = ctx &&
            EVP_DigestVerifyInit_ex(ctx.get(), nullptr, digestName(version), nullptr, nullptr, key, nullptr) == 1 &&
            EVP_DigestVerify(ctx.get(), signature->data(), signature->size(),
                             reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  ERR_clear_error();  // a failed verification leaves errors queued on this thread
  return ok;
}

bool verifyWithCertificate(std::string_view certificatePem, SignatureVersion version, std::string_view data,
                           std::string_view signatureBase64) {
  Bio bio(BIO_new_mem_buf(certificatePem.data(), static_cast<int>(certificatePem.size())), BIO_free);
  Cert cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr, X509_free);
  if (!cert) {
    ERR_clear_error();
    return false;
  }
  return verify(X509_get0_pubkey(cert.get()), version, data, signatureBase64);
}

std::string toJson(const SnsMessage& message, std::string_view signature) {
  const bool notification = isNotification(message);
  std::string out;
  out.reserve(message.message.size() + 1024);
  out += "{\n  \"Type\" : ";
  appendJsonString(out, messageTypeName(message.type));
  appendMember(out, "MessageId", message.messageId);
  if (!notification) appendMember(out, "Token", message.token);
  appendMember(out, "TopicArn", message.topicArn);
  if (notification && message.subject) appendMember(out, "Subject", *message.subject);
  appendMember(out, "Message", message.message);
  if (!notification) appendMember(out, "SubscribeURL", message.subscribeUrl);
  appendMember(out, "Timestamp", message.timestamp);
  appendMember(out, "SignatureVersion", signatureVersionText(message.signatureVersion));
  appendMember(out, "Signature", signature);
  appendMember(out, "SigningCertURL", message.signingCertUrl);
  if (notification) {
    appendMember(out, "UnsubscribeURL", message.unsubscribeUrl);
    if (!message.messageAttributes.empty()) {
      // AWS writes each attribute compactly on its own line:
      //   "MessageAttributes" : {\n    "name" : {"Type":"String","Value":"v"},\n  ...  }
      out += ",\n  \"MessageAttributes\" : {";
      bool first = true;
      for (const auto& [name, attribute] : message.messageAttributes) {
        out += first ? "\n    " : ",\n    ";
        first = false;
        appendJsonString(out, name);
        out += " : {\"Type\":";
        appendJsonString(out, attribute.type);
        out += ",\"Value\":";
        appendJsonString(out, attribute.value);
        out += "}";
      }
      out += "\n  }";
    }
  }
  out += "\n}";
  return out;
}

Result<std::string> signedJson(const SnsMessage& message, EVP_PKEY* key) {
  Result<std::string> signature = sign(key, message.signatureVersion, stringToSign(message));
  if (!signature) return signature.error();
  return toJson(message, *signature);
}

}  // namespace overcast::sns
