#include "store/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include <fmt/format.h>

namespace overcast::store {
namespace {

Error ioError(std::string_view what, const std::filesystem::path& p, int err) {
  return Error(ErrorCode::InternalFailure, fmt::format("{} {}: {}", what, p.string(), std::strerror(err)));
}

// The pid a holder wrote into LOCK, or "unknown" if it cannot be read.
std::string holderPid(int fd) {
  char buf[32] = {};
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return "unknown";
  std::string s(buf, static_cast<size_t>(n));
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s.empty() ? "unknown" : s;
}

}  // namespace

Result<DataDir> DataDir::open(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Error(ErrorCode::InternalFailure,
                 fmt::format("cannot create data directory {}: {}", dir.string(), ec.message()));
  }
  const std::filesystem::path lock = dir / "LOCK";
  int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return ioError("cannot open", lock, errno);
  // flock (not fcntl locks): it belongs to this open file description, so a second open() in
  // the same process is refused too, and the kernel drops it when the process dies.
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    std::string pid = holderPid(fd);
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return Error(ErrorCode::InternalFailure,
                   fmt::format("data directory {} is in use by another overcast process (pid {})", dir.string(), pid));
    }
    return ioError("cannot lock", lock, err);
  }
  std::string pid = fmt::format("{}\n", getpid());
  if (ftruncate(fd, 0) != 0 || pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    int err = errno;
    ::close(fd);
    return ioError("cannot write", lock, err);
  }
  return DataDir(dir, fd);
}

DataDir::DataDir(DataDir&& other) noexcept : root_(std::move(other.root_)), fd_(other.fd_) { other.fd_ = -1; }

DataDir& DataDir::operator=(DataDir&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    root_ = std::move(other.root_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

DataDir::~DataDir() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace overcast::store
