// The SQLite implementation of Store (store/store.h): one database file in WAL mode with
// synchronous=FULL, one writer thread doing group commit (writer.h), and a pool of read
// connections (read_pool.h). Opening applies the schema migrations (schema/migrations.h).
//
// Only server/ (and tests and tools) should name this header; everything else takes a Store&.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/schema/migrations.h"
#include "store/store.h"

namespace overcast::store {

struct SqliteOptions {
  std::string path;          // the database file (DataDir::dbPath()); created if missing
  size_t readPoolSize = 4;   // read connections: the I/O threads plus the job workers
  size_t maxGroupSize = 256; // most writes sharing one commit
  bool synchronousFull = true;  // false (NORMAL) only for benchmarks that say so
  int busyTimeoutMs = 5000;
  // The schema to bring the database to; unset means builtinMigrations(). Tests pass their own.
  std::optional<std::vector<Migration>> migrations;
};

// Opens the store. Fails if the file cannot be opened, a migration fails, or the database was
// written by a newer overcast (its schema version is above ours).
Result<std::unique_ptr<Store>> openSqliteStore(const SqliteOptions& options);

}  // namespace overcast::store
