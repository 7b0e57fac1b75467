#include "store/sqlite/connection.h"

#include <sqlite3.h>

#include <fmt/format.h>

namespace overcast::store::sqlite {
namespace {

// Resets a cached statement when it goes out of scope, whatever path the caller took, so the
// next user finds it ready and it holds no read lock in between.
class StatementReset {
 public:
  explicit StatementReset(sqlite3_stmt* s) : s_(s) {}
  ~StatementReset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;

 private:
  sqlite3_stmt* s_;
};

// SQLITE_STATIC: the values outlive the statement's use of them (the caller's `params` lives
// until StatementReset has reset the statement and cleared its bindings), so SQLite need not
// copy them.
int bindOne(sqlite3_stmt* s, int index, const SqlValue& v) {
  return std::visit(
      [&](const auto& x) -> int {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return sqlite3_bind_null(s, index);
        } else if constexpr (std::is_same_v<T, int64_t>) {
          return sqlite3_bind_int64(s, index, x);
        } else if constexpr (std::is_same_v<T, double>) {
          return sqlite3_bind_double(s, index, x);
        } else if constexpr (std::is_same_v<T, std::string>) {
          return sqlite3_bind_text64(s, index, x.data(), x.size(), SQLITE_STATIC, SQLITE_UTF8);
        } else {
          return sqlite3_bind_blob64(s, index, x.bytes.data(), x.bytes.size(), SQLITE_STATIC);
        }
      },
      v);
}

SqlValue column(sqlite3_stmt* s, int i) {
  switch (sqlite3_column_type(s, i)) {
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(s, i));
    case SQLITE_FLOAT:
      return sqlite3_column_double(s, i);
    case SQLITE_TEXT: {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
      return std::string(p, static_cast<size_t>(sqlite3_column_bytes(s, i)));
    }
    case SQLITE_BLOB: {
      const auto* p = static_cast<const char*>(sqlite3_column_blob(s, i));
      int n = sqlite3_column_bytes(s, i);
      return Blob{p ? std::string(p, static_cast<size_t>(n)) : std::string()};
    }
    default:
      return std::monostate{};
  }
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::open(const std::string& path, const ConnectionOptions& options) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Error(ErrorCode::InternalFailure, fmt::format("sqlite: cannot open {}: {}", path, msg));
  }
  sqlite3_extended_result_codes(db, 1);
  std::unique_ptr<Connection> c(new Connection(db));
  sqlite3_busy_timeout(db, options.busyTimeoutMs);
  std::string pragmas = fmt::format(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous={}; PRAGMA foreign_keys=ON;{}",
      options.synchronousFull ? "FULL" : "NORMAL", options.queryOnly ? " PRAGMA query_only=ON;" : "");
  if (auto r = c->execScript(pragmas); !r) return r.error();
  return c;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Error Connection::sqliteError(std::string_view what, std::string_view sql) const {
  return Error(ErrorCode::InternalFailure,
               fmt::format("sqlite: {}: {} (code {}) in: {}", what, sqlite3_errmsg(db_),
                           sqlite3_extended_errcode(db_), sql));
}

Result<void> Connection::execScript(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Error(ErrorCode::InternalFailure, fmt::format("sqlite: {} in: {}", msg, sql));
  }
  return {};
}

Result<sqlite3_stmt*> Connection::prepare(std::string_view sql, const std::vector<SqlValue>& params) {
  sqlite3_stmt* stmt = nullptr;
  if (auto it = cache_.find(sql); it != cache_.end()) {
    stmt = it->second;
  } else {
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                &tail);
    if (rc != SQLITE_OK) return sqliteError("prepare", sql);
    if (stmt == nullptr) return Error(ErrorCode::InternalFailure, fmt::format("sqlite: empty statement: {}", sql));
    cache_.emplace(std::string(sql), stmt);
  }
  if (static_cast<size_t>(sqlite3_bind_parameter_count(stmt)) != params.size()) {
    return Error(ErrorCode::InternalFailure,
                 fmt::format("sqlite: statement has {} parameters, {} given: {}",
                             sqlite3_bind_parameter_count(stmt), params.size(), sql));
  }
  for (size_t i = 0; i < params.size(); ++i) {
    if (bindOne(stmt, static_cast<int>(i + 1), params[i]) != SQLITE_OK) {
      sqlite3_clear_bindings(stmt);
      return sqliteError("bind", sql);
    }
  }
  return stmt;
}

Result<std::vector<Row>> Connection::query(std::string_view sql, const std::vector<SqlValue>& params) {
  auto prepared = prepare(sql, params);
  if (!prepared) return prepared.error();
  sqlite3_stmt* stmt = *prepared;
  StatementReset reset(stmt);
  std::vector<Row> rows;
  const int n = sqlite3_column_count(stmt);
  for (;;) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return sqliteError("step", sql);
    std::vector<SqlValue> cols;
    cols.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) cols.push_back(column(stmt, i));
    rows.emplace_back(std::move(cols));
  }
  return rows;
}

Result<int64_t> Connection::exec(std::string_view sql, const std::vector<SqlValue>& params) {
  auto prepared = prepare(sql, params);
  if (!prepared) return prepared.error();
  sqlite3_stmt* stmt = *prepared;
  StatementReset reset(stmt);
  for (;;) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return sqliteError("step", sql);
  }
  return static_cast<int64_t>(sqlite3_changes64(db_));
}

bool Connection::autocommit() const { return sqlite3_get_autocommit(db_) != 0; }

}  // namespace overcast::store::sqlite
