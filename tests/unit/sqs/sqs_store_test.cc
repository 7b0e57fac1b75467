#include "services/sqs/sqs_store.h"

#include <gtest/gtest.h>

#include "fakes/temp_dir.h"
#include "store/sqlite/sqlite_store.h"

namespace overcast::sqs {
namespace {

TEST(SqsStore, AttributeEncodingRoundTrips) {
  MessageAttributes a{{"b", {"Binary", std::string("\0\1\2", 3)}}, {"n", {"Number.float", "1.5"}}, {"s", {"String", "x"}}};
  auto decoded = decodeAttributes(encodeAttributes(a));
  ASSERT_TRUE(decoded);
  ASSERT_EQ(decoded->size(), 3u);
  EXPECT_EQ(decoded->at("b").value, std::string("\0\1\2", 3));
  EXPECT_EQ(decoded->at("n").dataType, "Number.float");
  EXPECT_FALSE(decodeAttributes("\x00\x00\x00\x05"));  // claims 5 attributes, has none
  std::string extra = encodeAttributes(a) + "x";
  EXPECT_FALSE(decodeAttributes(extra));
}

TEST(SqsStore, QueuesAndMessagesSurviveReopen) {
  testing::TempDir dir;
  store::SqliteOptions options;
  options.path = (dir.path() / "db").string();
  int64_t queueId = 0;
  {
    auto db = store::openSqliteStore(options);
    ASSERT_TRUE(db);
    QueueRow row;
    row.identity = {0, "000000000000", "us-east-1", "q"};
    row.settings.visibilityTimeout = 45;
    row.tags = {{"team", "a"}};
    row.createdAt = row.modifiedAt = 1000;
    ASSERT_TRUE((*db)->writeSync([&](store::WriteTxn& txn) -> Result<void> {
      auto id = insertQueue(txn, row);
      if (!id) return id.error();
      queueId = *id;
      for (int i = 1; i <= 3; ++i) {
        StoredMessage m;
        m.meta.sequence = i;
        m.meta.sentAt = 1000 + i;
        m.meta.visibleAt = 1000 + i;
        m.meta.body = std::make_shared<const std::string>("body" + std::to_string(i));
        m.meta.bodyBytes = 5;
        m.meta.senderId = "000000000000";
        if (i == 2) {
          m.meta.hasAttributes = true;
          m.meta.attributes = std::make_shared<const MessageAttributes>(MessageAttributes{{"k", {"String", "v"}}});
        }
        if (auto r = insertMessage(txn, queueId, m); !r) return r;
      }
      return deleteMessage(txn, queueId, 3);
    }));
    (*db)->close();
  }
  auto db = store::openSqliteStore(options);
  ASSERT_TRUE(db);
  ASSERT_TRUE((*db)->read([&](store::ReadTxn& txn) -> Result<void> {
    auto queues = loadQueues(txn);
    EXPECT_TRUE(queues);
    EXPECT_EQ(queues->size(), 1u);
    EXPECT_EQ(queues->at(0).settings.visibilityTimeout, 45);
    EXPECT_EQ(queues->at(0).tags.at("team"), "a");
    std::vector<MessageMeta> metas;
    auto loaded = loadMessages(txn, queueId, [](size_t) { return true; },
                               [&](MessageMeta&& m) { metas.push_back(std::move(m)); });
    EXPECT_TRUE(loaded);
    EXPECT_EQ(metas.size(), 2u);
    EXPECT_EQ(*metas.at(0).body, "body1");
    EXPECT_TRUE(metas.at(1).hasAttributes);
    EXPECT_EQ(metas.at(1).attributes->at("k").value, "v");
    auto lazy = loadMessages(txn, queueId, [](size_t) { return false; },
                             [&](MessageMeta&& m) { EXPECT_FALSE(m.body); });
    EXPECT_TRUE(lazy);
    auto body = readBody(txn, queueId, 2);
    EXPECT_TRUE(body && *body);
    EXPECT_EQ((*body)->first, "body2");
    return {};
  }));
}

}  // namespace
}  // namespace overcast::sqs
