// Store: the durable state of overcast, as transactions of parameterized SQL over a small
// common dialect (SQLite today; PostgreSQL later through the same interface).
//
// Durability contract: write()'s `done` is called only after the transaction is durable
// (fsync'd); a request is acknowledged only then. Many concurrent writes share one commit
// (group commit), each inside its own savepoint so that one failing write rolls back alone.
//
// Threads: read() may be called from any thread (each call takes a read connection from a
// pool; reads see the last committed state). write() may be called from any thread and
// never blocks on disk: `fn` and `done` run on the single writer thread. `fn` must not call
// write() or writeSync(). writeSync() blocks; use it at startup and in tools, never on an
// I/O thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"

namespace overcast::store {

struct Blob {
  std::string bytes;
};

// A bound parameter or a column value. NULL is std::monostate.
using SqlValue = std::variant<std::monostate, int64_t, double, std::string, Blob>;

class Row {
 public:
  explicit Row(std::vector<SqlValue> columns) : columns_(std::move(columns)) {}
  size_t size() const { return columns_.size(); }
  bool isNull(size_t i) const { return std::holds_alternative<std::monostate>(columns_.at(i)); }
  int64_t integer(size_t i) const;      // 0 for NULL
  double real(size_t i) const;          // 0 for NULL
  const std::string& text(size_t i) const;  // "" for NULL; blob bytes for a blob
  const SqlValue& value(size_t i) const { return columns_.at(i); }

 private:
  std::vector<SqlValue> columns_;
};

class ReadTxn {
 public:
  virtual ~ReadTxn() = default;
  // Runs a statement that returns rows. `?` placeholders bind `params` in order.
  virtual Result<std::vector<Row>> query(std::string_view sql, const std::vector<SqlValue>& params = {}) = 0;
  // The first row, or nullopt if none.
  Result<std::optional<Row>> queryOne(std::string_view sql, const std::vector<SqlValue>& params = {});
};

class WriteTxn : public ReadTxn {
 public:
  // Runs a statement that changes data; returns the number of rows changed.
  virtual Result<int64_t> exec(std::string_view sql, const std::vector<SqlValue>& params = {}) = 0;
};

struct StoreStats {
  uint64_t commits = 0;          // group commits done
  uint64_t writes = 0;           // write() transactions committed
  uint64_t commitMicrosTotal = 0;
  size_t queueDepth = 0;         // writes waiting for the writer thread
};

class Store {
 public:
  using ReadFn = std::function<Result<void>(ReadTxn&)>;
  using WriteFn = std::function<Result<void>(WriteTxn&)>;
  using DoneFn = std::function<void(Result<void>)>;
  // Runs a batch of write completions somewhere; see setCompletionExecutor.
  using CompletionExecutor = std::function<void(std::function<void()>)>;

  virtual ~Store() = default;

  // Runs `fn` on a consistent read snapshot, on the calling thread.
  virtual Result<void> read(const ReadFn& fn) = 0;

  // Queues `fn`; the writer thread runs it in a savepoint of the next group transaction and
  // calls `done` once that transaction is durable (or with fn's error, or the commit error).
  // `done` runs on the writer thread, or, with a completion executor set, in one batch with its
  // group-mates through that executor (batches in commit order).
  virtual void write(WriteFn fn, DoneFn done) = 0;

  // write(), but `done` always runs on the writer thread, even with a completion executor set:
  // for callers that block until it has run (job threads), which must not depend on the I/O
  // threads that the executor uses (they may be stopping). `done` must be quick.
  virtual void writeInline(WriteFn fn, DoneFn done) = 0;

  // write() and wait for `done`, which then always runs on the writer thread (the caller may
  // be the thread the executor would use).
  virtual Result<void> writeSync(WriteFn fn) = 0;

  // Hands each group's completions, as one function, to `executor` instead of running them on
  // the writer thread. The server passes its I/O threads: one wakeup per group instead of one
  // per write, and no ping-pong between the writer and the thread it wakes. An empty executor
  // (the default) means the writer thread. The executor must run what it is given, in order.
  virtual void setCompletionExecutor(CompletionExecutor executor) = 0;

  // Finishes queued writes, then closes every connection. Idempotent.
  virtual void close() = 0;

  virtual StoreStats stats() const = 0;
  virtual std::string describe() const = 0;  // "sqlite:/path/to/overcast.db"
};

}  // namespace overcast::store
