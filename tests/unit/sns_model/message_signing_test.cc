#include "services/sns/model/message_signing.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <memory>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>

namespace overcast::sns {
namespace {

using namespace std::chrono;

constexpr std::string_view kTopic = "arn:aws:sns:us-east-1:111122223333:orders";
constexpr std::string_view kCertUrl =
    "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef0123456789abcdef.pem";

SnsMessage notification() {
  SnsMessage m;
  m.type = SnsMessageType::Notification;
  m.messageId = "5f0c7a34-1b2d-4e6f-8a9b-0c1d2e3f4a5b";
  m.topicArn = std::string(kTopic);
  m.subject = "Order shipped";
  m.message = "order 42 left the warehouse";
  m.timestamp = "2024-03-09T17:05:33.120Z";
  m.unsubscribeUrl = "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" +
                     std::string(kTopic) + ":9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a";
  m.signingCertUrl = std::string(kCertUrl);
  return m;
}

SnsMessage confirmation(SnsMessageType type) {
  SnsMessage m;
  m.type = type;
  m.messageId = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
  m.topicArn = std::string(kTopic);
  m.message = "You have chosen to subscribe to the topic " + std::string(kTopic) +
              ".\nTo confirm the subscription, visit the SubscribeURL included in this message.";
  m.timestamp = "2024-03-09T17:00:00.001Z";
  m.token = "feedface0123";
  m.subscribeUrl = "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" +
                   std::string(kTopic) + "&Token=feedface0123";
  m.signingCertUrl = std::string(kCertUrl);
  return m;
}

std::vector<std::string> keysOf(const std::string& json) {
  std::vector<std::string> keys;
  const boost::json::value doc = boost::json::parse(json);
  for (const auto& member : doc.as_object()) keys.emplace_back(member.key());
  return keys;
}

// One RSA 2048 key for the whole suite (key generation is the slow part).
class MessageSigningTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { key_ = EVP_RSA_gen(2048); }
  static void TearDownTestSuite() {
    EVP_PKEY_free(key_);
    key_ = nullptr;
  }
  static EVP_PKEY* key_;
};
EVP_PKEY* MessageSigningTest::key_ = nullptr;

TEST(MessageSigningTimestamp, IsoWithMillisecondsAndZ) {
  const sys_time<milliseconds> t = sys_days{year{2012} / 5 / 2} + 54min + 6s + 655ms;
  EXPECT_EQ(formatTimestamp(t), "2012-05-02T00:54:06.655Z");
  EXPECT_EQ(formatTimestamp(system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
  // Sub-millisecond parts are truncated, never rounded up into the next second.
  EXPECT_EQ(formatTimestamp(sys_days{year{1999} / 12 / 31} + 23h + 59min + 59s + 999999us),
            "1999-12-31T23:59:59.999Z");
}

TEST(MessageSigningNames, TypesAndVersions) {
  EXPECT_EQ(messageTypeName(SnsMessageType::Notification), "Notification");
  EXPECT_EQ(messageTypeName(SnsMessageType::SubscriptionConfirmation), "SubscriptionConfirmation");
  EXPECT_EQ(messageTypeName(SnsMessageType::UnsubscribeConfirmation), "UnsubscribeConfirmation");
  EXPECT_EQ(signatureVersionText(SignatureVersion::V1), "1");
  EXPECT_EQ(signatureVersionText(SignatureVersion::V2), "2");
  EXPECT_EQ(parseSignatureVersion("1"), SignatureVersion::V1);
  EXPECT_EQ(parseSignatureVersion("2"), SignatureVersion::V2);
  EXPECT_EQ(parseSignatureVersion("3"), std::nullopt);
  EXPECT_EQ(parseSignatureVersion(""), std::nullopt);
}

TEST(MessageSigningStringToSign, NotificationWithSubject) {
  SnsMessage m = notification();
  m.token = "ignored";  // fields of confirmations are never signed for a notification
  m.subscribeUrl = "ignored";
  EXPECT_EQ(stringToSign(m),
            "Message\norder 42 left the warehouse\n"
            "MessageId\n5f0c7a34-1b2d-4e6f-8a9b-0c1d2e3f4a5b\n"
            "Subject\nOrder shipped\n"
            "Timestamp\n2024-03-09T17:05:33.120Z\n"
            "TopicArn\narn:aws:sns:us-east-1:111122223333:orders\n"
            "Type\nNotification\n");
}

TEST(MessageSigningStringToSign, NotificationWithoutSubject) {
  SnsMessage m = notification();
  m.subject.reset();
  m.messageAttributes["color"] = {"String", "red"};  // attributes are not signed
  EXPECT_EQ(stringToSign(m),
            "Message\norder 42 left the warehouse\n"
            "MessageId\n5f0c7a34-1b2d-4e6f-8a9b-0c1d2e3f4a5b\n"
            "Timestamp\n2024-03-09T17:05:33.120Z\n"
            "TopicArn\narn:aws:sns:us-east-1:111122223333:orders\n"
            "Type\nNotification\n");
}

TEST(MessageSigningStringToSign, EmptySubjectIsStillPresent) {
  SnsMessage m = notification();
  m.subject = "";
  EXPECT_NE(stringToSign(m).find("MessageId\n5f0c7a34-1b2d-4e6f-8a9b-0c1d2e3f4a5b\nSubject\n\nTimestamp\n"),
            std::string::npos);
}

TEST(MessageSigningStringToSign, SubscriptionConfirmation) {
  SnsMessage m = confirmation(SnsMessageType::SubscriptionConfirmation);
  m.subject = "ignored";  // confirmations carry no Subject
  EXPECT_EQ(stringToSign(m),
            "Message\nYou have chosen to subscribe to the topic arn:aws:sns:us-east-1:111122223333:orders.\n"
            "To confirm the subscription, visit the SubscribeURL included in this message.\n"
            "MessageId\na1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d\n"
            "SubscribeURL\nhttps://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn="
            "arn:aws:sns:us-east-1:111122223333:orders&Token=feedface0123\n"
            "Timestamp\n2024-03-09T17:00:00.001Z\n"
            "Token\nfeedface0123\n"
            "TopicArn\narn:aws:sns:us-east-1:111122223333:orders\n"
            "Type\nSubscriptionConfirmation\n");
}

TEST(MessageSigningStringToSign, UnsubscribeConfirmation) {
  SnsMessage m = confirmation(SnsMessageType::UnsubscribeConfirmation);
  m.message = "bye";
  EXPECT_EQ(stringToSign(m),
            "Message\nbye\n"
            "MessageId\na1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d\n"
            "SubscribeURL\nhttps://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn="
            "arn:aws:sns:us-east-1:111122223333:orders&Token=feedface0123\n"
            "Timestamp\n2024-03-09T17:00:00.001Z\n"
            "Token\nfeedface0123\n"
            "TopicArn\narn:aws:sns:us-east-1:111122223333:orders\n"
            "Type\nUnsubscribeConfirmation\n");
}

TEST(MessageSigningJson, NotificationLaidOutLikeAws) {
  SnsMessage m = notification();
  EXPECT_EQ(toJson(m, "c2lnbmF0dXJl"),
            "{\n"
            "  \"Type\" : \"Notification\",\n"
            "  \"MessageId\" : \"5f0c7a34-1b2d-4e6f-8a9b-0c1d2e3f4a5b\",\n"
            "  \"TopicArn\" : \"arn:aws:sns:us-east-1:111122223333:orders\",\n"
            "  \"Subject\" : \"Order shipped\",\n"
            "  \"Message\" : \"order 42 left the warehouse\",\n"
            "  \"Timestamp\" : \"2024-03-09T17:05:33.120Z\",\n"
            "  \"SignatureVersion\" : \"1\",\n"
            "  \"Signature\" : \"c2lnbmF0dXJl\",\n"
            "  \"SigningCertURL\" : \"https://sns.us-east-1.amazonaws.com/"
            "SimpleNotificationService-0123456789abcdef0123456789abcdef.pem\",\n"
            "  \"UnsubscribeURL\" : \"https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn="
            "arn:aws:sns:us-east-1:111122223333:orders:9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a\"\n"
            "}");
}

TEST(MessageSigningJson, NotificationAttributesOnePerLine) {
  SnsMessage m = notification();
  m.subject.reset();
  m.signatureVersion = SignatureVersion::V2;
  m.messageAttributes["size"] = {"Number", "12"};
  m.messageAttributes["color"] = {"String", "red"};
  const std::string json = toJson(m, "sig");
  EXPECT_NE(json.find("  \"SignatureVersion\" : \"2\",\n"), std::string::npos);
  const std::string tail =
      "\",\n"
      "  \"MessageAttributes\" : {\n"
      "    \"color\" : {\"Type\":\"String\",\"Value\":\"red\"},\n"
      "    \"size\" : {\"Type\":\"Number\",\"Value\":\"12\"}\n"
      "  }\n"
      "}";
  ASSERT_GE(json.size(), tail.size());
  EXPECT_EQ(json.substr(json.size() - tail.size()), tail);
  EXPECT_EQ(keysOf(json), (std::vector<std::string>{"Type", "MessageId", "TopicArn", "Message", "Timestamp",
                                                    "SignatureVersion", "Signature", "SigningCertURL",
                                                    "UnsubscribeURL", "MessageAttributes"}));
  const boost::json::object doc = boost::json::parse(json).as_object();
  EXPECT_EQ(doc.at("MessageAttributes").at("size").at("Type").as_string(), "Number");
  EXPECT_EQ(doc.at("MessageAttributes").at("color").at("Value").as_string(), "red");
}

TEST(MessageSigningJson, KeysPerType) {
  SnsMessage n = notification();
  n.token = "ignored";
  n.subscribeUrl = "ignored";
  EXPECT_EQ(keysOf(toJson(n, "s")),
            (std::vector<std::string>{"Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp",
                                      "SignatureVersion", "Signature", "SigningCertURL", "UnsubscribeURL"}));
  for (SnsMessageType type : {SnsMessageType::SubscriptionConfirmation, SnsMessageType::UnsubscribeConfirmation}) {
    SnsMessage c = confirmation(type);
    c.subject = "ignored";
    c.unsubscribeUrl = "ignored";
    c.messageAttributes["a"] = {"String", "ignored"};
    const std::string json = toJson(c, "s");
    EXPECT_EQ(keysOf(json),
              (std::vector<std::string>{"Type", "MessageId", "Token", "TopicArn", "Message", "SubscribeURL",
                                        "Timestamp", "SignatureVersion", "Signature", "SigningCertURL"}));
    const boost::json::object doc = boost::json::parse(json).as_object();
    EXPECT_EQ(doc.at("Type").as_string(), messageTypeName(type));
    EXPECT_EQ(doc.at("Token").as_string(), "feedface0123");
    EXPECT_EQ(doc.at("Message").as_string(), c.message);
    EXPECT_NE(json.find("included in this message.\",\n  \"SubscribeURL\""), std::string::npos);
    EXPECT_NE(json.find("\\nTo confirm the subscription"), std::string::npos);  // newline escaped
  }
}

TEST(MessageSigningJson, EscapesAndRoundTripsAwkwardText) {
  SnsMessage m = notification();
  m.message = std::string("{\"k\": \"v\\\\\"}\n\ttab \x01 caf\xc3\xa9 \xe2\x82\xac </script>");
  m.subject = "quote \" and backslash \\";
  m.messageAttributes["we\"ird"] = {"String.Array", "[\"a\",\"b\"]"};
  const boost::json::object doc = boost::json::parse(toJson(m, "sig")).as_object();
  EXPECT_EQ(doc.at("Message").as_string(), m.message);
  EXPECT_EQ(doc.at("Subject").as_string(), *m.subject);
  EXPECT_EQ(doc.at("MessageAttributes").at("we\"ird").at("Value").as_string(), "[\"a\",\"b\"]");
  EXPECT_EQ(doc.at("MessageAttributes").at("we\"ird").at("Type").as_string(), "String.Array");
}

TEST_F(MessageSigningTest, SignVerifyRoundTripBothVersions) {
  ASSERT_NE(key_, nullptr);
  const std::string text = stringToSign(notification());
  for (SignatureVersion version : {SignatureVersion::V1, SignatureVersion::V2}) {
    Result<std::string> signature = sign(key_, version, text);
    ASSERT_TRUE(signature) << signature.error().message();
    EXPECT_EQ(signature->size(), 344u);  // base64 of 256 bytes (RSA 2048)
    EXPECT_TRUE(verify(key_, version, text, *signature));
    // PKCS#1 v1.5 is deterministic: the same input signs the same.
    EXPECT_EQ(*sign(key_, version, text), *signature);
  }
  EXPECT_NE(*sign(key_, SignatureVersion::V1, text), *sign(key_, SignatureVersion::V2, text));
}

TEST_F(MessageSigningTest, VerifyFailsAfterTamperingOrWithTheWrongVersion) {
  SnsMessage m = notification();
  const std::string signature = *sign(key_, SignatureVersion::V1, stringToSign(m));
  SnsMessage tampered = m;
  tampered.message += ".";
  EXPECT_FALSE(verify(key_, SignatureVersion::V1, stringToSign(tampered), signature));
  tampered = m;
  tampered.subject.reset();
  EXPECT_FALSE(verify(key_, SignatureVersion::V1, stringToSign(tampered), signature));
  EXPECT_FALSE(verify(key_, SignatureVersion::V2, stringToSign(m), signature));
  EXPECT_TRUE(verify(key_, SignatureVersion::V1, stringToSign(m), signature));
}

TEST_F(MessageSigningTest, VerifyRejectsMalformedSignatures) {
  const std::string text = stringToSign(notification());
  std::string signature = *sign(key_, SignatureVersion::V2, text);
  EXPECT_FALSE(verify(key_, SignatureVersion::V2, text, ""));
  EXPECT_FALSE(verify(key_, SignatureVersion::V2, text, "not base64!"));
  EXPECT_FALSE(verify(key_, SignatureVersion::V2, text, signature.substr(0, signature.size() - 4)));
  EXPECT_FALSE(verify(nullptr, SignatureVersion::V2, text, signature));
  signature[10] = signature[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verify(key_, SignatureVersion::V2, text, signature));
  EXPECT_FALSE(verifyWithCertificate("no certificate here", SignatureVersion::V2, text, signature));
}

TEST_F(MessageSigningTest, SignedJsonCarriesAVerifiableSignature) {
  for (SnsMessage m : {notification(), confirmation(SnsMessageType::SubscriptionConfirmation)}) {
    m.signatureVersion = SignatureVersion::V2;
    Result<std::string> json = signedJson(m, key_);
    ASSERT_TRUE(json);
    const boost::json::object doc = boost::json::parse(*json).as_object();
    EXPECT_EQ(doc.at("SignatureVersion").as_string(), "2");
    const std::string signature(doc.at("Signature").as_string());
    EXPECT_TRUE(verify(key_, SignatureVersion::V2, stringToSign(m), signature));
  }
}

}  // namespace
}  // namespace overcast::sns
