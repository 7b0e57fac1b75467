// ReadPool: a fixed set of read-only (query_only) connections, checked out one per read().
// Sized to the number of threads that read at once (the I/O threads plus the job workers);
// when all are out, acquire() waits for one to come back (reads are short).
//
// Threads: every method is thread-safe.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "core/result.h"
#include "store/sqlite/connection.h"

namespace overcast::store::sqlite {

class ReadPool {
 public:
  // A checked-out connection; returns itself to the pool when destroyed.
  class Lease {
   public:
    Lease(ReadPool* pool, std::unique_ptr<Connection> c) : pool_(pool), c_(std::move(c)) {}
    Lease(Lease&& o) noexcept : pool_(o.pool_), c_(std::move(o.c_)) { o.pool_ = nullptr; }
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& connection() { return *c_; }

   private:
    ReadPool* pool_;
    std::unique_ptr<Connection> c_;
  };

  static Result<std::unique_ptr<ReadPool>> open(const std::string& path, size_t size, ConnectionOptions options);

  // Waits for a free connection. Fails once close() has begun.
  Result<Lease> acquire();

  // Refuses new acquires, waits for every lease to come back, closes the connections.
  // Idempotent.
  void close();

 private:
  ReadPool() = default;
  void release(std::unique_ptr<Connection> c);

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> free_;  // GUARDED_BY(mu_)
  size_t out_ = 0;                                 // GUARDED_BY(mu_)
  bool closed_ = false;                            // GUARDED_BY(mu_)
};

}  // namespace overcast::store::sqlite
