#include "store/sqlite/sqlite_store.h"

#include <exception>
#include <future>
#include <mutex>

#include <fmt/format.h>

#include "store/sqlite/connection.h"
#include "store/sqlite/read_pool.h"
#include "store/sqlite/writer.h"

namespace overcast::store {
namespace {

using sqlite::Connection;
using sqlite::ConnectionTxn;
using sqlite::ReadPool;
using sqlite::Writer;

// A read transaction as seen by read(): only query() is reachable, and the connection is
// query_only, so a read can never write.
class ReadOnlyTxn final : public ReadTxn {
 public:
  explicit ReadOnlyTxn(Connection& c) : c_(c) {}
  Result<std::vector<Row>> query(std::string_view sql, const std::vector<SqlValue>& params) override {
    return c_.query(sql, params);
  }

 private:
  Connection& c_;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string path, std::unique_ptr<Writer> writer, std::unique_ptr<ReadPool> readers)
      : path_(std::move(path)), writer_(std::move(writer)), readers_(std::move(readers)) {}
  ~SqliteStore() override { close(); }

  Result<void> read(const ReadFn& fn) override {
    auto lease = readers_->acquire();
    if (!lease) return lease.error();
    Connection& c = lease->connection();
    // A deferred transaction pins one WAL snapshot from its first read to its end, so every
    // query in `fn` sees the same committed state.
    if (auto r = c.execScript("BEGIN DEFERRED"); !r) return r;
    ReadOnlyTxn txn(c);
    Result<void> r;
    try {
      r = fn(txn);
    } catch (const std::exception& e) {
      r = Error(ErrorCode::InternalFailure, fmt::format("store: read threw: {}", e.what()));
    }
    // Reads change nothing: ending with ROLLBACK is as good as COMMIT and cannot fail on disk.
    (void)c.execScript("ROLLBACK");
    return r;
  }

  void write(WriteFn fn, DoneFn done) override { writer_->submit(std::move(fn), std::move(done)); }
  void writeInline(WriteFn fn, DoneFn done) override {
    writer_->submit(std::move(fn), std::move(done), /*inlineDone=*/true);
  }

  Result<void> writeSync(WriteFn fn) override {
    // The promise is kept alive by the shared_ptr captured in `done`, so the writer thread may
    // call `done` after this frame would otherwise have gone.
    auto promise = std::make_shared<std::promise<Result<void>>>();
    std::future<Result<void>> future = promise->get_future();
    writer_->submit(std::move(fn), [promise](Result<void> r) { promise->set_value(std::move(r)); },
                    /*inlineDone=*/true);
    return future.get();
  }

  void setCompletionExecutor(CompletionExecutor executor) override {
    writer_->setCompletionExecutor(std::move(executor));
  }

  void close() override {
    writer_->stop();
    readers_->close();
  }

  StoreStats stats() const override { return writer_->stats(); }
  std::string describe() const override { return "sqlite:" + path_; }

 private:
  const std::string path_;
  std::unique_ptr<Writer> writer_;
  std::unique_ptr<ReadPool> readers_;
};

}  // namespace

Result<std::unique_ptr<Store>> openSqliteStore(const SqliteOptions& options) {
  sqlite::ConnectionOptions copts;
  copts.busyTimeoutMs = options.busyTimeoutMs;
  copts.synchronousFull = options.synchronousFull;
  auto writerConn = Connection::open(options.path, copts);
  if (!writerConn) return writerConn.error();
  std::span<const Migration> migrations =
      options.migrations ? std::span<const Migration>(*options.migrations) : builtinMigrations();
  if (auto r = sqlite::applyMigrations(**writerConn, migrations); !r) {
    return Error(r.error().code(), fmt::format("{}: {}", options.path, r.error().message()));
  }
  // Readers open after migrating, so they never see a half-made schema.
  auto readers = ReadPool::open(options.path, options.readPoolSize, copts);
  if (!readers) return readers.error();
  // The writer commits without an fsync of its own; the WAL syncer makes each group durable
  // before its answers go out (wal_syncer.h). Migrations above committed with FULL.
  if (auto r = (*writerConn)->execScript("PRAGMA synchronous=NORMAL"); !r) return r.error();
  auto syncer = std::make_unique<sqlite::WalSyncer>(options.path + "-wal", options.synchronousFull);
  auto writer = std::make_unique<Writer>(std::move(*writerConn), options.maxGroupSize, std::move(syncer));
  return std::unique_ptr<Store>(std::make_unique<SqliteStore>(options.path, std::move(writer), std::move(*readers)));
}

}  // namespace overcast::store
