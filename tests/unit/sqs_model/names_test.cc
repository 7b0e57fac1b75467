#include "services/sqs/model/names.h"

#include <gtest/gtest.h>

#include <string>

namespace overcast::sqs {
namespace {

TEST(NamesTest, ValidNames) {
  EXPECT_TRUE(validateQueueName("a").ok());
  EXPECT_TRUE(validateQueueName("My_queue-1").ok());
  EXPECT_TRUE(validateQueueName(std::string(80, 'q')).ok());
  EXPECT_TRUE(validateQueueName("orders.fifo").ok());
  EXPECT_TRUE(validateQueueName(std::string(75, 'q') + ".fifo").ok());
}

TEST(NamesTest, InvalidStandardNames) {
  for (std::string bad : {std::string(), std::string(81, 'q'), std::string("a.b"), std::string("a b"),
                          std::string("a/b"), std::string("caf\xc3\xa9")}) {
    auto r = validateQueueName(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::InvalidParameterValue);
    EXPECT_EQ(r.error().message(),
              "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
  }
}

TEST(NamesTest, InvalidFifoNames) {
  for (std::string bad : {std::string(".fifo"), std::string(76, 'q') + ".fifo", std::string("a.b.fifo")}) {
    auto r = validateQueueName(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::InvalidParameterValue);
    EXPECT_EQ(r.error().message(),
              "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end "
              "with .fifo suffix and be 1 to 80 in length.");
  }
}

TEST(NamesTest, FifoSuffix) {
  EXPECT_TRUE(isFifoName("x.fifo"));
  EXPECT_FALSE(isFifoName("x.FIFO"));
  EXPECT_FALSE(isFifoName("xfifo"));
}

TEST(NamesTest, Arn) {
  EXPECT_EQ(queueArn("us-east-1", "000000000000", "q1"), "arn:aws:sqs:us-east-1:000000000000:q1");
}

TEST(NamesTest, ParsesEveryUrlForm) {
  for (std::string url : {"http://127.0.0.1:4566/123456789012/my-queue",
                          "https://sqs.eu-west-1.amazonaws.com/123456789012/my-queue",
                          "/123456789012/my-queue", "/123456789012/my-queue/",
                          "http://localhost/123456789012/my-queue?x=1", "localhost:4566/123456789012/my-queue"}) {
    auto r = parseQueueUrl(url);
    ASSERT_TRUE(r.ok()) << url;
    EXPECT_EQ(r->account, "123456789012");
    EXPECT_EQ(r->name, "my-queue");
  }
  auto fifo = parseQueueUrl("http://h/123456789012/q.fifo");
  ASSERT_TRUE(fifo.ok());
  EXPECT_EQ(fifo->name, "q.fifo");
}

TEST(NamesTest, RejectsOtherShapes) {
  for (std::string url : {"", "/", "http://host", "http://host/", "/123456789012", "/123456789012/",
                          "/12345678901/q", "/1234567890123/q", "/12345678901a/q", "/123456789012/a/b",
                          "/123456789012/a b", "/123456789012//", "//123456789012/q", "my-queue"}) {
    auto r = parseQueueUrl(url);
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.error().code(), ErrorCode::QueueDoesNotExist);
  }
}

TEST(NamesTest, UrlRoundTrips) {
  const auto url = queueUrl("http://127.0.0.1:4566", "123456789012", "q-1");
  EXPECT_EQ(url, "http://127.0.0.1:4566/123456789012/q-1");
  EXPECT_EQ(queueUrl("http://h/", "123456789012", "q"), "http://h/123456789012/q");
  auto r = parseQueueUrl(url);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->name, "q-1");
}

}  // namespace
}  // namespace overcast::sqs

namespace overcast::sqs {
namespace {

TEST(Names, NameTokens) {
  EXPECT_TRUE(isNameToken("a"));
  EXPECT_TRUE(isNameToken("Batch_entry-01"));
  EXPECT_TRUE(isNameToken(std::string(80, 'x')));
  EXPECT_FALSE(isNameToken(""));
  EXPECT_FALSE(isNameToken(std::string(81, 'x')));
  EXPECT_FALSE(isNameToken("has space"));
  EXPECT_FALSE(isNameToken("q.fifo"));
}

}  // namespace
}  // namespace overcast::sqs
