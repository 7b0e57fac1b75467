// Helpers shared by the store tests: open a store in a temp dir with a test schema.
#pragma once

#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <stdexcept>

#include "store/sqlite/sqlite_store.h"
#include "tests/fakes/temp_dir.h"

namespace overcast::store {

inline const std::vector<Migration>& testMigrations() {
  static const std::vector<Migration> m = {
      {1, "kv", "CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT NOT NULL);"},
  };
  return m;
}

inline std::unique_ptr<Store> openTestStore(const std::filesystem::path& db, size_t readers = 2,
                                            std::optional<std::vector<Migration>> migrations = testMigrations()) {
  SqliteOptions o;
  o.path = db.string();
  o.readPoolSize = readers;
  o.migrations = std::move(migrations);
  auto s = openSqliteStore(o);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message());
  return s.ok() ? std::move(*s) : nullptr;
}

inline Result<void> put(WriteTxn& t, const std::string& k, const std::string& v) {
  auto r = t.exec("INSERT INTO kv (k, v) VALUES (?, ?)", {k, v});
  if (!r) return r.error();
  return {};
}

inline std::optional<std::string> get(Store& s, const std::string& k) {
  std::optional<std::string> out;
  auto r = s.read([&](ReadTxn& t) -> Result<void> {
    auto row = t.queryOne("SELECT v FROM kv WHERE k = ?", {k});
    if (!row) return row.error();
    if (*row) out = (*row)->text(0);
    return {};
  });
  EXPECT_TRUE(r.ok());
  return out;
}

inline int64_t count(Store& s) {
  int64_t n = -1;
  auto r = s.read([&](ReadTxn& t) -> Result<void> {
    auto row = t.queryOne("SELECT count(*) FROM kv");
    if (!row) return row.error();
    n = (*row)->integer(0);
    return {};
  });
  EXPECT_TRUE(r.ok());
  return n;
}

}  // namespace overcast::store
