#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "services/ec2/ec2_core.h"
#include "services/ec2/key_pairs.h"
#include "services/ec2/model/key_material.h"
#include "unit/ec2/ec2_fixture.h"

namespace overcast::ec2 {
namespace {

namespace json = boost::json;

constexpr const char* kEdPub = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILhesjnfq3oVxzv+QznSwKYl3cHndv5JyemFP65FJVAw ed@test";
constexpr const char* kEdSha256 = "XldMPLUkkVgZVMQEYaIFcbR64irUuBVikr+js77u0+M=";  // AWS keeps the "=" padding

class KeyPairActionsTest : public Ec2Test {
 protected:
  json::object create(const std::string& input) {
    auto r = call("CreateKeyPair", input);
    EXPECT_TRUE(r) << (r ? "" : r.error().message());
    return r ? *r : json::object{};
  }
  json::array describe(const std::string& input = "{}") {
    auto r = call("DescribeKeyPairs", input);
    EXPECT_TRUE(r) << (r ? "" : r.error().message());
    return r ? r->at("KeyPairs").as_array() : json::array{};
  }
  // ImportKeyPair as botocore sends it: the material base64-encoded.
  Result<json::object> import(const std::string& name, const std::string& material) {
    return callJson("ImportKeyPair", json::object{{"KeyName", name}, {"PublicKeyMaterial", base64Encode(material)}});
  }
};

TEST_F(KeyPairActionsTest, CreateDescribeDeleteSurvivesRestart) {
  auto made = create(R"({"KeyName":"web","TagSpecifications":[{"ResourceType":"key-pair",
      "Tags":[{"Key":"env","Value":"prod"}]},{"ResourceType":"instance","Tags":[{"Key":"x","Value":"y"}]}]})");
  std::string id(made.at("KeyPairId").as_string());
  EXPECT_TRUE(wellFormedId(id, "key")) << id;
  EXPECT_EQ(id.size(), 21u);
  EXPECT_EQ(made.at("KeyName").as_string(), "web");
  EXPECT_TRUE(made.at("KeyMaterial").as_string().starts_with("-----BEGIN RSA PRIVATE KEY-----"));
  EXPECT_EQ(made.at("KeyFingerprint").as_string().size(), 59u);
  EXPECT_EQ(made.at("Tags"), (json::array{json::object{{"Key", "env"}, {"Value", "prod"}}}));

  close();
  open();
  auto pairs = describe();
  ASSERT_EQ(pairs.size(), 1u);
  const auto& kp = pairs[0].as_object();
  EXPECT_EQ(kp.at("KeyPairId").as_string(), id);
  EXPECT_EQ(kp.at("KeyName").as_string(), "web");
  EXPECT_EQ(kp.at("KeyType").as_string(), "rsa");
  EXPECT_EQ(kp.at("KeyFingerprint"), made.at("KeyFingerprint"));
  EXPECT_EQ(kp.at("CreateTime").as_string(), isoTime(clock_.now()));
  EXPECT_FALSE(kp.contains("PublicKey"));
  EXPECT_FALSE(kp.contains("KeyMaterial"));
  auto withKey = describe(R"({"IncludePublicKey":true})");
  ASSERT_EQ(withKey.size(), 1u);
  std::string pub(withKey[0].at("PublicKey").as_string());
  EXPECT_TRUE(pub.starts_with("ssh-rsa AAAA")) << pub;
  EXPECT_TRUE(pub.ends_with(" web")) << pub;

  auto del = call("DeleteKeyPair", R"({"KeyName":"web"})");
  ASSERT_TRUE(del);
  EXPECT_EQ(del->at("Return"), true);
  EXPECT_EQ(del->at("KeyPairId").as_string(), id);
  EXPECT_TRUE(describe().empty());
  close();
  open();
  EXPECT_TRUE(describe().empty());
}

TEST_F(KeyPairActionsTest, PrivateKeyIsNeverStored) {
  auto made = create(R"({"KeyName":"secret","KeyType":"ed25519"})");
  std::string material(made.at("KeyMaterial").as_string());
  EXPECT_TRUE(material.starts_with("-----BEGIN OPENSSH PRIVATE KEY-----"));
  // Nothing kept holds the private key's body: its fourth line is the base64 of the secret half
  // (the first ones are the constant header and the public key).
  size_t line3 = 0;
  for (int i = 0; i < 3; ++i) line3 = material.find('\n', line3) + 1;
  std::string body = material.substr(line3, material.find('\n', line3) - line3);
  ASSERT_EQ(body.size(), 70u);
  auto all = describe(R"({"IncludePublicKey":true})");
  EXPECT_EQ(json::serialize(all).find(body), std::string::npos);
  close();
  // The store file itself does not contain it either.
  std::string bytes;
  for (auto& f : std::filesystem::directory_iterator(dir_.path())) {
    std::ifstream in(f.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_EQ(bytes.find(body), std::string::npos);
  EXPECT_NE(bytes.find("secret"), std::string::npos);
}

TEST_F(KeyPairActionsTest, Ed25519AndPpkFormats) {
  auto ed = create(R"({"KeyName":"ed","KeyType":"ed25519","KeyFormat":"ppk"})");
  EXPECT_TRUE(ed.at("KeyMaterial").as_string().starts_with("PuTTY-User-Key-File-2: ssh-ed25519\n"));
  EXPECT_EQ(ed.at("KeyFingerprint").as_string().size(), 44u);
  auto rsa = create(R"({"KeyName":"rsa","KeyFormat":"ppk"})");
  EXPECT_TRUE(rsa.at("KeyMaterial").as_string().starts_with("PuTTY-User-Key-File-2: ssh-rsa\n"));
  auto types = describe(R"({"Filters":[{"Name":"key-type","Values":["ed25519"]}]})");
  ASSERT_EQ(types.size(), 1u);
  EXPECT_EQ(types[0].at("KeyName").as_string(), "ed");

  auto badType = call("CreateKeyPair", R"({"KeyName":"x","KeyType":"dsa"})");
  ASSERT_FALSE(badType);
  EXPECT_EQ(badType.error().code(), ErrorCode::InvalidParameterValue);
  auto badFormat = call("CreateKeyPair", R"({"KeyName":"x","KeyFormat":"der"})");
  ASSERT_FALSE(badFormat);
  EXPECT_EQ(badFormat.error().code(), ErrorCode::InvalidParameterValue);
}

TEST_F(KeyPairActionsTest, ImportKeepsTheKeyAndItsFingerprint) {
  auto r = import("imported", kEdPub);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->at("KeyFingerprint").as_string(), kEdSha256);
  EXPECT_EQ(r->at("KeyName").as_string(), "imported");
  EXPECT_TRUE(wellFormedId(std::string(r->at("KeyPairId").as_string()), "key"));
  EXPECT_FALSE(r->contains("KeyMaterial"));
  auto pairs = describe(R"({"KeyNames":["imported"],"IncludePublicKey":true})");
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].at("KeyType").as_string(), "ed25519");
  // The key, re-encoded, with the key name for comment (the input's "ed@test" is dropped), as for
  // a created key.
  std::string line(kEdPub);
  EXPECT_EQ(pairs[0].at("PublicKey").as_string(), line.substr(0, line.rfind(' ')) + " imported");
  // The material as plain text (not base64) is taken too.
  auto plain = callJson("ImportKeyPair", json::object{{"KeyName", "plain"}, {"PublicKeyMaterial", kEdPub}});
  ASSERT_TRUE(plain) << plain.error().message();
  EXPECT_EQ(plain->at("KeyFingerprint").as_string(), kEdSha256);

  auto bad = import("bad", "not a key");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::InvalidKeyPairFormat);
  EXPECT_EQ(bad.error().message(), "Key is not in valid OpenSSH public key format");
  auto dup = import("imported", kEdPub);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code(), ErrorCode::InvalidKeyPairDuplicate);
  auto missing = call("ImportKeyPair", R"({"KeyName":"m"})");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::MissingParameter);
}

TEST_F(KeyPairActionsTest, DuplicatesNamesAndNotFound) {
  create(R"({"KeyName":"a"})");
  auto dup = call("CreateKeyPair", R"({"KeyName":"a","KeyType":"ed25519"})");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code(), ErrorCode::InvalidKeyPairDuplicate);
  EXPECT_EQ(dup.error().message(), "The keypair 'a' already exists.");
  // Names are per account and per region.
  ASSERT_TRUE(call("CreateKeyPair", R"({"KeyName":"a","KeyType":"ed25519"})", kOther));
  ASSERT_TRUE(call("CreateKeyPair", R"({"KeyName":"a","KeyType":"ed25519"})", kAccount, "eu-west-1"));
  EXPECT_EQ(describe().size(), 1u);

  auto nf = call("DescribeKeyPairs", R"({"KeyNames":["a","nope"]})");
  ASSERT_FALSE(nf);
  EXPECT_EQ(nf.error().code(), ErrorCode::InvalidKeyPairNotFound);
  EXPECT_EQ(nf.error().message(), "The key pair 'nope' does not exist");
  auto nfId = call("DescribeKeyPairs", R"({"KeyPairIds":["key-0123456789abcdef0"]})");
  ASSERT_FALSE(nfId);
  EXPECT_EQ(nfId.error().code(), ErrorCode::InvalidKeyPairNotFound);
  auto malformed = call("DescribeKeyPairs", R"({"KeyPairIds":["kp-1"]})");
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().code(), ErrorCode::InvalidKeyPairIdMalformed);

  std::string longName(256, 'x');
  auto tooLong = callJson("CreateKeyPair", json::object{{"KeyName", longName}, {"KeyType", "ed25519"}});
  ASSERT_FALSE(tooLong);
  EXPECT_EQ(tooLong.error().code(), ErrorCode::InvalidParameterValue);
  ASSERT_TRUE(callJson("CreateKeyPair", json::object{{"KeyName", longName.substr(1)}, {"KeyType", "ed25519"}}));
  auto nonAscii = call("CreateKeyPair", R"({"KeyName":"caf\u00e9","KeyType":"ed25519"})");
  ASSERT_FALSE(nonAscii);
  EXPECT_EQ(nonAscii.error().code(), ErrorCode::InvalidParameterValue);
  auto noName = call("CreateKeyPair", "{}");
  ASSERT_FALSE(noName);
  EXPECT_EQ(noName.error().code(), ErrorCode::MissingParameter);
}

TEST_F(KeyPairActionsTest, Filters) {
  auto a = create(R"({"KeyName":"alpha","KeyType":"ed25519","TagSpecifications":[{"ResourceType":"key-pair",
      "Tags":[{"Key":"team","Value":"red"}]}]})");
  auto b = create(R"({"KeyName":"beta","KeyType":"ed25519","TagSpecifications":[{"ResourceType":"key-pair",
      "Tags":[{"Key":"team","Value":"blue"}]}]})");
  create(R"({"KeyName":"gamma","KeyType":"ed25519"})");
  auto names = [&](const std::string& input) {
    std::vector<std::string> out;
    for (const auto& kp : describe(input)) out.emplace_back(kp.at("KeyName").as_string());
    std::sort(out.begin(), out.end());
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(names(R"({"Filters":[{"Name":"key-name","Values":["a*"]}]})"), (V{"alpha"}));
  EXPECT_EQ(names(R"({"Filters":[{"Name":"tag:team","Values":["red","blue"]}]})"), (V{"alpha", "beta"}));
  EXPECT_EQ(names(R"({"Filters":[{"Name":"tag-key","Values":["team"]}]})"), (V{"alpha", "beta"}));
  EXPECT_EQ(names(R"({"Filters":[{"Name":"tag-value","Values":["bl*"]}]})"), (V{"beta"}));
  EXPECT_EQ(names(R"({"Filters":[{"Name":"key-type","Values":["rsa"]}]})"), (V{}));
  EXPECT_EQ(names(json::serialize(json::object{
                {"Filters", json::array{json::object{{"Name", "fingerprint"},
                                                     {"Values", json::array{a.at("KeyFingerprint")}}}}}})),
            (V{"alpha"}));
  EXPECT_EQ(names(json::serialize(json::object{
                {"Filters", json::array{json::object{{"Name", "key-pair-id"},
                                                     {"Values", json::array{b.at("KeyPairId")}}}}}})),
            (V{"beta"}));
  EXPECT_EQ(names(json::serialize(json::object{{"KeyPairIds", json::array{b.at("KeyPairId")}},
                                               {"KeyNames", json::array{"gamma"}}})),
            (V{"beta", "gamma"}));
  EXPECT_EQ(names(R"({"KeyNames":["alpha","beta"],"Filters":[{"Name":"tag:team","Values":["red"]}]})"), (V{"alpha"}));
  auto badFilter = call("DescribeKeyPairs", R"({"Filters":[{"Name":"color","Values":["x"]}]})");
  ASSERT_FALSE(badFilter);
  // Tags added later by CreateTags are seen by the tag filters.
  ASSERT_TRUE(callJson("CreateTags", json::object{{"Resources", json::array{a.at("KeyPairId")}},
                                                  {"Tags", json::array{json::object{{"Key", "x"}, {"Value", "1"}}}}}));
  EXPECT_EQ(names(R"({"Filters":[{"Name":"tag:x","Values":["1"]}]})"), (V{"alpha"}));
}

TEST_F(KeyPairActionsTest, DeleteIsIdempotentAndTakesAnId) {
  auto del = call("DeleteKeyPair", R"({"KeyName":"never"})");
  ASSERT_TRUE(del) << del.error().message();
  EXPECT_EQ(del->at("Return"), true);
  EXPECT_FALSE(del->contains("KeyPairId"));
  auto made = create(R"({"KeyName":"k","KeyType":"ed25519"})");
  auto byId = callJson("DeleteKeyPair", json::object{{"KeyPairId", made.at("KeyPairId")}});
  ASSERT_TRUE(byId);
  EXPECT_EQ(byId->at("KeyPairId"), made.at("KeyPairId"));
  EXPECT_TRUE(describe().empty());
  auto none = call("DeleteKeyPair", "{}");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code(), ErrorCode::MissingParameter);
  auto malformed = call("DeleteKeyPair", R"({"KeyPairId":"nonsense"})");
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().code(), ErrorCode::InvalidKeyPairIdMalformed);
  // Another account's key pair is not touched.
  auto other = call("CreateKeyPair", R"({"KeyName":"theirs","KeyType":"ed25519"})", kOther);
  ASSERT_TRUE(other);
  ASSERT_TRUE(call("DeleteKeyPair", R"({"KeyName":"theirs"})"));
  auto theirs = call("DescribeKeyPairs", "{}", kOther);
  ASSERT_TRUE(theirs);
  EXPECT_EQ(theirs->at("KeyPairs").as_array().size(), 1u);
}

TEST_F(KeyPairActionsTest, LauncherHelpers) {
  auto made = create(R"({"KeyName":"launch","KeyType":"ed25519"})");
  auto* service = dynamic_cast<Ec2Service*>(service_.get());
  ASSERT_NE(service, nullptr);
  auto r = service->core().read([](const ResourceRegistry& reg) {
    return findKeyPairByName(reg, kAccount, "us-east-1", "launch");
  });
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->id, made.at("KeyPairId").as_string());
  EXPECT_TRUE(openSshPublicKey(*r).starts_with("ssh-ed25519 AAAA"));
  EXPECT_EQ(service->core().read([](const ResourceRegistry& reg) {
    return findKeyPairByName(reg, kAccount, "us-west-2", "launch");
  }), nullptr);
}

TEST_F(KeyPairActionsTest, AtMost5000PerRegion) {
  for (int i = 0; i < 5000; ++i) ASSERT_TRUE(import("k" + std::to_string(i), kEdPub)) << i;
  auto over = import("one-more", kEdPub);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code(), ErrorCode::InvalidParameterValue);
  EXPECT_EQ(over.error().message(), "Maximum of 5000 key pairs per region reached.");
  // Another region has its own 5,000.
  EXPECT_TRUE(callJson("ImportKeyPair", json::object{{"KeyName", "one-more"}, {"PublicKeyMaterial", kEdPub}},
                       kAccount, "eu-west-1"));
}

}  // namespace
}  // namespace overcast::ec2
