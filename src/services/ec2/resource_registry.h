// ResourceRegistry: the in-memory index of every EC2 resource, rebuilt from the store at start
// (design: "the EC2 resources of an account for filtering"). Per (owner, region): resources by
// id, by kind (ordered by id, for stable pagination) and by tag (key, value), so that a describe
// filtered by id or tag costs what it returns, not what the account holds.
//
// Not thread-safe: Ec2Core guards it with a shared mutex (readers shared, writers exclusive).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/ec2/resource.h"

namespace overcast::ec2 {

class ResourceRegistry {
 public:
  // Inserts or replaces (by owner, region, id).
  void put(ResourcePtr resource);
  // Removes; returns the removed resource (null if none).
  ResourcePtr erase(const ResourceKey& key);

  ResourcePtr find(std::string_view owner, std::string_view region, std::string_view id) const;
  ResourcePtr find(const ResourceKey& key) const { return find(key.owner, key.region, key.id); }
  // Every resource of `kind` of one owner in one region, ordered by id.
  std::vector<ResourcePtr> ofKind(std::string_view owner, std::string_view region, std::string_view kind) const;
  // Those with tag key = value (exact), ordered by id.
  std::vector<ResourcePtr> tagged(std::string_view owner, std::string_view region, std::string_view kind,
                                  std::string_view key, std::string_view value) const;
  // How many resources of `kind` the owner has in the region.
  size_t count(std::string_view owner, std::string_view region, std::string_view kind) const;
  // Every owner's resources of `kind` in `region` (platform ones of kEveryRegion included), for
  // what other accounts may see (public and shared images).
  std::vector<ResourcePtr> ofKindAllOwners(std::string_view region, std::string_view kind) const;
  // Every resource of one owner in one region, ordered by id.
  std::vector<ResourcePtr> all(std::string_view owner, std::string_view region) const;
  // The (owner, region) pairs that hold anything.
  std::vector<std::pair<std::string, std::string>> scopes() const;
  void clear() {
    buckets_.clear();
    publicIps_.clear();
  }

  // ---- Indexes over instances, kept by put() and erase() (so a change undone undoes them too).
  // An address (IPv4, host order) -> how many instances hold it.
  using AddressUse = std::map<uint32_t, int>;
  // Instances' PrivateIpAddress in one subnet of the owner.
  const AddressUse& privateIpsInUse(std::string_view owner, std::string_view region, std::string_view subnetId) const;
  // Every instance's PublicIpAddress (one platform-wide pool).
  const AddressUse& publicIpsInUse() const { return publicIps_; }
  // The owner's instances in the region by (state code, instance type).
  using InstanceCounts = std::map<std::pair<int64_t, std::string>, int64_t>;
  const InstanceCounts& instanceCounts(std::string_view owner, std::string_view region) const;

 private:
  struct Bucket {
    std::map<std::string, ResourcePtr, std::less<>> byId;
    std::map<std::string, std::map<std::string, ResourcePtr, std::less<>>, std::less<>> byKind;
    // (kind, key, value) -> ids
    std::map<std::tuple<std::string, std::string, std::string>, std::set<std::string>, std::less<>> byTag;
    std::map<std::string, AddressUse, std::less<>> privateIps;  // by subnet id
    InstanceCounts instances;
  };
  using BucketKey = std::pair<std::string, std::string>;  // (owner, region)
  // Orders bucket keys, and finds one from string_views without building strings.
  struct BucketOrder {
    using is_transparent = void;
    using View = std::pair<std::string_view, std::string_view>;
    static View view(const BucketKey& k) { return {k.first, k.second}; }
    static View view(const View& v) { return v; }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return view(a) < view(b);
    }
  };

  const Bucket* bucket(std::string_view owner, std::string_view region) const;
  static void indexTags(Bucket& b, const Resource& r, bool add);
  void indexInstance(Bucket& b, const Resource& r, int delta);

  std::map<BucketKey, Bucket, BucketOrder> buckets_;
  AddressUse publicIps_;
};

// "a.b.c.d" as a host-order number.
std::optional<uint32_t> parseIPv4(std::string_view text);

// The resource's tags as (key, value) pairs, from data["Tags"].
std::vector<std::pair<std::string, std::string>> tagsOf(const Resource& r);

}  // namespace overcast::ec2
