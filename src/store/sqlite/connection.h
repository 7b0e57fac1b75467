// Connection: one sqlite3 handle with its prepared-statement cache, and the ReadTxn/WriteTxn
// views the Store hands to callers. Internal to store/sqlite.
//
// Threads: a Connection is used by one thread at a time (the writer thread owns its own; a
// read connection belongs to whoever checked it out of the ReadPool). SQLite is built
// thread-safe, but a statement cache shared across threads would not be.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "store/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace overcast::store::sqlite {

struct ConnectionOptions {
  int busyTimeoutMs = 5000;
  bool synchronousFull = true;
  bool queryOnly = false;  // read connections: refuse writes at the SQLite level
};

class Connection {
 public:
  // Opens (creating if needed) the database file and applies the pragmas every connection
  // needs: WAL, synchronous, busy_timeout, foreign_keys.
  static Result<std::unique_ptr<Connection>> open(const std::string& path, const ConnectionOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more ';'-separated statements without parameters (DDL, BEGIN, COMMIT...).
  Result<void> execScript(std::string_view sql);

  // A single statement, through the statement cache (keyed by the SQL text).
  Result<std::vector<Row>> query(std::string_view sql, const std::vector<SqlValue>& params);
  Result<int64_t> exec(std::string_view sql, const std::vector<SqlValue>& params);

  // True when no transaction is open (SQLite may roll one back on its own after some errors).
  bool autocommit() const;
  size_t cachedStatements() const { return cache_.size(); }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  Result<sqlite3_stmt*> prepare(std::string_view sql, const std::vector<SqlValue>& params);
  Error sqliteError(std::string_view what, std::string_view sql) const;

  sqlite3* db_;
  // Looked up by string_view (no key string built per statement run).
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> cache_;
};

// The transaction view over a connection; the caller brackets it with BEGIN/COMMIT.
class ConnectionTxn final : public WriteTxn {
 public:
  explicit ConnectionTxn(Connection& c) : c_(c) {}
  Result<std::vector<Row>> query(std::string_view sql, const std::vector<SqlValue>& params) override {
    return c_.query(sql, params);
  }
  Result<int64_t> exec(std::string_view sql, const std::vector<SqlValue>& params) override {
    return c_.exec(sql, params);
  }

 private:
  Connection& c_;
};

}  // namespace overcast::store::sqlite
