// Resource: one EC2 resource (instance, image, key pair, VPC, subnet, security group...) as
// overcast keeps it. `data` is the resource in the member names of AWS's Describe* output shape
// (PascalCase, e.g. {"InstanceId": ..., "State": {...}, "Tags": [{"Key","Value"}]}), so that a
// describe answers with it as it is; `meta` holds what AWS does not show (user data, the
// client token, internal bookkeeping). Immutable once shared: a change makes a new Resource.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace overcast::ec2 {

// Resource kinds (the `kind` column of ec2_resources).
inline constexpr std::string_view kInstance = "instance";
inline constexpr std::string_view kImage = "image";
inline constexpr std::string_view kKeyPair = "key-pair";
inline constexpr std::string_view kVpc = "vpc";
inline constexpr std::string_view kSubnet = "subnet";
inline constexpr std::string_view kSecurityGroup = "security-group";
inline constexpr std::string_view kInternetGateway = "internet-gateway";
inline constexpr std::string_view kVolume = "volume";
inline constexpr std::string_view kSnapshot = "snapshot";

// Owner of platform resources (public images that belong to no account, like Amazon's own).
inline constexpr std::string_view kPlatformOwner = "";
// Region of platform resources present in every region.
inline constexpr std::string_view kEveryRegion = "*";

struct Resource {
  std::string id;
  std::string kind;
  std::string owner;   // account id, or kPlatformOwner
  std::string region;  // e.g. "us-east-1", or kEveryRegion
  boost::json::object data;
  boost::json::object meta;
};

using ResourcePtr = std::shared_ptr<const Resource>;

// The key of a resource in the registry and the store.
struct ResourceKey {
  std::string owner;
  std::string region;
  std::string id;
  auto operator<=>(const ResourceKey&) const = default;
};

inline ResourceKey keyOf(const Resource& r) { return {r.owner, r.region, r.id}; }

}  // namespace overcast::ec2
