#include <gtest/gtest.h>

#include "tests/unit/store/store_test_util.h"

namespace overcast::store {
namespace {

using testing::TempDir;

int64_t userVersion(Store& s) {
  int64_t v = -1;
  EXPECT_TRUE(s.read([&](ReadTxn& t) -> Result<void> {
                 auto row = t.queryOne("PRAGMA user_version");
                 if (!row) return row.error();
                 v = (*row)->integer(0);
                 return {};
               }).ok());
  return v;
}

TEST(Migrations, BuiltinListIsNumberedFromOne) {
  auto m = builtinMigrations();
  ASSERT_FALSE(m.empty());
  for (size_t i = 0; i < m.size(); ++i) EXPECT_EQ(m[i].version, static_cast<int64_t>(i + 1));
  EXPECT_EQ(latestVersion(m), m.back().version);
}

TEST(Migrations, BuiltinSchemaHasTheCoreTables) {
  TempDir dir;
  auto s = openTestStore(dir / "t.db", 1, std::nullopt);
  ASSERT_TRUE(s);
  EXPECT_EQ(userVersion(*s), latestVersion(builtinMigrations()));
  for (const char* table : {"accounts", "access_keys", "jobs", "meta"}) {
    ASSERT_TRUE(s->read([&](ReadTxn& t) -> Result<void> {
                   auto row = t.queryOne("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                                         {std::string(table)});
                   if (!row) return row.error();
                   EXPECT_EQ((*row)->integer(0), 1) << table;
                   return {};
                 }).ok());
  }
}

TEST(Migrations, ApplyOnceAndThenOnlyTheNewOnes) {
  TempDir dir;
  std::vector<Migration> v1 = {{1, "a", "CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);"}};
  {
    auto s = openTestStore(dir / "t.db", 1, v1);
    ASSERT_TRUE(s);
    EXPECT_EQ(userVersion(*s), 1);
  }
  // Reopening with the same list runs nothing (the INSERT would have doubled the row, the
  // CREATE would have failed).
  std::vector<Migration> v2 = v1;
  v2.push_back({2, "b", "CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (2);"});
  for (int i = 0; i < 2; ++i) {
    auto s = openTestStore(dir / "t.db", 1, v2);
    ASSERT_TRUE(s);
    EXPECT_EQ(userVersion(*s), 2);
    ASSERT_TRUE(s->read([](ReadTxn& t) -> Result<void> {
                   auto row = t.queryOne("SELECT count(*), sum(x) FROM a");
                   if (!row) return row.error();
                   EXPECT_EQ((*row)->integer(0), 2);
                   EXPECT_EQ((*row)->integer(1), 3);
                   return {};
                 }).ok());
  }
}

TEST(Migrations, RefusesADatabaseNewerThanTheBinary) {
  TempDir dir;
  std::vector<Migration> v2 = {{1, "a", "CREATE TABLE a (x INTEGER);"}, {2, "b", "CREATE TABLE b (y INTEGER);"}};
  ASSERT_TRUE(openTestStore(dir / "t.db", 1, v2));
  SqliteOptions o;
  o.path = (dir / "t.db").string();
  o.migrations = std::vector<Migration>{v2[0]};
  auto s = openSqliteStore(o);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("schema version 2, newer than this overcast binary supports (version 1)"),
            std::string::npos)
      << s.error().message();
}

TEST(Migrations, AFailingMigrationChangesNothing) {
  TempDir dir;
  std::vector<Migration> bad = {{1, "ok", "CREATE TABLE a (x INTEGER);"}, {2, "bad", "CREATE TABLE oops (;"}};
  SqliteOptions o;
  o.path = (dir / "t.db").string();
  o.migrations = bad;
  auto s = openSqliteStore(o);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("migration 2 (bad)"), std::string::npos) << s.error().message();
  // Migration 1 was rolled back with it: opening with just migration 1 creates table a afresh.
  auto fine = openTestStore(dir / "t.db", 1, std::vector<Migration>{bad[0]});
  ASSERT_TRUE(fine);
  EXPECT_EQ(userVersion(*fine), 1);
}

TEST(Migrations, RefusesAGappedList) {
  TempDir dir;
  SqliteOptions o;
  o.path = (dir / "t.db").string();
  o.migrations = std::vector<Migration>{{2, "skip", "CREATE TABLE a (x INTEGER);"}};
  EXPECT_FALSE(openSqliteStore(o).ok());
}

}  // namespace
}  // namespace overcast::store
