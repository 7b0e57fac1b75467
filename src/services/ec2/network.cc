// The default VPC, subnets, addresses and security groups of launches (network.h).
//
// The default VPC's resources have ids derived from (account, region) by SHA-256, so that
// finding them costs one lookup and making them needs no generator inside the caller's txn
// (they are made once per account and region, and the same account never gets two).
// The addresses in use are those the instances hold: ResourceRegistry indexes instances'
// PrivateIpAddress per subnet and PublicIpAddress over every account (one platform-wide pool),
// so nothing else records them and a change that is undone frees them too.
#include "services/ec2/network.h"

#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cstdint>

#include <fmt/format.h>

#include "api/input.h"
#include "core/regions.h"
#include "services/ec2/model/availability_zones.h"

namespace overcast::ec2 {
namespace {

constexpr std::string_view kDefaultVpcCidr = "172.31.0.0/16";
constexpr uint32_t kPublicPoolBase = (198u << 24) | (18u << 16);  // 198.18.0.0/15
constexpr uint32_t kPublicPoolSize = 1u << 17;

// prefix-<17 hex> from SHA-256 of (account, region, what).
std::string derivedId(std::string_view prefix, std::string_view account, std::string_view region,
                      std::string_view what) {
  std::string seed = fmt::format("{}/{}/{}", account, region, what);
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(seed.data()), seed.size(), digest.data());
  std::string hex;
  for (auto b : digest) hex += fmt::format("{:02x}", b);
  return fmt::format("{}-{}", prefix, hex.substr(0, 17));
}

std::string ipString(uint32_t ip) {
  return fmt::format("{}.{}.{}.{}", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
}

struct Cidr {
  uint32_t base;
  int bits;
  uint32_t size() const { return bits == 0 ? 0 : (1u << (32 - bits)); }
};

std::optional<Cidr> parseCidr(std::string_view s) {
  auto slash = s.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto ip = parseIPv4(s.substr(0, slash));
  auto bitsText = s.substr(slash + 1);
  if (!ip || bitsText.empty() || bitsText.size() > 2) return std::nullopt;
  int bits = 0;
  for (char c : bitsText) {
    if (c < '0' || c > '9') return std::nullopt;
    bits = bits * 10 + (c - '0');
  }
  if (bits < 1 || bits > 32) return std::nullopt;
  return Cidr{*ip, bits};
}

std::string str(const json::object& o, std::string_view k) { return api::stringOf(o, k); }

json::object ipPermission(std::string_view protocol) {
  return json::object{{"IpProtocol", protocol},
                      {"IpRanges", json::array{}},
                      {"Ipv6Ranges", json::array{}},
                      {"PrefixListIds", json::array{}},
                      {"UserIdGroupPairs", json::array{}}};
}

}  // namespace

Result<DefaultVpc> ensureDefaultVpc(Ec2Core::Txn& txn, const Ec2Options& options, std::string_view account,
                                    std::string_view region) {
  const std::string vpcId = derivedId("vpc", account, region, "default-vpc");
  const std::string groupId = derivedId("sg", account, region, "default-vpc/default-group");
  if (auto vpc = txn.find(account, region, vpcId); vpc && vpc->kind == kVpc) {
    auto group = txn.find(account, region, groupId);
    return DefaultVpc{std::move(vpc), std::move(group)};
  }
  const RegionInfo* info = findRegion(region);
  if (!info) return Error(ErrorCode::InvalidParameterValue, "Invalid region: " + std::string(region));
  const std::string owner(account);
  const std::string where(region);

  Resource vpc;
  vpc.id = vpcId;
  vpc.kind = std::string(kVpc);
  vpc.owner = owner;
  vpc.region = where;
  vpc.data = json::object{
      {"VpcId", vpcId},
      {"OwnerId", owner},
      {"State", "available"},
      {"CidrBlock", kDefaultVpcCidr},
      {"CidrBlockAssociationSet",
       json::array{json::object{{"AssociationId", derivedId("vpc-cidr-assoc", account, region, "default-vpc/cidr")},
                                {"CidrBlock", kDefaultVpcCidr},
                                {"CidrBlockState", json::object{{"State", "associated"}}}}}},
      {"DhcpOptionsId", derivedId("dopt", account, region, "default-dhcp-options")},
      {"InstanceTenancy", "default"},
      {"IsDefault", true},
      {"Tags", json::array{}},
  };
  auto vpcPtr = txn.put(std::move(vpc));

  auto zones = zonesFor(*info, account, options.uniformAzMapping);
  for (size_t i = 0; i < zones.size(); ++i) {
    const auto& z = zones[i];
    Resource s;
    s.id = derivedId("subnet", account, region, "default-vpc/subnet/" + z.name);
    s.kind = std::string(kSubnet);
    s.owner = owner;
    s.region = where;
    s.data = json::object{
        {"SubnetId", s.id},
        {"SubnetArn", fmt::format("arn:aws:ec2:{}:{}:subnet/{}", region, account, s.id)},
        {"VpcId", vpcId},
        {"OwnerId", owner},
        {"State", "available"},
        {"CidrBlock", fmt::format("172.31.{}.0/20", 16 * i)},
        {"AvailabilityZone", z.name},
        {"AvailabilityZoneId", z.id},
        {"AvailableIpAddressCount", 4091},
        {"DefaultForAz", true},
        {"MapPublicIpOnLaunch", true},
        {"MapCustomerOwnedIpOnLaunch", false},
        {"AssignIpv6AddressOnCreation", false},
        {"Ipv6CidrBlockAssociationSet", json::array{}},
        {"Ipv6Native", false},
        {"EnableDns64", false},
        {"PrivateDnsNameOptionsOnLaunch",
         json::object{{"HostnameType", "ip-name"},
                      {"EnableResourceNameDnsARecord", false},
                      {"EnableResourceNameDnsAAAARecord", false}}},
        {"Tags", json::array{}},
    };
    s.meta["usedIps"] = json::array{};
    txn.put(std::move(s));
  }

  // The default group: all traffic from itself in, all traffic out.
  Resource group;
  group.id = groupId;
  group.kind = std::string(kSecurityGroup);
  group.owner = owner;
  group.region = where;
  auto in = ipPermission("-1");
  in["UserIdGroupPairs"] = json::array{json::object{{"UserId", owner}, {"GroupId", groupId}}};
  auto out = ipPermission("-1");
  out["IpRanges"] = json::array{json::object{{"CidrIp", "0.0.0.0/0"}}};
  group.data = json::object{
      {"GroupId", groupId},
      {"GroupName", "default"},
      {"Description", "default VPC security group"},
      {"OwnerId", owner},
      {"VpcId", vpcId},
      {"SecurityGroupArn", fmt::format("arn:aws:ec2:{}:{}:security-group/{}", region, account, groupId)},
      {"IpPermissions", json::array{std::move(in)}},
      {"IpPermissionsEgress", json::array{std::move(out)}},
      {"Tags", json::array{}},
  };
  // The rules one by one (SecurityGroupRule), the source the permissions are built from.
  group.meta["rules"] = json::array{
      json::object{{"SecurityGroupRuleId", derivedId("sgr", account, region, "default-vpc/default-group/in")},
                   {"IsEgress", false},
                   {"IpProtocol", "-1"},
                   {"FromPort", -1},
                   {"ToPort", -1},
                   {"ReferencedGroupInfo", json::object{{"GroupId", groupId}, {"UserId", owner}}}},
      json::object{{"SecurityGroupRuleId", derivedId("sgr", account, region, "default-vpc/default-group/out")},
                   {"IsEgress", true},
                   {"IpProtocol", "-1"},
                   {"FromPort", -1},
                   {"ToPort", -1},
                   {"CidrIpv4", "0.0.0.0/0"}}};
  auto groupPtr = txn.put(std::move(group));

  Resource igw;
  igw.id = derivedId("igw", account, region, "default-vpc/igw");
  igw.kind = std::string(kInternetGateway);
  igw.owner = owner;
  igw.region = where;
  igw.data = json::object{{"InternetGatewayId", igw.id},
                          {"OwnerId", owner},
                          {"Attachments", json::array{json::object{{"State", "available"}, {"VpcId", vpcId}}}},
                          {"Tags", json::array{}}};
  txn.put(std::move(igw));

  return DefaultVpc{std::move(vpcPtr), std::move(groupPtr)};
}

Result<InstancePlacement> placeInstance(Ec2Core::Txn& txn, const Ec2Options& options, std::string_view account,
                                        std::string_view region, std::string_view subnetId, std::string_view zone) {
  auto vpc = ensureDefaultVpc(txn, options, account, region);
  if (!vpc) return vpc.error();
  ResourcePtr subnet;
  if (!subnetId.empty()) {
    subnet = txn.find(account, region, subnetId);
    if (!subnet || subnet->kind != kSubnet) return notFound(kSubnet, subnetId);
    std::string subnetZone = str(subnet->data, "AvailabilityZone");
    if (!zone.empty() && zone != subnetZone)
      return Error(ErrorCode::InvalidParameterValue,
                   fmt::format("Value ({}) for parameter availabilityZone is invalid. Subnet {} is in availability "
                               "zone {}",
                               zone, subnetId, subnetZone));
  } else {
    const RegionInfo* info = findRegion(region);
    auto zones = zonesFor(*info, account, options.uniformAzMapping);
    std::string want(zone);
    if (!want.empty() && std::none_of(zones.begin(), zones.end(), [&](const Zone& z) { return z.name == want; }))
      return Error(ErrorCode::InvalidParameterValue, fmt::format("Invalid availability zone: [{}]", want));
    const std::string vpcId = vpc->vpc->id;
    // No zone asked for: EC2 picks one; overcast takes the default subnet with the most free
    // addresses (the first zone on a tie), which spreads launches over the zones.
    int64_t mostFree = -1;
    for (const auto& s : txn.registry().ofKind(account, region, kSubnet)) {
      auto* dfa = s->data.if_contains("DefaultForAz");
      if (str(s->data, "VpcId") != vpcId || !dfa || !dfa->is_bool() || !dfa->get_bool()) continue;
      if (!want.empty()) {
        if (str(s->data, "AvailabilityZone") != want) continue;
        subnet = s;
        break;
      }
      auto* free = s->data.if_contains("AvailableIpAddressCount");
      int64_t n = free && free->is_int64() ? free->get_int64() : 0;
      bool earlierZone = subnet && str(s->data, "AvailabilityZone") < str(subnet->data, "AvailabilityZone");
      if (n > mostFree || (n == mostFree && earlierZone)) {
        mostFree = n;
        subnet = s;
      }
    }
    if (!subnet)
      return Error(ErrorCode::InvalidParameterValue, fmt::format("Invalid availability zone: [{}]", want));
  }
  return InstancePlacement{subnet, str(subnet->data, "AvailabilityZone"), str(subnet->data, "AvailabilityZoneId")};
}

Result<std::vector<std::string>> allocatePrivateIps(Ec2Core::Txn& txn, const ResourceKey& subnetKey, int count) {
  auto subnet = txn.registry().find(subnetKey);
  if (!subnet || subnet->kind != kSubnet) return notFound(kSubnet, subnetKey.id);
  auto cidr = parseCidr(str(subnet->data, "CidrBlock"));
  if (!cidr || cidr->bits > 28)
    return Error(ErrorCode::InvalidParameterValue, "The subnet " + subnetKey.id + " has no usable addresses.");
  if (count <= 0) return std::vector<std::string>{};
  const auto& used = txn.registry().privateIpsInUse(subnetKey.owner, subnetKey.region, subnetKey.id);
  // AWS reserves the network address, the next three (router, DNS, future) and the last one.
  std::vector<std::string> ips;
  const uint64_t first = cidr->base + 4;
  // The lowest free addresses. When [first, highest in use] has no gap, they follow the highest
  // at once (no walk over the addresses in use: the common case of a busy subnet).
  uint64_t from = first;
  if (!used.empty() && used.begin()->first == first && used.rbegin()->first - first + 1 == used.size())
    from = uint64_t(used.rbegin()->first) + 1;
  auto it = used.lower_bound(static_cast<uint32_t>(from));
  for (uint64_t a = from; a <= cidr->base + cidr->size() - 2 && static_cast<int>(ips.size()) < count; ++a) {
    while (it != used.end() && it->first < a) ++it;
    if (it != used.end() && it->first == a) continue;
    ips.push_back(ipString(static_cast<uint32_t>(a)));
  }
  if (static_cast<int>(ips.size()) < count)
    return Error(ErrorCode::InvalidParameterValue,
                 "InsufficientFreeAddressesInSubnet: There are not enough free addresses in subnet '" + subnetKey.id +
                     "' to satisfy the requested number of instances.");
  // The addresses count as used once the caller stores the instances that hold them.
  Resource next = *subnet;
  next.data["AvailableIpAddressCount"] = static_cast<int64_t>(cidr->size() - 5 - used.size() - ips.size());
  txn.put(std::move(next));
  return ips;
}

void releasePrivateIp(Ec2Core::Txn& txn, const ResourceKey& subnetKey, std::string_view ip) {
  auto subnet = txn.registry().find(subnetKey);
  if (!subnet || subnet->kind != kSubnet) return;
  auto cidr = parseCidr(str(subnet->data, "CidrBlock"));
  auto addr = parseIPv4(ip);
  if (!cidr || !addr) return;
  const auto& used = txn.registry().privateIpsInUse(subnetKey.owner, subnetKey.region, subnetKey.id);
  if (!used.count(*addr)) return;
  // The caller then stores the instance without it.
  Resource next = *subnet;
  next.data["AvailableIpAddressCount"] = static_cast<int64_t>(cidr->size() - 5 - (used.size() - 1));
  txn.put(std::move(next));
}

Result<std::string> allocatePublicIp(Ec2Core::Txn& txn) {
  const auto& used = txn.registry().publicIpsInUse();
  // Addresses ending in .0 or .255 are skipped: some clients take them for network or broadcast.
  auto usable = [](uint64_t a) { return (a & 0xff) != 0 && (a & 0xff) != 255; };
  const uint64_t first = kPublicPoolBase + 1, last = kPublicPoolBase + kPublicPoolSize - 2;
  // Past the highest in use first (one step when addresses are handed out in order), then any gap.
  uint64_t start = used.empty() ? first : std::max<uint64_t>(first, uint64_t(used.rbegin()->first) + 1);
  for (uint64_t a = start; a <= last; ++a)
    if (usable(a)) return ipString(static_cast<uint32_t>(a));
  auto it = used.begin();
  for (uint64_t a = first; a <= last; ++a) {
    while (it != used.end() && it->first < a) ++it;
    if ((it == used.end() || it->first != a) && usable(a)) return ipString(static_cast<uint32_t>(a));
  }
  return Error(ErrorCode::ServiceUnavailable, "There are no more public IPv4 addresses available.");
}

void releasePublicIp(Ec2Core::Txn&, std::string_view) {
  // Nothing to do: the pool is the set of instances' PublicIpAddress (ResourceRegistry), and the
  // caller stores the instance without it.
}

Result<std::vector<ResourcePtr>> resolveSecurityGroups(Ec2Core::Txn& txn, std::string_view account,
                                                       std::string_view region, std::string_view vpcId,
                                                       const std::vector<std::string>& names,
                                                       const std::vector<std::string>& ids) {
  std::vector<ResourcePtr> out;
  auto add = [&](ResourcePtr g) {
    if (std::none_of(out.begin(), out.end(), [&](const ResourcePtr& o) { return o->id == g->id; }))
      out.push_back(std::move(g));
  };
  for (const auto& id : ids) {
    if (!wellFormedId(id, "sg"))
      return Error(ErrorCode::InvalidGroupIdMalformed, fmt::format("Invalid id: \"{}\" (expecting \"sg-...\")", id));
    auto g = txn.find(account, region, id);
    if (!g || g->kind != kSecurityGroup) return notFound(kSecurityGroup, id);
    if (!vpcId.empty() && str(g->data, "VpcId") != vpcId)
      return Error(ErrorCode::InvalidParameter,
                   fmt::format("Security group {} and subnet belong to different networks.", id));
    add(std::move(g));
  }
  if (!names.empty()) {
    auto groups = txn.registry().ofKind(account, region, kSecurityGroup);
    for (const auto& name : names) {
      auto it = std::find_if(groups.begin(), groups.end(), [&](const ResourcePtr& g) {
        return str(g->data, "GroupName") == name && str(g->data, "VpcId") == vpcId;
      });
      if (it == groups.end())
        return Error(ErrorCode::InvalidGroupNotFound,
                     fmt::format("The security group '{}' does not exist in default VPC '{}'", name, vpcId));
      add(*it);
    }
  }
  if (out.empty()) {
    for (const auto& g : txn.registry().ofKind(account, region, kSecurityGroup))
      if (str(g->data, "GroupName") == "default" && str(g->data, "VpcId") == vpcId) {
        out.push_back(g);
        break;
      }
    if (out.empty()) return Error(ErrorCode::InvalidGroupNotFound, "The security group 'default' does not exist");
  }
  return out;
}

}  // namespace overcast::ec2
