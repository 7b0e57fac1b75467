#include <gtest/gtest.h>

#include "test_models.h"

namespace overcast::protocol {
namespace {

namespace json = boost::json;
using testing::model;
using testing::obj;
using testing::op;

Result<json::object> decode(std::string_view action, std::string_view body) {
  return decodeJsonInput(model("sqs"), op("sqs", action), body);
}

TEST(JsonDecoder, SendMessageWithAttributes) {
  auto r = decode("SendMessage", R"({"QueueUrl": "http://q/1/q", "MessageBody": "hello & bye",
      "DelaySeconds": 5, "MessageAttributes": {"a1": {"DataType": "String", "StringValue": "v 1"},
      "b2": {"DataType": "Binary", "BinaryValue": "AAFiaW4="}}, "Unknown": 1})");
  ASSERT_TRUE(r) << r.error().message();
  json::object expected = obj(R"({"QueueUrl":"http://q/1/q","MessageBody":"hello & bye",
      "DelaySeconds":5,"MessageAttributes":{"a1":{"DataType":"String","StringValue":"v 1"},
      "b2":{"DataType":"Binary"}}})");
  expected["MessageAttributes"].as_object()["b2"].as_object()["BinaryValue"] =
      std::string("\x00\x01" "bin", 5);
  EXPECT_EQ(*r, expected);
}

TEST(JsonDecoder, QueryTraitsAreIgnored) {
  // "Attribute"/"Name"/"Value" are query names; JSON uses the model's member names only.
  auto r = decode("CreateQueue", R"({"QueueName":"q","Attribute":{"x":"1"},
                                     "Attributes":{"VisibilityTimeout":"40"}})");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, obj(R"({"QueueName":"q","Attributes":{"VisibilityTimeout":"40"}})"));
}

TEST(JsonDecoder, EmptyBodies) {
  auto empty = decodeJsonInput(model("sqs"), op("sqs", "ListQueues"), "");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
  auto braces = decodeJsonInput(model("sqs"), op("sqs", "ListQueues"), " {} ");
  ASSERT_TRUE(braces);
  EXPECT_TRUE(braces->empty());
}

TEST(JsonDecoder, NotAnObjectOrNotJson) {
  for (const char* body : {"[]", "\"x\"", "{", "nonsense", "{\"QueueUrl\": }"}) {
    auto r = decode("ReceiveMessage", body);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().code(), ErrorCode::SerializationException) << body;
  }
  std::string deep(100, '[');
  auto r = decode("ReceiveMessage", "{\"AttributeNames\":" + deep + std::string(100, ']') + "}");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::SerializationException);
}

TEST(JsonDecoder, TypeMismatches) {
  for (const char* body : {R"({"QueueUrl":"u","MaxNumberOfMessages":"10"})",
                           R"({"QueueUrl":"u","MaxNumberOfMessages":1.5})",
                           R"({"QueueUrl":"u","MaxNumberOfMessages":99999999999})",
                           R"({"QueueUrl":5})", R"({"QueueUrl":"u","AttributeNames":"All"})",
                           R"({"QueueUrl":"u","AttributeNames":[1]})"}) {
    auto r = decode("ReceiveMessage", body);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().code(), ErrorCode::SerializationException) << body;
  }
}

TEST(JsonDecoder, RequiredMissing) {
  auto r = decode("ReceiveMessage", R"({"MaxNumberOfMessages":1})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::MissingParameter);
  EXPECT_EQ(r.error().message(), "The request must contain the parameter QueueUrl");
  auto null = decode("ReceiveMessage", R"({"QueueUrl":null})");
  ASSERT_FALSE(null);
  EXPECT_EQ(null.error().code(), ErrorCode::MissingParameter);
}

TEST(JsonDecoder, UnknownAndNullMembersAreDroppedAtEveryLevel) {
  auto r = decode("SendMessageBatch", R"({"QueueUrl":"u","Bogus":1,"Entries":[
      {"Id":"a","MessageBody":"x","Extra":[1,2],"DelaySeconds":null}]})");
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(*r, boost::json::parse(R"({"QueueUrl":"u","Entries":[{"Id":"a","MessageBody":"x"}]})"));
}

TEST(JsonDecoder, ErrorsNameTheNestedPath) {
  auto r = decode("SendMessageBatch", R"({"QueueUrl":"u","Entries":[
      {"Id":"a","MessageBody":"x"},{"Id":"b","MessageBody":"y","DelaySeconds":"5"}]})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::SerializationException);
  EXPECT_EQ(r.error().message(), "Value for parameter Entries.2.DelaySeconds can not be converted to integer");
  auto missing = decode("SendMessageBatch", R"({"QueueUrl":"u","Entries":[{"Id":"a"}]})");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message(), "The request must contain the parameter Entries.1.MessageBody");
}

}  // namespace
}  // namespace overcast::protocol
