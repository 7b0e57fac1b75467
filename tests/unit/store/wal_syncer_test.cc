#include "store/sqlite/wal_syncer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>
#include <vector>

#include "tests/fakes/temp_dir.h"

namespace overcast::store::sqlite {
namespace {

using testing::TempDir;

TEST(WalSyncer, ReleasesEveryGroupInOrderAfterASyncOnItsOwnThread) {
  TempDir dir;
  const std::string wal = (dir / "db-wal").string();
  std::ofstream(wal) << "frames";
  std::vector<int> order;
  std::vector<std::thread::id> threads;
  std::promise<void> last;
  {
    WalSyncer syncer(wal, /*sync=*/true);
    for (int i = 0; i < 50; ++i)
      syncer.submit([&, i](Result<void> synced) {
        EXPECT_TRUE(synced.ok()) << synced.error().message();
        order.push_back(i);
        threads.push_back(std::this_thread::get_id());
        if (i == 49) last.set_value();
      });
    EXPECT_EQ(last.get_future().wait_for(std::chrono::seconds(30)), std::future_status::ready);
  }
  ASSERT_EQ(order.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(order[static_cast<size_t>(i)], i);
  for (const auto& t : threads) EXPECT_NE(t, std::this_thread::get_id());
}

TEST(WalSyncer, StopReleasesWhatIsPending) {
  TempDir dir;
  int released = 0;
  {
    WalSyncer syncer((dir / "db-wal").string(), /*sync=*/true);  // no WAL yet: nothing to sync
    for (int i = 0; i < 10; ++i) syncer.submit([&](Result<void> synced) { released += synced ? 1 : 0; });
    syncer.stop();
    EXPECT_EQ(released, 10);
    syncer.stop();  // idempotent
  }
  EXPECT_EQ(released, 10);
}

// Whether this process holds a descriptor of a file that has been unlinked or replaced.
bool holdsADeletedFile(const std::string& name) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const auto target = std::filesystem::read_symlink(entry.path(), ec).string();
    if (!ec && target.find(name) != std::string::npos && target.ends_with(" (deleted)")) return true;
  }
  return false;
}

TEST(WalSyncer, FollowsAWalThatWasReplaced) {
  TempDir dir;
  const std::string wal = (dir / "db-wal").string();
  std::ofstream(wal) << "frames";
  WalSyncer syncer(wal, /*sync=*/true);
  auto syncOnce = [&] {
    std::promise<bool> done;
    syncer.submit([&](Result<void> synced) { done.set_value(synced.ok()); });
    auto f = done.get_future();
    EXPECT_EQ(f.wait_for(std::chrono::seconds(30)), std::future_status::ready);
    return f.get();
  };
  ASSERT_TRUE(syncOnce());  // the syncer now holds the first file open
  const std::string replacement = (dir / "db-wal.new").string();
  std::ofstream(replacement) << "other frames";
  std::filesystem::rename(replacement, wal);
  ASSERT_TRUE(holdsADeletedFile("db-wal"));
  EXPECT_TRUE(syncOnce());
  EXPECT_FALSE(holdsADeletedFile("db-wal")) << "the syncer should have let go of the replaced WAL";
}

TEST(WalSyncer, WithoutSyncReleasesAtOnce) {
  TempDir dir;
  std::promise<bool> done;
  WalSyncer syncer((dir / "missing" / "db-wal").string(), /*sync=*/false);
  syncer.submit([&](Result<void> synced) { done.set_value(synced.ok()); });
  auto f = done.get_future();
  ASSERT_EQ(f.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  EXPECT_TRUE(f.get());
}

}  // namespace
}  // namespace overcast::store::sqlite
