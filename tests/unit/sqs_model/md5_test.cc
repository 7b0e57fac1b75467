#include "services/sqs/model/md5.h"

#include <gtest/gtest.h>

namespace overcast::sqs {
namespace {

// Vectors: aws-reference.md §A6 (npm aws-md5-of-message-attributes).
TEST(Md5Test, BodyIsHexMd5) {
  EXPECT_EQ(md5OfBody("hello world"), "5eb63bbbe01eeed093cb22bb8f5acdc3");
  EXPECT_EQ(md5OfBody(""), "d41d8cd98f00b204e9800998ecf8427e");
  const auto bytes = md5OfBodyBytes("hello world");
  EXPECT_EQ(bytes[0], 0x5e);
  EXPECT_EQ(bytes[15], 0xc3);
}

TEST(Md5Test, StringAttribute) {
  MessageAttributes a{{"attribName1", {"String", "attribValue 1"}}};
  EXPECT_EQ(md5OfAttributes(a), "19e27d4e946b072f3f58da80d94fd778");
}

TEST(Md5Test, CustomNumberAttribute) {
  MessageAttributes a{{"customNumberTypeAttrib", {"Number.float", "4563442423554324324264524243.32543234"}}};
  EXPECT_EQ(md5OfAttributes(a), "9fe1b90bbd9965bdf77bac517c7d2495");
}

TEST(Md5Test, BinaryAttribute) {
  MessageAttributes a{{"binaryAttribute", {"Binary", "Hello binary world!"}}};
  EXPECT_EQ(md5OfAttributes(a), "31a92b15d92f8db860eda32aceb656c3");
}

TEST(Md5Test, AllThreeTogether) {
  MessageAttributes a{{"attribName1", {"String", "attribValue 1"}},
                      {"customNumberTypeAttrib", {"Number.float", "4563442423554324324264524243.32543234"}},
                      {"binaryAttribute", {"Binary", "Hello binary world!"}}};
  EXPECT_EQ(md5OfAttributes(a), "c932db14a896c663f83c260297d594ff");
}

TEST(Md5Test, NoAttributesGiveEmptyString) { EXPECT_EQ(md5OfAttributes({}), ""); }

TEST(Md5Test, TransportByteDependsOnType) {
  MessageAttributes asString{{"a", {"String", "x"}}};
  MessageAttributes asBinary{{"a", {"Binary", "x"}}};
  EXPECT_NE(md5OfAttributes(asString), md5OfAttributes(asBinary));
  EXPECT_TRUE(MessageAttribute({"Binary.jpeg", ""}).binary());
  EXPECT_FALSE(MessageAttribute({"String.Binary", ""}).binary());
}

}  // namespace
}  // namespace overcast::sqs
