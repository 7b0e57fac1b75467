#include "store/data_dir.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "tests/fakes/temp_dir.h"

namespace overcast::store {
namespace {

using testing::TempDir;

TEST(DataDir, CreatesTheDirectoryAndWritesThePid) {
  TempDir tmp;
  auto d = DataDir::open(tmp / "a/b/data");
  ASSERT_TRUE(d.ok()) << d.error().message();
  EXPECT_TRUE(std::filesystem::is_directory(tmp / "a/b/data"));
  EXPECT_EQ(d->dbPath(), tmp / "a/b/data/overcast.db");
  EXPECT_EQ(d->subdir("blocks"), tmp / "a/b/data/blocks");
  std::ifstream lock(d->lockPath());
  long pid = 0;
  lock >> pid;
  EXPECT_EQ(pid, static_cast<long>(getpid()));
}

TEST(DataDir, SecondOpenInTheSameProcessIsRefused) {
  TempDir tmp;
  auto first = DataDir::open(tmp.path());
  ASSERT_TRUE(first.ok());
  auto second = DataDir::open(tmp.path());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().message(), "data directory " + tmp.path().string() +
                                          " is in use by another overcast process (pid " +
                                          std::to_string(getpid()) + ")");
}

TEST(DataDir, LockIsReleasedWithTheObject) {
  TempDir tmp;
  { ASSERT_TRUE(DataDir::open(tmp.path()).ok()); }
  auto again = DataDir::open(tmp.path());
  EXPECT_TRUE(again.ok());
  DataDir moved = std::move(*again);  // the lock moves with the object
  EXPECT_FALSE(DataDir::open(tmp.path()).ok());
}

TEST(DataDir, AnotherProcessIsRefusedWhileHeld) {
  TempDir tmp;
  auto held = DataDir::open(tmp.path());
  ASSERT_TRUE(held.ok());
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // In the child: exit 0 only if the open is refused with the holder's pid in the message.
    auto d = DataDir::open(tmp.path());
    bool refused = !d.ok() && d.error().message().find("in use by another overcast process (pid " +
                                                       std::to_string(getppid()) + ")") != std::string::npos;
    _exit(refused ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(DataDir, AnotherProcessMayOpenOnceReleased) {
  TempDir tmp;
  { ASSERT_TRUE(DataDir::open(tmp.path()).ok()); }
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(DataDir::open(tmp.path()).ok() ? 0 : 1);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace overcast::store
