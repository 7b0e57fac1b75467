// The JSON documents SNS delivers to HTTP/S endpoints and SQS queues (Notification,
// SubscriptionConfirmation, UnsubscribeConfirmation), and their signatures, made exactly as
// AWS makes them so that the SDKs' signature validators accept them.
//   Document format: sns-dg "sns-message-and-json-formats" (aws-reference.md D2).
//   Signature:       sns-dg "sns-verify-signature-of-message" (aws-reference.md D3).
// Pure apart from OpenSSL: no files, no clock. Every function may be called from any thread;
// a key passed in is only read (each call makes its own EVP_MD_CTX).
#pragma once

#include <openssl/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace overcast::sns {

enum class SnsMessageType { Notification, SubscriptionConfirmation, UnsubscribeConfirmation };

// "Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation": the JSON `Type` and the
// x-amz-sns-message-type header.
std::string_view messageTypeName(SnsMessageType type);

// The topic attribute SignatureVersion: "1" = SHA1withRSA (AWS's default), "2" = SHA256withRSA.
enum class SignatureVersion { V1, V2 };

std::string_view signatureVersionText(SignatureVersion version);
// "1" or "2"; nullopt for anything else.
std::optional<SignatureVersion> parseSignatureVersion(std::string_view text);

// One entry of MessageAttributes as SNS renders it: {"Type":"String","Value":"v"}. Type is the
// published DataType (String, String.Array, Number, Binary); Binary values are base64 text.
struct SnsMessageAttribute {
  std::string type;
  std::string value;
};

// One message as delivered. Which fields are used depends on `type`:
//   Notification:                 subject (optional), unsubscribeUrl, messageAttributes
//   Subscription/Unsubscribe-
//   Confirmation:                 token, subscribeUrl
// and all use messageId, topicArn, message, timestamp, signatureVersion, signingCertUrl. The
// fields of the other kind are ignored (neither signed nor written).
struct SnsMessage {
  SnsMessageType type = SnsMessageType::Notification;
  std::string messageId;  // retries of one message keep its id
  std::string topicArn;
  std::optional<std::string> subject;
  std::string message;    // the text itself (unescaped)
  std::string timestamp;  // formatTimestamp(): 2012-05-02T00:54:06.655Z
  std::string token;
  std::string subscribeUrl;
  std::string unsubscribeUrl;
  std::map<std::string, SnsMessageAttribute> messageAttributes;  // written in name order
  SignatureVersion signatureVersion = SignatureVersion::V1;
  std::string signingCertUrl;  // https://<host>/SimpleNotificationService-<hash>.pem
};

// ISO-8601 UTC with milliseconds (truncated) and a Z: "2012-05-02T00:54:06.655Z".
std::string formatTimestamp(std::chrono::system_clock::time_point time);

// The bytes that are signed: "Name\nValue\n" for each field present, in AWS's (byte-sorted)
// order. Notification: Message, MessageId, Subject (if present), Timestamp, TopicArn, Type.
// Confirmations: Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type.
std::string stringToSign(const SnsMessage& message);

// base64(RSASSA-PKCS1-v1_5 over SHA1 (V1) or SHA256 (V2) of `data`) with the private key `key`.
// REQUIRES: key is an RSA private key. InternalFailure only if OpenSSL fails (not on any input).
Result<std::string> sign(EVP_PKEY* key, SignatureVersion version, std::string_view data);

// True when `signatureBase64` is a valid signature of `data` by the public half of `key`
// (a private key works too). False for bad base64, another key, or changed data.
bool verify(EVP_PKEY* key, SignatureVersion version, std::string_view data,
            std::string_view signatureBase64);

// What an SNS client does: verify with the public key of the PEM certificate found at
// SigningCertURL. False also when the PEM is not a certificate.
bool verifyWithCertificate(std::string_view certificatePem, SignatureVersion version,
                           std::string_view data, std::string_view signatureBase64);

// The delivered JSON document, laid out byte for byte like AWS's ("{\n  \"Type\" : ...", keys
// in the order Type, MessageId, Token, TopicArn, Subject, Message, SubscribeURL, Timestamp,
// SignatureVersion, Signature, SigningCertURL, UnsubscribeURL, MessageAttributes). Token and
// SubscribeURL appear for confirmations only; Subject (when present), UnsubscribeURL and
// MessageAttributes (when non-empty) for notifications only. Strings escaped by Boost.JSON.
std::string toJson(const SnsMessage& message, std::string_view signature);

// sign(key, message.signatureVersion, stringToSign(message)), then toJson.
Result<std::string> signedJson(const SnsMessage& message, EVP_PKEY* key);

}  // namespace overcast::sns
