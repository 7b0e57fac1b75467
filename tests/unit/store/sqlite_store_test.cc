#include <gtest/gtest.h>

#include "tests/unit/store/store_test_util.h"

namespace overcast::store {
namespace {

using testing::TempDir;

TEST(SqliteStore, RoundTripsEveryValueType) {
  TempDir dir;
  auto s = openTestStore(dir / "t.db", 2, std::vector<Migration>{{1, "t", "CREATE TABLE t (i INTEGER, d REAL, s TEXT, b BLOB, n TEXT);"}});
  ASSERT_TRUE(s);
  std::string bytes("a\0b\xff", 4);
  ASSERT_TRUE(s->writeSync([&](WriteTxn& t) -> Result<void> {
                 auto r = t.exec("INSERT INTO t VALUES (?, ?, ?, ?, ?)",
                                 {int64_t{-42}, 2.5, std::string("héllo"), Blob{bytes}, std::monostate{}});
                 if (!r) return r.error();
                 EXPECT_EQ(*r, 1);
                 return {};
               }).ok());
  ASSERT_TRUE(s->read([&](ReadTxn& t) -> Result<void> {
                 auto row = t.queryOne("SELECT i, d, s, b, n FROM t");
                 if (!row) return row.error();
                 EXPECT_TRUE(row->has_value());
                 const Row& r = **row;
                 EXPECT_EQ(r.size(), 5u);
                 EXPECT_EQ(r.integer(0), -42);
                 EXPECT_DOUBLE_EQ(r.real(1), 2.5);
                 EXPECT_EQ(r.text(2), "héllo");
                 EXPECT_TRUE(std::holds_alternative<Blob>(r.value(3)));
                 EXPECT_EQ(r.text(3), bytes);
                 EXPECT_TRUE(r.isNull(4));
                 EXPECT_EQ(r.text(4), "");
                 EXPECT_EQ(r.integer(4), 0);
                 return {};
               }).ok());
}

TEST(SqliteStore, QueryOneOnNoRowsIsNullopt) {
  TempDir dir;
  auto s = openTestStore(dir / "t.db");
  ASSERT_TRUE(s);
  EXPECT_EQ(get(*s, "missing"), std::nullopt);
}

TEST(SqliteStore, SqlErrorsAreInternalFailureValues) {
  TempDir dir;
  auto s = openTestStore(dir / "t.db");
  ASSERT_TRUE(s);
  auto r = s->read([](ReadTxn& t) -> Result<void> {
    auto q = t.query("SELECT nope FROM kv");
    if (!q) return q.error();
    return {};
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::InternalFailure);
  EXPECT_NE(r.error().message().find("nope"), std::string::npos);

  auto w = s->writeSync([](WriteTxn& t) -> Result<void> {
    auto q = t.exec("INSERT INTO kv (k, v) VALUES (?)", {std::string("x")});  // wrong arity
    if (!q) return q.error();
    return {};
  });
  EXPECT_FALSE(w.ok());
}

TEST(SqliteStore, ReadConnectionsCannotWrite) {
  TempDir dir;
  auto s = openTestStore(dir / "t.db");
  ASSERT_TRUE(s);
  auto r = s->read([](ReadTxn& t) -> Result<void> {
    auto q = t.query("INSERT INTO kv (k, v) VALUES ('a', 'b')");
    if (!q) return q.error();
    return {};
  });
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(count(*s), 0);
}

TEST(SqliteStore, FailingWriteRollsBackAloneInItsGroup) {
  TempDir dir;
  auto s = openTestStore(dir / "t.db");
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->writeSync([](WriteTxn& t) { return put(t, "dup", "0"); }).ok());

  // Hold the writer inside a first write so the next three queue up and share one group.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> entered;
  std::vector<std::promise<Result<void>>> results(4);
  s->write([&](WriteTxn& t) -> Result<void> {
             entered.set_value();
             released.wait();
             return put(t, "a", "1");
           },
           [&](Result<void> r) { results[0].set_value(r); });
  entered.get_future().wait();
  s->write([](WriteTxn& t) { return put(t, "b", "2"); }, [&](Result<void> r) { results[1].set_value(r); });
  s->write(
      [](WriteTxn& t) -> Result<void> {
        // Writes a row and then fails: both the row and the failure must stay in this savepoint.
        if (auto r = put(t, "c", "3"); !r) return r;
        return put(t, "dup", "again");
      },
      [&](Result<void> r) { results[2].set_value(r); });
  s->write([](WriteTxn& t) { return put(t, "d", "4"); }, [&](Result<void> r) { results[3].set_value(r); });
  const uint64_t commitsBefore = s->stats().commits;
  release.set_value();

  EXPECT_TRUE(results[0].get_future().get().ok());
  EXPECT_TRUE(results[1].get_future().get().ok());
  auto failed = results[2].get_future().get();
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message().find("UNIQUE"), std::string::npos) << failed.error().message();
  EXPECT_TRUE(results[3].get_future().get().ok());

  EXPECT_EQ(get(*s, "a"), "1");
  EXPECT_EQ(get(*s, "b"), "2");
  EXPECT_EQ(get(*s, "c"), std::nullopt);
  EXPECT_EQ(get(*s, "dup"), "0");
  EXPECT_EQ(get(*s, "d"), "4");
  // The first write was alone in its group; the other three shared one commit.
  EXPECT_EQ(s->stats().commits - commitsBefore, 2u);
}

TEST(SqliteStore, ThrowingWriteFailsAlone) {
  TempDir dir;
  auto s = openTestStore(dir / "t.db");
  ASSERT_TRUE(s);
  auto r = s->writeSync([](WriteTxn& t) -> Result<void> {
    (void)put(t, "x", "1");
    throw std::runtime_error("boom");
  });
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("boom"), std::string::npos);
  EXPECT_TRUE(s->writeSync([](WriteTxn& t) { return put(t, "y", "2"); }).ok());
  EXPECT_EQ(get(*s, "x"), std::nullopt);
  EXPECT_EQ(get(*s, "y"), "2");
}

TEST(SqliteStore, ReadSeesOneSnapshot) {
  TempDir dir;
  auto s = openTestStore(dir / "t.db");
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->writeSync([](WriteTxn& t) { return put(t, "a", "1"); }).ok());
  ASSERT_TRUE(s->read([&](ReadTxn& t) -> Result<void> {
                 auto before = t.queryOne("SELECT count(*) FROM kv");
                 if (!before) return before.error();
                 // A write commits while this read is open; the read must not see it.
                 EXPECT_TRUE(s->writeSync([](WriteTxn& w) { return put(w, "b", "2"); }).ok());
                 auto after = t.queryOne("SELECT count(*) FROM kv");
                 if (!after) return after.error();
                 EXPECT_EQ((*before)->integer(0), (*after)->integer(0));
                 return {};
               }).ok());
  EXPECT_EQ(count(*s), 2);
}

TEST(SqliteStore, DataSurvivesCloseAndReopen) {
  TempDir dir;
  {
    auto s = openTestStore(dir / "t.db");
    ASSERT_TRUE(s);
    ASSERT_TRUE(s->writeSync([](WriteTxn& t) { return put(t, "k", "kept"); }).ok());
    s->close();
    s->close();  // idempotent
    auto late = s->writeSync([](WriteTxn& t) { return put(t, "late", "x"); });
    EXPECT_FALSE(late.ok());
    EXPECT_FALSE(s->read([](ReadTxn&) -> Result<void> { return {}; }).ok());
  }
  auto s = openTestStore(dir / "t.db");
  ASSERT_TRUE(s);
  EXPECT_EQ(get(*s, "k"), "kept");
  EXPECT_EQ(get(*s, "late"), std::nullopt);
  EXPECT_EQ(s->describe(), "sqlite:" + (dir / "t.db").string());
}

TEST(SqliteStore, UsesWalAndForeignKeys) {
  TempDir dir;
  auto s = openTestStore(dir / "t.db", 1,
                         std::vector<Migration>{{1, "fk", "CREATE TABLE p (id TEXT PRIMARY KEY);"
                                                          "CREATE TABLE c (p TEXT REFERENCES p(id));"}});
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->read([](ReadTxn& t) -> Result<void> {
                 auto mode = t.queryOne("PRAGMA journal_mode");
                 if (!mode) return mode.error();
                 EXPECT_EQ((*mode)->text(0), "wal");
                 return {};
               }).ok());
  auto r = s->writeSync([](WriteTxn& t) -> Result<void> {
    auto q = t.exec("INSERT INTO c (p) VALUES ('nobody')");
    if (!q) return q.error();
    return {};
  });
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace overcast::store
