// The network an instance launches into: the default VPC of each account and region (made on
// first use, as AWS makes it with the account), its subnets, security groups and addresses.
// Every function runs inside the caller's Ec2Core::mutate (txn), so that what it makes or
// reserves commits with the instances that use it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "services/ec2/ec2_core.h"

namespace overcast::ec2 {

struct DefaultVpc {
  ResourcePtr vpc;           // 172.31.0.0/16, IsDefault
  ResourcePtr defaultGroup;  // the VPC's "default" security group
};

// The default VPC, its default subnet in each zone (/20s from 172.31.0.0 in zone order), its
// default security group and an attached internet gateway; made now if they do not exist yet.
Result<DefaultVpc> ensureDefaultVpc(Ec2Core::Txn& txn, const Ec2Options& options, std::string_view account,
                                    std::string_view region);

struct InstancePlacement {
  ResourcePtr subnet;
  std::string zone;    // the account's zone name, e.g. "us-east-1a"
  std::string zoneId;  // e.g. "use1-az4"
};

// The subnet to launch into: `subnetId` (must exist in the account: InvalidSubnetID.NotFound;
// with a `zone` that differs: InvalidParameterValue), else the default subnet of `zone`
// (InvalidParameterValue "Invalid availability zone: [x]" if the region has no such zone), else
// the default subnet with the most free addresses (the first zone on a tie).
Result<InstancePlacement> placeInstance(Ec2Core::Txn& txn, const Ec2Options& options, std::string_view account,
                                        std::string_view region, std::string_view subnetId, std::string_view zone);

// Reserves `count` free private IPs of `subnet` (its AvailableIpAddressCount drops); error
// InsufficientFreeAddressesInSubnet as InvalidParameterValue when it has too few.
Result<std::vector<std::string>> allocatePrivateIps(Ec2Core::Txn& txn, const ResourceKey& subnet, int count);
void releasePrivateIp(Ec2Core::Txn& txn, const ResourceKey& subnet, std::string_view ip);

// A public IPv4 address unique across every account (a platform-wide pool), and its release.
Result<std::string> allocatePublicIp(Ec2Core::Txn& txn);
void releasePublicIp(Ec2Core::Txn& txn, std::string_view ip);

// The security groups an instance gets, from group names (default VPC only) and group ids; none
// given: the VPC's default group. Errors: InvalidGroup.NotFound, InvalidGroupId.Malformed.
Result<std::vector<ResourcePtr>> resolveSecurityGroups(Ec2Core::Txn& txn, std::string_view account,
                                                       std::string_view region, std::string_view vpcId,
                                                       const std::vector<std::string>& names,
                                                       const std::vector<std::string>& ids);

}  // namespace overcast::ec2
