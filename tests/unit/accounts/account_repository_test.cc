#include "accounts/account_repository.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "store/sqlite/sqlite_store.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/temp_dir.h"

namespace overcast::accounts {
namespace {

using testing::FakeClock;
using testing::TempDir;

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }

  void open() {
    repo_.reset();
    store_.reset();
    store::SqliteOptions o;
    o.path = (dir_ / "overcast.db").string();
    auto s = store::openSqliteStore(o);
    ASSERT_TRUE(s.ok()) << s.error().message();
    store_ = std::move(*s);
    repo_ = std::make_unique<AccountRepository>(*store_, clock_, *ids_);
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<IdGenerator> ids_ = makeSequentialIdGenerator(1);
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<AccountRepository> repo_;
};

TEST_F(AccountsTest, DefaultAccountIsCreatedOnceAndLoadedEveryTime) {
  EXPECT_EQ(repo_->keyCache().find("test"), std::nullopt);  // not loaded yet
  auto first = repo_->ensureDefaultAccount();
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(*first);
  auto second = repo_->ensureDefaultAccount();
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(*second);

  auto cred = repo_->keyCache().find("test");
  ASSERT_TRUE(cred.has_value());
  EXPECT_EQ(cred->secretAccessKey, "test");
  EXPECT_EQ(cred->accountId, "000000000000");
  EXPECT_TRUE(cred->admin);

  auto accounts = repo_->listAccounts();
  ASSERT_TRUE(accounts.ok());
  ASSERT_EQ(accounts->size(), 1u);
  EXPECT_EQ((*accounts)[0].accountId, "000000000000");
  EXPECT_EQ((*accounts)[0].createdAt, clock_.now());

  open();  // restart: nothing created, cache loaded from the store
  auto third = repo_->ensureDefaultAccount();
  ASSERT_TRUE(third.ok());
  EXPECT_FALSE(*third);
  EXPECT_TRUE(repo_->keyCache().find("test").has_value());
  EXPECT_EQ(repo_->listAccessKeys()->size(), 1u);
}

TEST_F(AccountsTest, CreateAccountsExplicitAndRandom) {
  ASSERT_TRUE(repo_->ensureDefaultAccount().ok());
  auto a = repo_->createAccount(std::string("123456789012"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->accountId, "123456789012");
  auto dup = repo_->createAccount(std::string("123456789012"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code(), ErrorCode::AccountAlreadyExists);
  auto bad = repo_->createAccount(std::string("12345"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::InvalidParameterValue);

  auto r1 = repo_->createAccount();
  auto r2 = repo_->createAccount();
  ASSERT_TRUE(r1.ok() && r2.ok());
  EXPECT_EQ(r1->accountId.size(), 12u);
  EXPECT_NE(r1->accountId, r2->accountId);
  auto all = repo_->listAccounts();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 4u);
}

TEST_F(AccountsTest, RandomAccountIdSkipsTakenIds) {
  // The sequential generator's next draw is 1 -> "000000000001"; take it first.
  ASSERT_TRUE(repo_->createAccount(std::string("000000000001")).ok());
  auto r = repo_->createAccount();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->accountId, "000000000002");
}

TEST_F(AccountsTest, AccessKeysAreFoundAtOnceAndNotFoundOtherwise) {
  ASSERT_TRUE(repo_->ensureDefaultAccount().ok());
  auto acct = repo_->createAccount(std::string("111111111111"));
  ASSERT_TRUE(acct.ok());
  auto key = repo_->createAccessKey("111111111111", false);
  ASSERT_TRUE(key.ok()) << key.error().message();
  EXPECT_EQ(key->accessKeyId.substr(0, 4), "AKIA");
  EXPECT_EQ(key->accessKeyId.size(), 20u);
  EXPECT_EQ(key->secretAccessKey.size(), 40u);

  auto cred = repo_->keyCache().find(key->accessKeyId);
  ASSERT_TRUE(cred.has_value());
  EXPECT_EQ(cred->secretAccessKey, key->secretAccessKey);
  EXPECT_EQ(cred->accountId, "111111111111");
  EXPECT_FALSE(cred->admin);
  EXPECT_EQ(repo_->keyCache().find("AKIANOSUCHKEY0000000"), std::nullopt);

  auto missing = repo_->createAccessKey("999999999999", false);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::AccountNotFound);

  auto mine = repo_->listAccessKeys(std::string("111111111111"));
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].accessKeyId, key->accessKeyId);
  auto all = repo_->listAccessKeys();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
  auto none = repo_->listAccessKeys(std::string("999999999999"));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code(), ErrorCode::AccountNotFound);

  // Keys survive a restart and are loaded into the new cache.
  open();
  ASSERT_TRUE(repo_->ensureDefaultAccount().ok());
  EXPECT_TRUE(repo_->keyCache().find(key->accessKeyId).has_value());
}

TEST_F(AccountsTest, DeletingAKeyTakesEffectInTheCacheAtOnce) {
  ASSERT_TRUE(repo_->ensureDefaultAccount().ok());
  auto key = repo_->createAccessKey("000000000000", false);
  ASSERT_TRUE(key.ok());
  ASSERT_TRUE(repo_->keyCache().find(key->accessKeyId).has_value());
  ASSERT_TRUE(repo_->deleteAccessKey(key->accessKeyId).ok());
  EXPECT_EQ(repo_->keyCache().find(key->accessKeyId), std::nullopt);
  auto again = repo_->deleteAccessKey(key->accessKeyId);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::AccessKeyNotFound);
}

TEST_F(AccountsTest, TheLastAdminKeyCannotBeDeleted) {
  ASSERT_TRUE(repo_->ensureDefaultAccount().ok());
  auto refused = repo_->deleteAccessKey("test");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), ErrorCode::InvalidParameterValue);
  auto refusedAccount = repo_->deleteAccount("000000000000");
  ASSERT_FALSE(refusedAccount.ok());
  EXPECT_TRUE(repo_->keyCache().find("test").has_value());

  ASSERT_TRUE(repo_->createAccount(std::string("222222222222")).ok());
  auto admin = repo_->createAccessKey("222222222222", true);
  ASSERT_TRUE(admin.ok());
  ASSERT_TRUE(repo_->deleteAccessKey("test").ok());
  EXPECT_EQ(repo_->keyCache().find("test"), std::nullopt);
  EXPECT_FALSE(repo_->deleteAccessKey(admin->accessKeyId).ok());  // now the last one
}

TEST_F(AccountsTest, DeletingAnAccountDropsItsKeys) {
  ASSERT_TRUE(repo_->ensureDefaultAccount().ok());
  ASSERT_TRUE(repo_->createAccount(std::string("333333333333")).ok());
  auto k1 = repo_->createAccessKey("333333333333", false);
  auto k2 = repo_->createAccessKey("333333333333", true);
  ASSERT_TRUE(k1.ok() && k2.ok());
  ASSERT_TRUE(repo_->deleteAccount("333333333333").ok());
  EXPECT_EQ(repo_->keyCache().find(k1->accessKeyId), std::nullopt);
  EXPECT_EQ(repo_->keyCache().find(k2->accessKeyId), std::nullopt);
  EXPECT_EQ(repo_->listAccounts()->size(), 1u);
  auto gone = repo_->deleteAccount("333333333333");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code(), ErrorCode::AccountNotFound);
}

TEST_F(AccountsTest, FindIsSafeWhileKeysChange) {
  ASSERT_TRUE(repo_->ensureDefaultAccount().ok());
  std::atomic<bool> stop{false};
  std::atomic<int> found{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        if (repo_->keyCache().find("test")) found.fetch_add(1);
      }
    });
  }
  for (int i = 0; i < 30; ++i) {
    // EXPECT, not ASSERT: the readers must be stopped and joined whatever happens.
    auto k = repo_->createAccessKey("000000000000", false);
    EXPECT_TRUE(k.ok());
    if (k.ok() && i % 2 == 0) {
      EXPECT_TRUE(repo_->deleteAccessKey(k->accessKeyId).ok());
    }
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_GT(found.load(), 0);
  EXPECT_EQ(repo_->keyCache().size(), 16u);  // "test" + 15 kept
}

}  // namespace
}  // namespace overcast::accounts
