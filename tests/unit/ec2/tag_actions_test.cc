#include <gtest/gtest.h>

#include "unit/ec2/ec2_fixture.h"
#include "services/ec2/ec2_store.h"

namespace overcast::ec2 {
namespace {

namespace json = boost::json;

class TagActionsTest : public Ec2Test {
 protected:
  // Seeds an instance row in the store and reopens, as if it had been made before a restart.
  void seed(const std::string& id, const std::string& account = kAccount) {
    close();
    store::SqliteOptions options;
    options.path = (dir_.path() / "db").string();
    auto db = store::openSqliteStore(options);
    ASSERT_TRUE(db);
    Resource r;
    r.id = id;
    r.kind = "instance";
    r.owner = account;
    r.region = "us-east-1";
    r.data["InstanceId"] = id;
    ASSERT_TRUE((*db)->writeSync([&](store::WriteTxn& txn) { return saveResource(txn, r); }));
    (*db)->close();
    open();
  }
};

TEST_F(TagActionsTest, CreateDescribeDeleteAndSurviveRestart) {
  seed("i-00000000000000001");
  auto made = call("CreateTags", R"({"Resources":["i-00000000000000001"],
      "Tags":[{"Key":"Name","Value":"web"},{"Key":"env","Value":"prod"}]})");
  ASSERT_TRUE(made) << made.error().message();
  auto tags = call("DescribeTags", R"({"Filters":[{"Name":"resource-id","Values":["i-*"]}]})");
  ASSERT_TRUE(tags);
  ASSERT_EQ(tags->at("Tags").as_array().size(), 2u);
  EXPECT_EQ(tags->at("Tags").as_array()[0].at("ResourceType").as_string(), "instance");

  close();
  open();
  auto after = call("DescribeTags", R"({"Filters":[{"Name":"key","Values":["Name"]}]})");
  ASSERT_TRUE(after);
  ASSERT_EQ(after->at("Tags").as_array().size(), 1u);
  EXPECT_EQ(after->at("Tags").as_array()[0].at("Value").as_string(), "web");

  // A value that does not match leaves the tag; no value deletes whatever it is.
  ASSERT_TRUE(call("DeleteTags", R"({"Resources":["i-00000000000000001"],"Tags":[{"Key":"Name","Value":"db"}]})"));
  ASSERT_EQ(call("DescribeTags")->at("Tags").as_array().size(), 2u);
  ASSERT_TRUE(call("DeleteTags", R"({"Resources":["i-00000000000000001"],"Tags":[{"Key":"Name"}]})"));
  ASSERT_EQ(call("DescribeTags")->at("Tags").as_array().size(), 1u);
}

TEST_F(TagActionsTest, LimitsAndUnknownIdsChangeNothing) {
  seed("i-00000000000000001");
  auto bad = call("CreateTags", R"({"Resources":["i-00000000000000001"],"Tags":[{"Key":"aws:x","Value":"1"}]})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::InvalidParameterValue);
  json::array many;
  for (int i = 0; i < 51; ++i) many.push_back(json::object{{"Key", "k" + std::to_string(i)}, {"Value", "v"}});
  auto tooMany = callJson("CreateTags", json::object{{"Resources", json::array{"i-00000000000000001"}}, {"Tags", many}});
  ASSERT_FALSE(tooMany);
  EXPECT_EQ(tooMany.error().code(), ErrorCode::TagLimitExceeded);
  // One missing resource: nothing is tagged.
  auto missing = call("CreateTags", R"({"Resources":["i-00000000000000001","i-0000000000000000f"],
      "Tags":[{"Key":"a","Value":"b"}]})");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::InvalidInstanceIDNotFound);
  auto malformed = call("CreateTags", R"({"Resources":["nonsense"],"Tags":[{"Key":"a","Value":"b"}]})");
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().code(), ErrorCode::InvalidID);
  EXPECT_TRUE(call("DescribeTags")->at("Tags").as_array().empty());
}

TEST_F(TagActionsTest, AnotherAccountsResourceIsNotFound) {
  seed("i-00000000000000001", kOther);
  auto r = call("CreateTags", R"({"Resources":["i-00000000000000001"],"Tags":[{"Key":"a","Value":"b"}]})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidInstanceIDNotFound);
}

TEST_F(TagActionsTest, DescribeTagsPages) {
  seed("i-00000000000000001");
  json::array tags;
  for (int i = 0; i < 12; ++i) tags.push_back(json::object{{"Key", "k" + std::to_string(i)}, {"Value", "v"}});
  ASSERT_TRUE(callJson("CreateTags", json::object{{"Resources", json::array{"i-00000000000000001"}}, {"Tags", tags}}));
  auto first = call("DescribeTags", R"({"MaxResults":5})");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->at("Tags").as_array().size(), 5u);
  std::string token(first->at("NextToken").as_string());
  size_t seen = 5;
  while (!token.empty()) {
    auto next = callJson("DescribeTags", json::object{{"MaxResults", 5}, {"NextToken", token}});
    ASSERT_TRUE(next);
    seen += next->at("Tags").as_array().size();
    token = next->contains("NextToken") ? std::string(next->at("NextToken").as_string()) : "";
  }
  EXPECT_EQ(seen, 12u);
  auto bad = call("DescribeTags", R"({"NextToken":"garbage"})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::InvalidPaginationToken);
}

}  // namespace
}  // namespace overcast::ec2
