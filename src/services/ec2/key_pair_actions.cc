// CreateKeyPair, ImportKeyPair, DescribeKeyPairs, DeleteKeyPair
// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-key-pairs.html). The key material
// itself is made and read in model/key_material; this file keeps the resources.
#include <algorithm>

#include <fmt/format.h>

#include "api/input.h"
#include "services/ec2/action_groups.h"
#include "services/ec2/key_pairs.h"
#include "services/ec2/model/key_material.h"

namespace overcast::ec2 {

namespace {

// Key pairs per account and region (CreateKeyPair docs: "up to 5,000 key pairs per Region").
constexpr size_t kMaxKeyPairsPerRegion = 5000;
// KeyName: "Up to 255 ASCII characters", no leading or trailing spaces (create-key-pairs.html).
constexpr size_t kMaxKeyNameLength = 255;

Result<void> checkKeyName(const json::object& in) {
  if (!in.contains("KeyName")) return Error(ErrorCode::MissingParameter, "The request must contain the parameter KeyName");
  std::string name = api::stringOf(in, "KeyName");
  bool ascii = std::all_of(name.begin(), name.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f;
  });
  if (name.empty() || name.size() > kMaxKeyNameLength || !ascii || name.front() == ' ' || name.back() == ' ')
    return Error(ErrorCode::InvalidParameterValue,
                 fmt::format("Value ({}) for parameter keyName is invalid. Length exceeds maximum of 255 ASCII "
                             "characters, or it contains non-ASCII characters or leading or trailing spaces.",
                             name));
  return {};
}

Error duplicate(std::string_view name) {
  return Error(ErrorCode::InvalidKeyPairDuplicate, fmt::format("The keypair '{}' already exists.", name));
}

// The new key pair resource, or Duplicate / the per-region limit. InvalidParameterValue for the
// limit: overcast has no row for AWS's limit error, whose exact code is undocumented.
Result<Output> storeKeyPair(Ec2Core::Txn& txn, const RequestContext& ctx, Resource r) {
  const std::string name(r.data.at("KeyName").as_string());
  if (findKeyPairByName(txn.registry(), ctx.accountId, ctx.region, name)) return duplicate(name);
  if (txn.registry().count(ctx.accountId, ctx.region, kKeyPair) >= kMaxKeyPairsPerRegion)
    return Error(ErrorCode::InvalidParameterValue,
                 fmt::format("Maximum of {} key pairs per region reached.", kMaxKeyPairsPerRegion));
  Output out;
  out["KeyFingerprint"] = r.data.at("KeyFingerprint");
  out["KeyName"] = r.data.at("KeyName");
  out["KeyPairId"] = r.data.at("KeyPairId");
  out["Tags"] = r.data.at("Tags");
  txn.put(std::move(r));
  return out;
}

Resource keyPairResource(Ec2Core& core, const RequestContext& ctx, const std::string& name, KeyAlgorithm algorithm,
                         const std::string& fingerprint, const std::string& publicKey, json::array tags) {
  Resource r;
  r.id = core.ids().resourceId("key");
  r.kind = std::string(kKeyPair);
  r.owner = ctx.accountId;
  r.region = ctx.region;
  r.data["KeyPairId"] = r.id;
  r.data["KeyName"] = name;
  r.data["KeyFingerprint"] = fingerprint;
  r.data["KeyType"] = keyTypeName(algorithm);
  r.data["Tags"] = std::move(tags);
  r.data["CreateTime"] = isoTime(core.clock().now());
  r.meta[kKeyPairPublicKeyMeta] = publicKey;
  return r;
}

bool nameTaken(Ec2Core& core, const RequestContext& ctx, const std::string& name) {
  return core.read([&](const ResourceRegistry& reg) {
    return findKeyPairByName(reg, ctx.accountId, ctx.region, name) != nullptr;
  });
}

void createKeyPair(Ec2Core& core, const RequestContext& ctx, const json::object& in, Reply reply) {
  if (auto ok = checkKeyName(in); !ok) return reply(ok.error());
  std::string name = api::stringOf(in, "KeyName");
  std::string type = in.contains("KeyType") ? api::stringOf(in, "KeyType") : "rsa";
  std::string format = in.contains("KeyFormat") ? api::stringOf(in, "KeyFormat") : "pem";
  if (type != "rsa" && type != "ed25519")
    return reply(Error(ErrorCode::InvalidParameterValue,
                       fmt::format("Value ({}) for parameter keyType is invalid. Valid values: rsa, ed25519", type)));
  if (format != "pem" && format != "ppk")
    return reply(Error(ErrorCode::InvalidParameterValue,
                       fmt::format("Value ({}) for parameter keyFormat is invalid. Valid values: pem, ppk", format)));
  auto tags = tagsFromSpecifications(in, kKeyPair);
  if (!tags) return reply(tags.error());
  // Checked before making the key (an RSA key costs tens of milliseconds), and again when stored.
  if (nameTaken(core, ctx, name)) return reply(duplicate(name));
  KeyAlgorithm algorithm = type == "rsa" ? KeyAlgorithm::Rsa : KeyAlgorithm::Ed25519;
  // The key is made off the I/O thread (Ec2Core::offload).
  core.offload([&core, ctx, name, algorithm, format, tags = std::move(*tags), reply = std::move(reply)]() mutable {
    auto key = ec2::createKeyPair(algorithm, format == "pem" ? PrivateKeyFormat::Pem : PrivateKeyFormat::Ppk, name);
    if (!key) return reply(key.error());
    Resource r = keyPairResource(core, ctx, name, algorithm, key->fingerprint, key->publicOpenSsh, std::move(tags));
    std::string material = std::move(key->privateKey);
    core.mutate(
        [ctx, r = std::move(r), material = std::move(material)](Ec2Core::Txn& txn) mutable -> Result<Output> {
          auto out = storeKeyPair(txn, ctx, std::move(r));
          if (!out) return out.error();
          (*out)["KeyMaterial"] = std::move(material);
          return out;
        },
        std::move(reply));
  });
}

void importKeyPair(Ec2Core& core, const RequestContext& ctx, const json::object& in, Reply reply) {
  if (auto ok = checkKeyName(in); !ok) return reply(ok.error());
  std::string name = api::stringOf(in, "KeyName");
  if (!in.contains("PublicKeyMaterial"))
    return reply(Error(ErrorCode::MissingParameter, "The request must contain the parameter PublicKeyMaterial"));
  auto tags = tagsFromSpecifications(in, kKeyPair);
  if (!tags) return reply(tags.error());
  auto key = importPublicKey(api::stringOf(in, "PublicKeyMaterial"));
  if (!key) return reply(key.error());
  // The stored line ends with the key name, as for a created key (AWS answers so).
  auto blob = openSshBlob(key->publicOpenSsh);
  if (!blob) return reply(blob.error());
  std::string line = std::string(keyTypeName(key->algorithm) == "rsa" ? "ssh-rsa " : "ssh-ed25519 ") +
                     base64Encode(*blob) + " " + name;
  Resource r = keyPairResource(core, ctx, name, key->algorithm, key->fingerprint, line, std::move(*tags));
  core.mutate([ctx, r = std::move(r)](Ec2Core::Txn& txn) mutable { return storeKeyPair(txn, ctx, std::move(r)); },
              std::move(reply));
}

Result<Output> describeKeyPairs(Ec2Core& core, const RequestContext& ctx, const json::object& in) {
  auto filters = parseFilters(in, {"key-pair-id", "key-name", "fingerprint", "key-type", "tag:", "tag-key", "tag-value"});
  if (!filters) return filters.error();
  auto names = api::stringsOf(in, "KeyNames");
  auto ids = api::stringsOf(in, "KeyPairIds");
  for (const auto& id : ids)
    if (!wellFormedId(id, "key"))
      return Error(ErrorCode::InvalidKeyPairIdMalformed, fmt::format("Invalid id: \"{}\" (expecting \"key-...\")", id));
  bool withPublicKey = boolOf(in, "IncludePublicKey");
  return core.read([&](const ResourceRegistry& reg) -> Result<Output> {
    std::vector<ResourcePtr> selected;
    for (const auto& name : names) {
      auto r = findKeyPairByName(reg, ctx.accountId, ctx.region, name);
      if (!r) return notFound(kKeyPair, name);
      selected.push_back(r);
    }
    for (const auto& id : ids) {
      auto r = reg.find(ctx.accountId, ctx.region, id);
      if (!r || r->kind != kKeyPair)
        return Error(ErrorCode::InvalidKeyPairNotFound, fmt::format("The key pair ID '{}' does not exist", id));
      selected.push_back(r);
    }
    if (names.empty() && ids.empty()) selected = candidates(reg, ctx.accountId, ctx.region, kKeyPair, *filters, "key-pair-id");
    std::sort(selected.begin(), selected.end(), [](const ResourcePtr& a, const ResourcePtr& b) { return a->id < b->id; });
    selected.erase(std::unique(selected.begin(), selected.end()), selected.end());
    json::array items;
    for (const auto& r : selected) {
      bool keep = matchesAll(*filters, [&](std::string_view f) -> std::vector<std::string> {
        if (auto tagValues = tagFilterValues(*r, f)) return *tagValues;
        std::string_view member = f == "key-pair-id"  ? "KeyPairId"
                                  : f == "key-name"   ? "KeyName"
                                  : f == "fingerprint" ? "KeyFingerprint"
                                                       : "KeyType";
        auto* v = r->data.if_contains(member);
        return v && v->is_string() ? std::vector<std::string>{std::string(v->get_string())} : std::vector<std::string>{};
      });
      if (!keep) continue;
      json::object item = r->data;
      if (withPublicKey) item["PublicKey"] = openSshPublicKey(*r);
      items.push_back(std::move(item));
    }
    Output out;
    out["KeyPairs"] = std::move(items);
    return out;
  });
}

// Idempotent, as on AWS: an unknown name (or id) deletes nothing and still answers true.
void deleteKeyPair(Ec2Core& core, const RequestContext& ctx, const json::object& in, Reply reply) {
  std::string name = api::stringOf(in, "KeyName");
  std::string id = api::stringOf(in, "KeyPairId");
  if (name.empty() && id.empty())
    return reply(Error(ErrorCode::MissingParameter, "The request must contain the parameter KeyName or KeyPairId"));
  if (!id.empty() && !wellFormedId(id, "key"))
    return reply(Error(ErrorCode::InvalidKeyPairIdMalformed, fmt::format("Invalid id: \"{}\" (expecting \"key-...\")", id)));
  core.mutate(
      [ctx, name, id](Ec2Core::Txn& txn) -> Result<Output> {
        ResourcePtr r = !id.empty() ? txn.find(ctx.accountId, ctx.region, id)
                                    : findKeyPairByName(txn.registry(), ctx.accountId, ctx.region, name);
        Output out;
        out["Return"] = true;
        if (r && r->kind == kKeyPair) {
          out["KeyPairId"] = r->id;
          txn.erase(keyOf(*r));
        }
        return out;
      },
      std::move(reply));
}

}  // namespace

ResourcePtr findKeyPairByName(const ResourceRegistry& registry, std::string_view account, std::string_view region,
                              std::string_view name) {
  for (const auto& r : registry.ofKind(account, region, kKeyPair)) {
    auto* n = r->data.if_contains("KeyName");
    if (n && n->is_string() && n->get_string() == name) return r;
  }
  return nullptr;
}

std::string openSshPublicKey(const Resource& keyPair) {
  auto* v = keyPair.meta.if_contains(kKeyPairPublicKeyMeta);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

void addKeyPairActions(Ec2Service& service, Ec2Core& core) {
  service.add("CreateKeyPair", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    createKeyPair(core, ctx, in, std::move(reply));
  });
  service.add("ImportKeyPair", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    importKeyPair(core, ctx, in, std::move(reply));
  });
  service.addSync("DescribeKeyPairs", [&core](const RequestContext& ctx, const json::object& in) {
    return describeKeyPairs(core, ctx, in);
  });
  service.add("DeleteKeyPair", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    deleteKeyPair(core, ctx, in, std::move(reply));
  });
}

}  // namespace overcast::ec2
