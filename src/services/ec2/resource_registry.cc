#include "services/ec2/resource_registry.h"

#include <boost/json/array.hpp>

namespace overcast::ec2 {

namespace json = boost::json;

std::vector<std::pair<std::string, std::string>> tagsOf(const Resource& r) {
  std::vector<std::pair<std::string, std::string>> out;
  auto it = r.data.find("Tags");
  if (it == r.data.end() || !it->value().is_array()) return out;
  for (const auto& t : it->value().get_array()) {
    if (!t.is_object()) continue;
    const auto& o = t.get_object();
    auto k = o.find("Key");
    auto v = o.find("Value");
    if (k == o.end() || !k->value().is_string()) continue;
    out.emplace_back(std::string(k->value().get_string()),
                     v != o.end() && v->value().is_string() ? std::string(v->value().get_string()) : std::string());
  }
  return out;
}

std::optional<uint32_t> parseIPv4(std::string_view s) {
  uint32_t ip = 0;
  int parts = 0;
  size_t i = 0;
  while (parts < 4) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return std::nullopt;
    uint32_t v = 0;
    size_t digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && digits < 4) v = v * 10 + (s[i++] - '0'), ++digits;
    if (v > 255) return std::nullopt;
    ip = (ip << 8) | v;
    ++parts;
    if (parts < 4) {
      if (i >= s.size() || s[i] != '.') return std::nullopt;
      ++i;
    }
  }
  if (i != s.size()) return std::nullopt;
  return ip;
}


namespace {
std::string_view stringMember(const json::object& o, std::string_view k) {
  auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}
void tally(ResourceRegistry::AddressUse& use, uint32_t ip, int delta) {
  auto& n = use[ip];
  n += delta;
  if (n <= 0) use.erase(ip);
}
}  // namespace

void ResourceRegistry::indexInstance(Bucket& b, const Resource& r, int delta) {
  if (r.kind != kInstance) return;
  if (auto ip = parseIPv4(stringMember(r.data, "PrivateIpAddress"))) {
    std::string subnet(stringMember(r.data, "SubnetId"));
    tally(b.privateIps[subnet], *ip, delta);
    if (b.privateIps[subnet].empty()) b.privateIps.erase(subnet);
  }
  if (auto ip = parseIPv4(stringMember(r.data, "PublicIpAddress"))) tally(publicIps_, *ip, delta);
  int64_t state = 0;
  if (auto* s = r.data.if_contains("State"); s && s->is_object())
    if (auto* c = s->get_object().if_contains("Code"); c && c->is_int64()) state = c->get_int64() & 0xff;
  auto key = std::make_pair(state, std::string(stringMember(r.data, "InstanceType")));
  auto& n = b.instances[key];
  n += delta;
  if (n <= 0) b.instances.erase(key);
}

const ResourceRegistry::AddressUse& ResourceRegistry::privateIpsInUse(std::string_view owner, std::string_view region,
                                                                      std::string_view subnetId) const {
  static const AddressUse kNone;
  const Bucket* b = bucket(owner, region);
  if (!b) return kNone;
  auto it = b->privateIps.find(subnetId);
  return it == b->privateIps.end() ? kNone : it->second;
}

const ResourceRegistry::InstanceCounts& ResourceRegistry::instanceCounts(std::string_view owner,
                                                                         std::string_view region) const {
  static const InstanceCounts kNone;
  const Bucket* b = bucket(owner, region);
  return b ? b->instances : kNone;
}

void ResourceRegistry::indexTags(Bucket& b, const Resource& r, bool add) {
  for (auto& [k, v] : tagsOf(r)) {
    auto key = std::make_tuple(r.kind, k, v);
    if (add) {
      b.byTag[key].insert(r.id);
    } else if (auto it = b.byTag.find(key); it != b.byTag.end()) {
      it->second.erase(r.id);
      if (it->second.empty()) b.byTag.erase(it);
    }
  }
}

void ResourceRegistry::put(ResourcePtr resource) {
  Bucket& b = buckets_[BucketKey{resource->owner, resource->region}];
  auto it = b.byId.find(resource->id);
  if (it != b.byId.end()) {
    const Resource& old = *it->second;
    indexTags(b, old, false);
    indexInstance(b, old, -1);
    if (old.kind != resource->kind) {
      auto k = b.byKind.find(old.kind);
      if (k != b.byKind.end()) k->second.erase(old.id);
    }
    it->second = resource;
  } else {
    b.byId.emplace(resource->id, resource);
  }
  b.byKind[resource->kind][resource->id] = resource;
  indexTags(b, *resource, true);
  indexInstance(b, *resource, +1);
}

ResourcePtr ResourceRegistry::erase(const ResourceKey& key) {
  auto bit = buckets_.find(BucketOrder::View{key.owner, key.region});
  if (bit == buckets_.end()) return nullptr;
  Bucket& b = bit->second;
  auto it = b.byId.find(key.id);
  if (it == b.byId.end()) return nullptr;
  ResourcePtr old = it->second;
  indexTags(b, *old, false);
  indexInstance(b, *old, -1);
  if (auto k = b.byKind.find(old->kind); k != b.byKind.end()) {
    k->second.erase(old->id);
    if (k->second.empty()) b.byKind.erase(k);
  }
  b.byId.erase(it);
  if (b.byId.empty()) buckets_.erase(bit);
  return old;
}

const ResourceRegistry::Bucket* ResourceRegistry::bucket(std::string_view owner, std::string_view region) const {
  auto it = buckets_.find(BucketOrder::View{owner, region});
  return it == buckets_.end() ? nullptr : &it->second;
}

ResourcePtr ResourceRegistry::find(std::string_view owner, std::string_view region, std::string_view id) const {
  const Bucket* b = bucket(owner, region);
  if (!b) return nullptr;
  auto it = b->byId.find(id);
  return it == b->byId.end() ? nullptr : it->second;
}

std::vector<ResourcePtr> ResourceRegistry::ofKind(std::string_view owner, std::string_view region,
                                                  std::string_view kind) const {
  std::vector<ResourcePtr> out;
  const Bucket* b = bucket(owner, region);
  if (!b) return out;
  auto k = b->byKind.find(kind);
  if (k == b->byKind.end()) return out;
  out.reserve(k->second.size());
  for (const auto& [id, r] : k->second) out.push_back(r);
  return out;
}

std::vector<ResourcePtr> ResourceRegistry::tagged(std::string_view owner, std::string_view region,
                                                  std::string_view kind, std::string_view key,
                                                  std::string_view value) const {
  std::vector<ResourcePtr> out;
  const Bucket* b = bucket(owner, region);
  if (!b) return out;
  auto t = b->byTag.find(std::make_tuple(std::string(kind), std::string(key), std::string(value)));
  if (t == b->byTag.end()) return out;
  for (const auto& id : t->second)
    if (auto it = b->byId.find(id); it != b->byId.end()) out.push_back(it->second);
  return out;
}

size_t ResourceRegistry::count(std::string_view owner, std::string_view region, std::string_view kind) const {
  const Bucket* b = bucket(owner, region);
  if (!b) return 0;
  auto k = b->byKind.find(kind);
  return k == b->byKind.end() ? 0 : k->second.size();
}

std::vector<ResourcePtr> ResourceRegistry::ofKindAllOwners(std::string_view region, std::string_view kind) const {
  std::vector<ResourcePtr> out;
  for (const auto& [key, b] : buckets_) {
    if (key.second != region && key.second != kEveryRegion) continue;
    auto k = b.byKind.find(kind);
    if (k == b.byKind.end()) continue;
    for (const auto& [id, r] : k->second) out.push_back(r);
  }
  return out;
}

std::vector<ResourcePtr> ResourceRegistry::all(std::string_view owner, std::string_view region) const {
  std::vector<ResourcePtr> out;
  if (const Bucket* b = bucket(owner, region))
    for (const auto& [id, r] : b->byId) out.push_back(r);
  return out;
}

std::vector<std::pair<std::string, std::string>> ResourceRegistry::scopes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, b] : buckets_) out.push_back(key);
  return out;
}

}  // namespace overcast::ec2
