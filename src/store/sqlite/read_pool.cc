#include "store/sqlite/read_pool.h"

namespace overcast::store::sqlite {

ReadPool::Lease::~Lease() {
  if (pool_ != nullptr && c_ != nullptr) pool_->release(std::move(c_));
}

Result<std::unique_ptr<ReadPool>> ReadPool::open(const std::string& path, size_t size, ConnectionOptions options) {
  options.queryOnly = true;
  std::unique_ptr<ReadPool> pool(new ReadPool());
  for (size_t i = 0; i < std::max<size_t>(size, 1); ++i) {
    auto c = Connection::open(path, options);
    if (!c) return c.error();
    pool->free_.push_back(std::move(*c));
  }
  return pool;
}

Result<ReadPool::Lease> ReadPool::acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return closed_ || !free_.empty(); });
  if (closed_) return Error(ErrorCode::InternalFailure, "store: closed");
  std::unique_ptr<Connection> c = std::move(free_.back());
  free_.pop_back();
  ++out_;
  return Lease(this, std::move(c));
}

void ReadPool::release(std::unique_ptr<Connection> c) {
  std::lock_guard lock(mu_);
  --out_;
  free_.push_back(std::move(c));
  cv_.notify_all();
}

void ReadPool::close() {
  std::vector<std::unique_ptr<Connection>> closing;
  {
    std::unique_lock lock(mu_);
    closed_ = true;
    cv_.notify_all();
    cv_.wait(lock, [&] { return out_ == 0; });
    closing.swap(free_);
  }
  // Connections close outside the lock: sqlite3_close may checkpoint.
}

}  // namespace overcast::store::sqlite
