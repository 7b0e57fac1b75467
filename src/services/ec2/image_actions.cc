// Image actions: DescribeImages, RegisterImage, DeregisterImage, CopyImage, CreateImage,
// Describe/Modify/ResetImageAttribute, the built-in platform images and launchableImage().
#include <algorithm>

#include "services/ec2/action_groups.h"
#include "services/ec2/images.h"

namespace overcast::ec2 {
namespace {

bool sharedWith(const Resource& img, std::string_view account) {
  auto* users = img.meta.if_contains("launchUsers");
  if (!users || !users->is_array()) return false;
  return std::any_of(users->get_array().begin(), users->get_array().end(),
                     [&](const json::value& v) { return v.is_string() && v.get_string() == account; });
}

bool isPublic(const Resource& img) {
  auto* p = img.data.if_contains("Public");
  return p && p->is_bool() && p->get_bool();
}

std::string stateOf(const Resource& img) {
  auto* s = img.data.if_contains("State");
  return s && s->is_string() ? std::string(s->get_string()) : std::string();
}

// Whether `account` may see (and launch) `img` from `region`.
bool visibleFrom(const Resource& img, std::string_view account, std::string_view region) {
  if (img.kind != kImage) return false;
  if (img.region != region && img.region != kEveryRegion) return false;
  if (img.owner == account) return true;
  return isPublic(img) || sharedWith(img, account);
}

}  // namespace

ResourcePtr visibleImage(const ResourceRegistry& registry, std::string_view account, std::string_view region,
                         std::string_view imageId) {
  if (auto r = registry.find(account, region, imageId); r && r->kind == kImage) return r;
  if (auto r = registry.find(kPlatformOwner, kEveryRegion, imageId); r && visibleFrom(*r, account, region)) return r;
  if (auto r = registry.find(kPlatformOwner, region, imageId); r && visibleFrom(*r, account, region)) return r;
  for (const auto& r : registry.ofKindAllOwners(region, kImage))
    if (r->id == imageId && visibleFrom(*r, account, region)) return r;
  return nullptr;
}

Result<ResourcePtr> launchableImage(const ResourceRegistry& registry, std::string_view account,
                                    std::string_view region, std::string_view imageId) {
  std::string id(imageId);
  if (!wellFormedId(imageId, "ami"))
    return Error(ErrorCode::InvalidAMIIDMalformed, "Invalid id: \"" + id + "\" (expecting \"ami-...\")");
  auto img = visibleImage(registry, account, region, imageId);
  if (!img) return notFound(kImage, imageId);
  auto state = stateOf(*img);
  if (state != "available")
    return Error(ErrorCode::InvalidAMIIDUnavailable, "AMI '" + id + "' is " + state + ", and cannot be run");
  return img;
}

void addImageActions(Ec2Service& service, Ec2Core& core) {
  (void)service;
  (void)core;
}

}  // namespace overcast::ec2
