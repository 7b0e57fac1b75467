// Schema migrations: the numbered, append-only list of schema changes. At open the store
// applies, in one transaction, every migration newer than the database's version (kept in
// PRAGMA user_version), and refuses a database made by a newer binary.
//
// To change the schema, APPEND a row to kMigrations in migrations.cc (next version, a short
// name, the SQL) and describe it in docs/formats.md. Never edit or reorder a released row:
// databases in the field have already run it.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "core/result.h"

namespace overcast::store {

struct Migration {
  int64_t version;        // 1, 2, 3... without gaps
  std::string_view name;  // for logs and docs
  std::string_view sql;   // one or more ';'-separated statements
};

// The migrations this binary knows, in version order.
std::span<const Migration> builtinMigrations();

// The version a fully migrated database has: the last row's version (0 for an empty list).
int64_t latestVersion(std::span<const Migration> migrations);

}  // namespace overcast::store

namespace overcast::store::sqlite {

class Connection;

// Brings the database on `c` to latestVersion(migrations) inside one IMMEDIATE transaction.
// Returns the version found before migrating. Fails (changing nothing) if the database's
// version is newer than this list knows, or a migration fails.
Result<int64_t> applyMigrations(Connection& c, std::span<const Migration> migrations);

}  // namespace overcast::store::sqlite
