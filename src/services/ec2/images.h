// Images (AMIs) as the other EC2 action groups see them (image_actions.cc).
//
// An image is a Resource of kind kImage whose data is DescribeImages' Image shape. The
// built-in platform images (owner kPlatformOwner, region kEveryRegion) exist in every region;
// images imported with `overcast admin image import` are platform images too (region
// kEveryRegion or one region). Every platform image shows OwnerId kPlatformAccountId and
// ImageOwnerAlias "amazon".
#pragma once

#include <string_view>

#include <boost/json/object.hpp>

#include "core/result.h"
#include "services/ec2/ec2_service.h"
#include "services/ec2/resource_registry.h"

namespace overcast::ec2 {

// The OwnerId the platform images show (Amazon's own, so that `Owners=137112412989` as well as
// `Owners=amazon` finds them).
inline constexpr std::string_view kPlatformAccountId = "137112412989";

// The built-in images, with fixed ids (the first 17 hex digits of the SHA-256 of the name).
inline constexpr std::string_view kBusyboxX86ImageId = "ami-829c16bb182fd27b6";    // overcast-linux-busybox-x86_64
inline constexpr std::string_view kBusyboxArm64ImageId = "ami-1d51f3dacacd7f7c1";  // overcast-linux-busybox-arm64

// The image `imageId` if `account` may launch it in `region` (its own there, a platform image,
// a public one or one shared with the account) and it is `available`. Errors, in AWS's words:
// InvalidAMIID.Malformed 'Invalid id: "x" (expecting "ami-...")', InvalidAMIID.NotFound
// "The image id '[ami-x]' does not exist", InvalidAMIID.Unavailable "AMI 'ami-x' is pending,
// and cannot be run" (any state but available).
Result<ResourcePtr> launchableImage(const ResourceRegistry& registry, std::string_view account,
                                    std::string_view region, std::string_view imageId);

// The image `imageId` if `account` may see it in `region` (as launchableImage, in any state), or
// null.
ResourcePtr visibleImage(const ResourceRegistry& registry, std::string_view account, std::string_view region,
                         std::string_view imageId);

// The admin API's ImportImage (`overcast admin image import`): registers a public platform image
// under a chosen id. request: {"ImageId": "ami-" + 8 or 17 hex, "Name"?, "Description"?,
// "Architecture"? (x86_64), "Region"? (absent: every region)}. Refuses an id that any image
// already has. Answers {"ImageId", "Region", "Name"}. Blocks on the store: never call it on an
// I/O thread.
Result<boost::json::object> importPlatformImage(Ec2Handle& ec2, const boost::json::object& request);

}  // namespace overcast::ec2
