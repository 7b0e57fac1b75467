#include "services/ec2/resource_registry.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace overcast::ec2 {
namespace {

namespace json = boost::json;

ResourcePtr make(std::string id, std::string kind, std::string owner, json::array tags = {}) {
  auto r = std::make_shared<Resource>();
  r->id = std::move(id);
  r->kind = std::move(kind);
  r->owner = std::move(owner);
  r->region = "us-east-1";
  r->data["Tags"] = std::move(tags);
  return r;
}

json::array tag(std::string k, std::string v) { return json::array{json::object{{"Key", k}, {"Value", v}}}; }

TEST(ResourceRegistry, FindsByIdKindAndTag) {
  ResourceRegistry reg;
  reg.put(make("i-2", "instance", "a", tag("Name", "web")));
  reg.put(make("i-1", "instance", "a", tag("Name", "db")));
  reg.put(make("ami-1", "image", "a", tag("Name", "web")));
  reg.put(make("i-3", "instance", "b", tag("Name", "web")));
  ASSERT_TRUE(reg.find("a", "us-east-1", "i-1"));
  EXPECT_FALSE(reg.find("b", "us-east-1", "i-1"));
  auto instances = reg.ofKind("a", "us-east-1", "instance");
  ASSERT_EQ(instances.size(), 2u);
  EXPECT_EQ(instances[0]->id, "i-1");  // ordered by id
  auto web = reg.tagged("a", "us-east-1", "instance", "Name", "web");
  ASSERT_EQ(web.size(), 1u);
  EXPECT_EQ(web[0]->id, "i-2");
  EXPECT_EQ(reg.count("a", "us-east-1", "instance"), 2u);
}

TEST(ResourceRegistry, ReplacingReindexesTagsAndEraseForgets) {
  ResourceRegistry reg;
  reg.put(make("i-1", "instance", "a", tag("Name", "old")));
  reg.put(make("i-1", "instance", "a", tag("Name", "new")));
  EXPECT_TRUE(reg.tagged("a", "us-east-1", "instance", "Name", "old").empty());
  EXPECT_EQ(reg.tagged("a", "us-east-1", "instance", "Name", "new").size(), 1u);
  auto gone = reg.erase({"a", "us-east-1", "i-1"});
  ASSERT_TRUE(gone);
  EXPECT_FALSE(reg.find("a", "us-east-1", "i-1"));
  EXPECT_TRUE(reg.tagged("a", "us-east-1", "instance", "Name", "new").empty());
  EXPECT_FALSE(reg.erase({"a", "us-east-1", "i-1"}));
}

TEST(ResourceRegistry, AllOwnersIncludesEveryRegionPlatformResources) {
  ResourceRegistry reg;
  auto platform = std::make_shared<Resource>();
  platform->id = "ami-p";
  platform->kind = "image";
  platform->owner = "";
  platform->region = "*";
  reg.put(platform);
  reg.put(make("ami-a", "image", "a"));
  auto all = reg.ofKindAllOwners("us-east-1", "image");
  EXPECT_EQ(all.size(), 2u);
  EXPECT_EQ(reg.ofKindAllOwners("eu-west-1", "image").size(), 1u);
}

}  // namespace
}  // namespace overcast::ec2
