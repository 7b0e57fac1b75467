#include "services/sqs/model/message_rules.h"

#include <gtest/gtest.h>

#include <string>

namespace overcast::sqs {
namespace {

TEST(MessageRulesTest, BodyBoundaryCharacters) {
  EXPECT_TRUE(validateBody("").ok());
  EXPECT_TRUE(validateBody("plain text\twith tab\nand\r\nnewlines").ok());
  EXPECT_TRUE(validateBody(" ").ok());                  // U+0020
  EXPECT_TRUE(validateBody("\xed\x9f\xbf").ok());       // U+D7FF
  EXPECT_TRUE(validateBody("\xee\x80\x80").ok());       // U+E000
  EXPECT_TRUE(validateBody("\xef\xbf\xbd").ok());       // U+FFFD
  EXPECT_TRUE(validateBody("\xf0\x90\x80\x80").ok());   // U+10000
  EXPECT_TRUE(validateBody("\xf4\x8f\xbf\xbf").ok());   // U+10FFFF
  EXPECT_TRUE(validateBody("caf\xc3\xa9 \xe2\x82\xac").ok());
}

TEST(MessageRulesTest, BodyRejectsOutsideTheSet) {
  for (std::string bad : {std::string("\x01", 1), std::string("a\0b", 3), std::string("\x1f"),
                          std::string("\xef\xbf\xbe"),            // U+FFFE
                          std::string("\xef\xbf\xbf"),            // U+FFFF
                          std::string("\xed\xa0\x80"),            // U+D800 (surrogate)
                          std::string("\xf4\x90\x80\x80"),        // beyond U+10FFFF
                          std::string("\xc0\x81"),                // overlong U+0001
                          std::string("\xc3"),                    // truncated
                          std::string("\x80"),                    // stray continuation
                          std::string("ok\xe2\x82")}) {           // truncated at the end
    auto r = validateBody(bad);
    ASSERT_FALSE(r.ok()) << testing::PrintToString(bad);
    EXPECT_EQ(r.error().code(), ErrorCode::InvalidMessageContents);
  }
  EXPECT_NE(validateBody("\x01").error().message().find("#x1"), std::string::npos);
}

MessageAttributes one(std::string name, std::string type, std::string value) {
  return {{std::move(name), {std::move(type), std::move(value)}}};
}

TEST(MessageRulesTest, AcceptsValidAttributes) {
  EXPECT_TRUE(validateMessageAttributes({}).ok());
  EXPECT_TRUE(validateMessageAttributes(one("a.b-c_d", "String", "v")).ok());
  EXPECT_TRUE(validateMessageAttributes(one("n", "Number", "1e5")).ok());
  EXPECT_TRUE(validateMessageAttributes(one("n", "Number", "-1.5")).ok());
  EXPECT_TRUE(validateMessageAttributes(one("n", "Number.float", "4563442423554324324264524243.32543234")).ok());
  EXPECT_TRUE(validateMessageAttributes(one("b", "Binary", std::string("\x00\xff", 2))).ok());
  EXPECT_TRUE(validateMessageAttributes(one("s", "String.json", "{}")).ok());
  EXPECT_TRUE(validateMessageAttributes(one(std::string(256, 'n'), "String", "v")).ok());
  MessageAttributes ten;
  for (int i = 0; i < 10; ++i) ten["a" + std::to_string(i)] = {"String", "v"};
  EXPECT_TRUE(validateMessageAttributes(ten).ok());
}

TEST(MessageRulesTest, RefusesBadAttributes) {
  MessageAttributes eleven;
  for (int i = 0; i < 11; ++i) eleven["a" + std::to_string(i)] = {"String", "v"};
  const MessageAttributes bad[] = {
      eleven,
      one("AWS.x", "String", "v"),
      one("aws.x", "String", "v"),
      one("Amazon.x", "String", "v"),
      one("AMAZON.x", "String", "v"),
      one("a..b", "String", "v"),
      one(".a", "String", "v"),
      one("a.", "String", "v"),
      one("", "String", "v"),
      one("a b", "String", "v"),
      one("a/b", "String", "v"),
      one(std::string(257, 'n'), "String", "v"),
      one("n", "Number", "abc"),
      one("n", "Number", "1e"),
      one("n", "Number", "."),
      one("n", "Number", "1 "),
      one("s", "String", ""),
      one("s", "String", "\x01"),
      one("s", "", "v"),
      one("s", "Text", "v"),
      one("s", "Stringx", "v"),
      one("s", "String.", "v"),
      one("s", "string", "v"),
      one("s", "String." + std::string(250, 'x'), "v"),
      one("b", "Binary", ""),
  };
  for (const auto& attributes : bad) {
    auto r = validateMessageAttributes(attributes);
    ASSERT_FALSE(r.ok()) << attributes.begin()->first << " " << attributes.begin()->second.dataType << " "
                         << attributes.begin()->second.value;
    EXPECT_EQ(r.error().code(), ErrorCode::InvalidParameterValue);
  }
  EXPECT_EQ(validateMessageAttributes(eleven).error().message(),
            "Number of message attributes [11] exceeds the allowed maximum [10].");
}

TEST(MessageRulesTest, AwsPrefixAllowedInsideName) {
  EXPECT_TRUE(validateMessageAttributes(one("myAWS.x", "String", "v")).ok());
  EXPECT_TRUE(validateMessageAttributes(one("AWSx", "String", "v")).ok());
}

TEST(MessageRulesTest, SizeCountsNamesTypesAndValues) {
  EXPECT_EQ(messageSize("hello", {}), 5u);
  MessageAttributes a{{"ab", {"String", "xyz"}}, {"c", {"Binary", std::string(10, 'b')}}};
  EXPECT_EQ(messageSize("hello", a), 5u + (2 + 6 + 3) + (1 + 6 + 10));
}

}  // namespace
}  // namespace overcast::sqs
