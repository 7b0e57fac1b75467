// DataDir: the directory that holds all of one overcast's state, and the lock that keeps a
// second overcast process (or a second DataDir in this one) from using it at the same time.
// Two writers on one SQLite file would each group-commit happily and the cloud would be
// served twice with diverging in-memory indexes, so the lock is taken before anything opens.
//
// The layout is described in docs/formats.md.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"

namespace overcast::store {

class DataDir {
 public:
  // Creates `dir` (and its parents) if needed and takes an exclusive flock() on <dir>/LOCK,
  // held until this object is destroyed; writes our pid into LOCK. If another process (or
  // another DataDir in this process) holds it, fails with "data directory <dir> is in use by
  // another overcast process (pid N)".
  static Result<DataDir> open(const std::filesystem::path& dir);

  DataDir(DataDir&& other) noexcept;
  DataDir& operator=(DataDir&& other) noexcept;
  DataDir(const DataDir&) = delete;
  DataDir& operator=(const DataDir&) = delete;
  ~DataDir();  // releases the lock

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path lockPath() const { return root_ / "LOCK"; }
  // The SQLite database; WAL mode adds overcast.db-wal and overcast.db-shm beside it.
  std::filesystem::path dbPath() const { return root_ / "overcast.db"; }
  // A named subdirectory for an area's files (e.g. "blocks", "mail"), not created here.
  std::filesystem::path subdir(std::string_view name) const { return root_ / name; }

 private:
  DataDir(std::filesystem::path root, int fd) : root_(std::move(root)), fd_(fd) {}

  std::filesystem::path root_;
  int fd_ = -1;  // the open LOCK file; closing it drops the flock
};

}  // namespace overcast::store
