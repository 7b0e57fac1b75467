// DescribeVpcs, DescribeSubnets, DescribeInternetGateways and the security groups:
// Describe/Create/DeleteSecurityGroup, Authorize/RevokeSecurityGroupIngress/Egress.
//
// A group's rules are kept one by one in its meta["rules"] (the SecurityGroupRule shape: one
// protocol, port range and peer each, with its sgr- id); the IpPermissions of its data are
// rebuilt from them after every change, grouped by (protocol, from port, to port) as AWS shows.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "api/input.h"
#include "services/ec2/action_groups.h"
#include "services/ec2/network.h"

namespace overcast::ec2 {
namespace {

constexpr size_t kMaxRulesPerDirection = 60;

std::string str(const json::object& o, std::string_view k) { return api::stringOf(o, k); }
std::string intText(const json::object& o, std::string_view name) {
  auto* v = o.if_contains(name);
  if (v && v->is_int64()) return std::to_string(v->get_int64());
  if (v && v->is_uint64()) return std::to_string(v->get_uint64());
  return {};
}
int64_t intIn(const json::object& o, std::string_view name, int64_t otherwise) {
  auto* v = o.if_contains(name);
  if (v && v->is_int64()) return v->get_int64();
  if (v && v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  return otherwise;
}

// The caller's default VPC, if made.
ResourcePtr defaultVpcOf(const ResourceRegistry& reg, std::string_view account, std::string_view region) {
  for (const auto& v : reg.ofKind(account, region, kVpc))
    if (auto* d = v->data.if_contains("IsDefault"); d && d->is_bool() && d->get_bool()) return v;
  return nullptr;
}

// Answers with then() once the caller's default VPC exists (made first if it does not).
void withDefaultVpc(Ec2Core& core, const RequestContext& ctx, std::function<Result<Output>()> then, Reply reply) {
  bool made = core.read([&](const ResourceRegistry& reg) { return defaultVpcOf(reg, ctx.accountId, ctx.region) != nullptr; });
  if (made) {
    reply(then());
    return;
  }
  core.mutate(
      [&core, ctx](Ec2Core::Txn& txn) -> Result<Output> {
        auto vpc = ensureDefaultVpc(txn, core.options(), ctx.accountId, ctx.region);
        if (!vpc) return vpc.error();
        return Output{};
      },
      [then = std::move(then), reply = std::move(reply)](Result<Output> r) {
        if (!r)
          reply(r.error());
        else
          reply(then());
      });
}

// ---------------------------------------------------------------- describes

using ValuesOf = std::function<std::vector<std::string>(const Resource&, std::string_view filter)>;

struct DescribeSpec {
  std::string_view kind;
  std::string_view idsMember;  // "VpcIds"
  std::string_view idPrefix;   // "vpc"
  std::string_view idFilter;   // "vpc-id"
  std::string_view outMember;  // "Vpcs"
  ErrorCode malformed;
};

Result<Output> describe(const ResourceRegistry& reg, const RequestContext& ctx, const json::object& in,
                        const DescribeSpec& spec, const std::vector<Filter>& filters, const ValuesOf& valuesOf) {
  auto ids = api::stringsOf(in, spec.idsMember);
  std::vector<ResourcePtr> listed;
  if (!ids.empty()) {
    for (const auto& id : ids) {
      if (!wellFormedId(id, spec.idPrefix))
        return Error(spec.malformed, fmt::format("Invalid id: \"{}\" (expecting \"{}-...\")", id, spec.idPrefix));
      auto r = reg.find(ctx.accountId, ctx.region, id);
      if (!r || r->kind != spec.kind) return notFound(spec.kind, id);
      listed.push_back(r);
    }
    std::sort(listed.begin(), listed.end(), [](const ResourcePtr& a, const ResourcePtr& b) { return a->id < b->id; });
    listed.erase(std::unique(listed.begin(), listed.end()), listed.end());
  } else {
    listed = candidates(reg, ctx.accountId, ctx.region, spec.kind, filters, spec.idFilter);
  }
  std::vector<ResourcePtr> kept;
  for (auto& r : listed) {
    bool keep = matchesAll(filters, [&](std::string_view f) -> std::vector<std::string> {
      if (auto tags = tagFilterValues(*r, f)) return *tags;
      return valuesOf(*r, f);
    });
    if (keep) kept.push_back(std::move(r));
  }
  auto page = paginate(std::move(kept), api::intOf(in, "MaxResults"), api::stringOf(in, "NextToken"), 5, 1000);
  if (!page) return page.error();
  json::array items;
  for (const auto& r : page->items) items.push_back(r->data);
  Output out;
  out[spec.outMember] = std::move(items);
  if (!page->nextToken.empty()) out["NextToken"] = page->nextToken;
  return out;
}

std::vector<std::string> cidrAssociationValues(const Resource& r, std::string_view member) {
  std::vector<std::string> out;
  if (auto* set = r.data.if_contains("CidrBlockAssociationSet"); set && set->is_array())
    for (const auto& a : set->get_array()) {
      if (!a.is_object()) continue;
      if (member == "State") {
        if (auto* st = a.get_object().if_contains("CidrBlockState"); st && st->is_object())
          out.push_back(str(st->get_object(), "State"));
      } else {
        out.push_back(str(a.get_object(), member));
      }
    }
  return out;
}

void describeVpcs(Ec2Core& core, const RequestContext& ctx, const json::object& in, Reply reply) {
  auto filters = parseFilters(in, {"vpc-id", "cidr", "cidr-block-association.cidr-block",
                                   "cidr-block-association.association-id", "cidr-block-association.state",
                                   "dhcp-options-id", "is-default", "owner-id", "state", "tag:", "tag-key",
                                   "tag-value", "ipv6-cidr-block-association.ipv6-cidr-block",
                                   "ipv6-cidr-block-association.ipv6-pool",
                                   "ipv6-cidr-block-association.association-id",
                                   "ipv6-cidr-block-association.state"});
  if (!filters) return reply(filters.error());
  withDefaultVpc(
      core, ctx,
      [&core, ctx, in, filters = std::move(*filters)]() -> Result<Output> {
        return core.read([&](const ResourceRegistry& reg) {
          static const DescribeSpec spec{kVpc, "VpcIds", "vpc", "vpc-id", "Vpcs", ErrorCode::InvalidVpcIDMalformed};
          return describe(reg, ctx, in, spec, filters, [](const Resource& r, std::string_view f) -> std::vector<std::string> {
            if (f == "vpc-id") return {r.id};
            if (f == "cidr") return {str(r.data, "CidrBlock")};
            if (f == "cidr-block-association.cidr-block") return cidrAssociationValues(r, "CidrBlock");
            if (f == "cidr-block-association.association-id") return cidrAssociationValues(r, "AssociationId");
            if (f == "cidr-block-association.state") return cidrAssociationValues(r, "State");
            if (f == "dhcp-options-id") return {str(r.data, "DhcpOptionsId")};
            if (f == "is-default") return {boolText(r.data, "IsDefault")};
            if (f == "owner-id") return {str(r.data, "OwnerId")};
            if (f == "state") return {str(r.data, "State")};
            return {};
          });
        });
      },
      std::move(reply));
}

void describeSubnets(Ec2Core& core, const RequestContext& ctx, const json::object& in, Reply reply) {
  auto filters = parseFilters(in, {"subnet-id", "vpc-id", "availability-zone", "availability-zone-id",
                                   "availabilityZone", "default-for-az", "defaultForAz", "cidr-block", "cidr",
                                   "cidrBlock", "state", "owner-id", "subnet-arn", "map-public-ip-on-launch",
                                   "available-ip-address-count", "tag:", "tag-key", "tag-value",
                                   "ipv6-cidr-block-association.ipv6-cidr-block",
                                   "ipv6-cidr-block-association.association-id", "ipv6-cidr-block-association.state",
                                   "ipv6-native", "outpost-arn"});
  if (!filters) return reply(filters.error());
  withDefaultVpc(
      core, ctx,
      [&core, ctx, in, filters = std::move(*filters)]() -> Result<Output> {
        return core.read([&](const ResourceRegistry& reg) {
          static const DescribeSpec spec{kSubnet,    "SubnetIds", "subnet", "subnet-id",
                                         "Subnets", ErrorCode::InvalidSubnetIDMalformed};
          return describe(reg, ctx, in, spec, filters, [](const Resource& r, std::string_view f) -> std::vector<std::string> {
            if (f == "subnet-id") return {r.id};
            if (f == "vpc-id") return {str(r.data, "VpcId")};
            if (f == "availability-zone" || f == "availabilityZone") return {str(r.data, "AvailabilityZone")};
            if (f == "availability-zone-id") return {str(r.data, "AvailabilityZoneId")};
            if (f == "default-for-az" || f == "defaultForAz") return {boolText(r.data, "DefaultForAz")};
            if (f == "cidr-block" || f == "cidr" || f == "cidrBlock") return {str(r.data, "CidrBlock")};
            if (f == "state") return {str(r.data, "State")};
            if (f == "owner-id") return {str(r.data, "OwnerId")};
            if (f == "subnet-arn") return {str(r.data, "SubnetArn")};
            if (f == "map-public-ip-on-launch") return {boolText(r.data, "MapPublicIpOnLaunch")};
            if (f == "available-ip-address-count") return {intText(r.data, "AvailableIpAddressCount")};
            if (f == "ipv6-native") return {boolText(r.data, "Ipv6Native")};
            return {};
          });
        });
      },
      std::move(reply));
}

void describeInternetGateways(Ec2Core& core, const RequestContext& ctx, const json::object& in, Reply reply) {
  auto filters = parseFilters(in, {"internet-gateway-id", "attachment.state", "attachment.vpc-id", "owner-id",
                                   "tag:", "tag-key", "tag-value"});
  if (!filters) return reply(filters.error());
  withDefaultVpc(
      core, ctx,
      [&core, ctx, in, filters = std::move(*filters)]() -> Result<Output> {
        return core.read([&](const ResourceRegistry& reg) {
          static const DescribeSpec spec{kInternetGateway, "InternetGatewayIds", "igw", "internet-gateway-id",
                                         "InternetGateways", ErrorCode::InvalidParameterValue};
          return describe(reg, ctx, in, spec, filters, [](const Resource& r, std::string_view f) -> std::vector<std::string> {
            if (f == "internet-gateway-id") return {r.id};
            if (f == "owner-id") return {str(r.data, "OwnerId")};
            std::vector<std::string> out;
            if (auto* a = r.data.if_contains("Attachments"); a && a->is_array())
              for (const auto& at : a->get_array())
                if (at.is_object()) out.push_back(str(at.get_object(), f == "attachment.state" ? "State" : "VpcId"));
            return out;
          });
        });
      },
      std::move(reply));
}

// ---------------------------------------------------------------- security group rules

bool isEgress(const json::object& rule) {
  auto* v = rule.if_contains("IsEgress");
  return v && v->is_bool() && v->get_bool();
}

// "tcp" for "tcp", "TCP" or "6"; "-1" for "-1" or "all"; other protocol numbers as they are.
std::optional<std::string> normalProtocol(std::string p) {
  std::transform(p.begin(), p.end(), p.begin(), [](unsigned char c) { return std::tolower(c); });
  if (p == "-1" || p == "all") return "-1";
  if (p == "tcp" || p == "6") return "tcp";
  if (p == "udp" || p == "17") return "udp";
  if (p == "icmp" || p == "1") return "icmp";
  if (p == "icmpv6" || p == "58") return "icmpv6";
  if (p.empty() || p.size() > 3 || !std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  if (std::stoi(p) > 255) return std::nullopt;
  return p;
}

bool hasPorts(std::string_view proto) { return proto == "tcp" || proto == "udp" || proto == "icmp" || proto == "icmpv6"; }

// "10.1.2.3/8" -> "10.0.0.0/8"; nullopt if not an IPv4 CIDR.
std::optional<std::string> canonicalCidr(std::string_view s) {
  auto slash = s.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  uint32_t ip = 0;
  int parts = 0;
  std::string_view rest = s.substr(0, slash);
  while (parts < 4) {
    size_t n = 0;
    uint32_t v = 0;
    while (n < rest.size() && n < 4 && rest[n] >= '0' && rest[n] <= '9') v = v * 10 + (rest[n++] - '0');
    if (n == 0 || n > 3 || v > 255) return std::nullopt;
    ip = (ip << 8) | v;
    rest.remove_prefix(n);
    if (++parts < 4) {
      if (rest.empty() || rest[0] != '.') return std::nullopt;
      rest.remove_prefix(1);
    }
  }
  if (!rest.empty()) return std::nullopt;
  auto bitsText = s.substr(slash + 1);
  if (bitsText.empty() || bitsText.size() > 2 ||
      !std::all_of(bitsText.begin(), bitsText.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  int bits = std::stoi(std::string(bitsText));
  if (bits > 32) return std::nullopt;
  uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
  ip &= mask;
  return fmt::format("{}.{}.{}.{}/{}", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff, bits);
}

// What identifies a rule (its description and tags aside).
std::string ruleKey(const json::object& r) {
  std::string peer;
  if (auto* g = r.if_contains("ReferencedGroupInfo"); g && g->is_object())
    peer = "group:" + str(g->get_object(), "UserId") + "/" + str(g->get_object(), "GroupId");
  else if (r.contains("CidrIpv4"))
    peer = "cidr:" + str(r, "CidrIpv4");
  else if (r.contains("CidrIpv6"))
    peer = "cidr6:" + str(r, "CidrIpv6");
  else
    peer = "pl:" + str(r, "PrefixListId");
  return fmt::format("{}|{}|{}|{}|{}", isEgress(r) ? "out" : "in", str(r, "IpProtocol"), intIn(r, "FromPort", -1),
                     intIn(r, "ToPort", -1), peer);
}

std::string describeRule(const json::object& r) {
  std::string peer = str(r, "CidrIpv4");
  if (peer.empty()) peer = str(r, "CidrIpv6");
  if (peer.empty()) peer = str(r, "PrefixListId");
  if (auto* g = r.if_contains("ReferencedGroupInfo"); g && g->is_object()) peer = str(g->get_object(), "GroupId");
  std::string proto = str(r, "IpProtocol");
  std::transform(proto.begin(), proto.end(), proto.begin(), [](unsigned char c) { return std::toupper(c); });
  if (proto == "-1") proto = "ALL";
  return fmt::format("peer: {}, {}, from port: {}, to port: {}, ALLOW", peer, proto, intIn(r, "FromPort", -1),
                     intIn(r, "ToPort", -1));
}

// The IpPermissions of one direction, rebuilt from the rules.
json::array permissionsOf(const json::array& rules, bool egress) {
  json::array perms;
  std::vector<std::string> keys;
  for (const auto& v : rules) {
    const auto& r = v.as_object();
    if (isEgress(r) != egress) continue;
    std::string proto = str(r, "IpProtocol");
    int64_t from = intIn(r, "FromPort", -1), to = intIn(r, "ToPort", -1);
    std::string key = fmt::format("{}|{}|{}", proto, from, to);
    auto it = std::find(keys.begin(), keys.end(), key);
    json::object* perm;
    if (it == keys.end()) {
      keys.push_back(key);
      json::object p{{"IpProtocol", proto},
                     {"IpRanges", json::array{}},
                     {"Ipv6Ranges", json::array{}},
                     {"PrefixListIds", json::array{}},
                     {"UserIdGroupPairs", json::array{}}};
      if (hasPorts(proto)) {
        p["FromPort"] = from;
        p["ToPort"] = to;
      }
      perms.push_back(std::move(p));
      perm = &perms.back().as_object();
    } else {
      perm = &perms[static_cast<size_t>(it - keys.begin())].as_object();
    }
    std::string description = str(r, "Description");
    auto withDescription = [&](json::object o) {
      if (!description.empty()) o["Description"] = description;
      return o;
    };
    if (auto* g = r.if_contains("ReferencedGroupInfo"); g && g->is_object())
      (*perm)["UserIdGroupPairs"].as_array().push_back(withDescription(
          json::object{{"UserId", str(g->get_object(), "UserId")}, {"GroupId", str(g->get_object(), "GroupId")}}));
    else if (r.contains("CidrIpv4"))
      (*perm)["IpRanges"].as_array().push_back(withDescription(json::object{{"CidrIp", str(r, "CidrIpv4")}}));
    else if (r.contains("CidrIpv6"))
      (*perm)["Ipv6Ranges"].as_array().push_back(withDescription(json::object{{"CidrIpv6", str(r, "CidrIpv6")}}));
    else if (r.contains("PrefixListId"))
      (*perm)["PrefixListIds"].as_array().push_back(
          withDescription(json::object{{"PrefixListId", str(r, "PrefixListId")}}));
  }
  return perms;
}

json::array rulesOf(const Resource& group) {
  if (auto* v = group.meta.if_contains("rules"); v && v->is_array()) return v->get_array();
  return {};
}

// `group` with `rules` in its meta and its IpPermissions rebuilt.
Resource withRules(const Resource& group, json::array rules) {
  Resource next = group;
  next.data["IpPermissions"] = permissionsOf(rules, false);
  next.data["IpPermissionsEgress"] = permissionsOf(rules, true);
  next.meta["rules"] = std::move(rules);
  return next;
}

// A group of the account by name in `vpcId`.
ResourcePtr groupByName(const ResourceRegistry& reg, std::string_view account, std::string_view region,
                        std::string_view vpcId, std::string_view name) {
  for (const auto& g : reg.ofKind(account, region, kSecurityGroup))
    if (str(g->data, "GroupName") == name && str(g->data, "VpcId") == vpcId) return g;
  return nullptr;
}

Result<ResourcePtr> groupById(const ResourceRegistry& reg, std::string_view account, std::string_view region,
                              const std::string& id) {
  if (!wellFormedId(id, "sg"))
    return Error(ErrorCode::InvalidGroupIdMalformed, fmt::format("Invalid id: \"{}\" (expecting \"sg-...\")", id));
  auto g = reg.find(account, region, id);
  if (!g || g->kind != kSecurityGroup) return notFound(kSecurityGroup, id);
  return g;
}

// The group an action names by GroupId, else by GroupName (in the default VPC).
Result<ResourcePtr> targetGroup(Ec2Core& core, Ec2Core::Txn& txn, const RequestContext& ctx, const json::object& in,
                                bool nameAllowed) {
  std::string id = api::stringOf(in, "GroupId");
  if (!id.empty()) return groupById(txn.registry(), ctx.accountId, ctx.region, id);
  std::string name = api::stringOf(in, "GroupName");
  if (name.empty() || !nameAllowed)
    return Error(ErrorCode::MissingParameter,
                 nameAllowed ? "The request must contain the parameter groupName or groupId"
                             : "The request must contain the parameter groupId");
  auto vpc = ensureDefaultVpc(txn, core.options(), ctx.accountId, ctx.region);
  if (!vpc) return vpc.error();
  auto g = groupByName(txn.registry(), ctx.accountId, ctx.region, vpc->vpc->id, name);
  if (!g)
    return Error(ErrorCode::InvalidGroupNotFound,
                 fmt::format("The security group '{}' does not exist in default VPC '{}'", name, vpc->vpc->id));
  return g;
}

// The rules an Authorize/Revoke request names (IpPermissions, or the flat IpProtocol/FromPort/
// ToPort/CidrIp/SourceSecurityGroupName form), one per peer, without ids.
Result<std::vector<json::object>> requestedRules(const Ec2Core::Txn& txn, const RequestContext& ctx,
                                                 const json::object& in, const Resource& group, bool egress) {
  json::array perms;
  if (auto* p = in.if_contains("IpPermissions"); p && p->is_array()) perms = p->get_array();
  bool flat = in.contains("IpProtocol") || in.contains("CidrIp") || in.contains("SourceSecurityGroupName");
  if (flat) {
    json::object p;
    p["IpProtocol"] = in.contains("IpProtocol") ? json::value(api::stringOf(in, "IpProtocol")) : json::value("-1");
    if (auto* v = in.if_contains("FromPort")) p["FromPort"] = *v;
    if (auto* v = in.if_contains("ToPort")) p["ToPort"] = *v;
    if (in.contains("CidrIp")) p["IpRanges"] = json::array{json::object{{"CidrIp", api::stringOf(in, "CidrIp")}}};
    if (in.contains("SourceSecurityGroupName")) {
      json::object pair{{"GroupName", api::stringOf(in, "SourceSecurityGroupName")}};
      if (in.contains("SourceSecurityGroupOwnerId")) pair["UserId"] = api::stringOf(in, "SourceSecurityGroupOwnerId");
      p["UserIdGroupPairs"] = json::array{std::move(pair)};
    }
    perms.push_back(std::move(p));
  }
  if (perms.empty())
    return Error(ErrorCode::MissingParameter, "The request must contain the parameter ipPermissions");
  std::vector<json::object> rules;
  for (const auto& pv : perms) {
    if (!pv.is_object()) continue;
    const auto& p = pv.get_object();
    std::string given = str(p, "IpProtocol");
    if (given.empty()) return Error(ErrorCode::MissingParameter, "The request must contain the parameter ipProtocol");
    auto proto = normalProtocol(given);
    if (!proto)
      return Error(ErrorCode::InvalidParameterValue,
                   fmt::format("Invalid value '{}' for IP protocol. Unknown protocol.", given));
    int64_t from = -1, to = -1;
    if (*proto == "tcp" || *proto == "udp") {
      if (!p.contains("FromPort") || !p.contains("ToPort"))
        return Error(ErrorCode::InvalidParameterValue,
                     "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange");
      from = intIn(p, "FromPort", -1);
      to = intIn(p, "ToPort", -1);
      if (from < 0 || to > 65535 || from > to)
        return Error(ErrorCode::InvalidParameterValue,
                     fmt::format("Invalid value '{}-{}' for portRange. Must be a port range between 0 and 65535.",
                                 from, to));
    } else if (*proto == "icmp" || *proto == "icmpv6") {
      from = intIn(p, "FromPort", -1);
      to = intIn(p, "ToPort", -1);
      if (from < -1 || from > 255 || to < -1 || to > 255)
        return Error(ErrorCode::InvalidParameterValue,
                     fmt::format("Invalid value '{}' for ICMP type and '{}' for ICMP code.", from, to));
    }
    json::object base{{"IsEgress", egress}, {"IpProtocol", *proto}, {"FromPort", from}, {"ToPort", to}};
    auto withPeer = [&](const json::object& source, std::string_view member, json::value value) {
      json::object r = base;
      r[member] = std::move(value);
      if (auto d = str(source, "Description"); !d.empty()) r["Description"] = d;
      rules.push_back(std::move(r));
    };
    size_t before = rules.size();
    if (auto* v = p.if_contains("IpRanges"); v && v->is_array())
      for (const auto& x : v->get_array()) {
        if (!x.is_object()) continue;
        std::string cidr = str(x.get_object(), "CidrIp");
        auto canon = canonicalCidr(cidr);
        if (!canon)
          return Error(ErrorCode::InvalidParameterValue,
                       fmt::format("Value ({}) for parameter cidrIp is invalid. This is not a valid CIDR block.", cidr));
        withPeer(x.get_object(), "CidrIpv4", json::value(*canon));
      }
    if (auto* v = p.if_contains("Ipv6Ranges"); v && v->is_array())
      for (const auto& x : v->get_array()) {
        if (!x.is_object()) continue;
        std::string cidr = str(x.get_object(), "CidrIpv6");
        std::transform(cidr.begin(), cidr.end(), cidr.begin(), [](unsigned char c) { return std::tolower(c); });
        if (cidr.find(':') == std::string::npos || cidr.find('/') == std::string::npos)
          return Error(ErrorCode::InvalidParameterValue,
                       fmt::format("Value ({}) for parameter cidrIpv6 is invalid. This is not a valid IPv6 CIDR block.",
                                   cidr));
        withPeer(x.get_object(), "CidrIpv6", json::value(cidr));
      }
    if (auto* v = p.if_contains("PrefixListIds"); v && v->is_array())
      for (const auto& x : v->get_array())
        if (x.is_object()) withPeer(x.get_object(), "PrefixListId", json::value(str(x.get_object(), "PrefixListId")));
    if (auto* v = p.if_contains("UserIdGroupPairs"); v && v->is_array())
      for (const auto& x : v->get_array()) {
        if (!x.is_object()) continue;
        const auto& pair = x.get_object();
        std::string owner = str(pair, "UserId");
        if (owner.empty()) owner = ctx.accountId;
        ResourcePtr peer;
        if (auto id = str(pair, "GroupId"); !id.empty()) {
          auto g = groupById(txn.registry(), owner, ctx.region, id);
          if (!g) return g.error();
          peer = *g;
        } else if (auto name = str(pair, "GroupName"); !name.empty()) {
          peer = groupByName(txn.registry(), owner, ctx.region, str(group.data, "VpcId"), name);
          if (!peer && owner != ctx.accountId)
            for (const auto& g : txn.registry().ofKind(owner, ctx.region, kSecurityGroup))
              if (str(g->data, "GroupName") == name) peer = g;
          if (!peer)
            return Error(ErrorCode::InvalidGroupNotFound, fmt::format("The security group '{}' does not exist", name));
        } else {
          return Error(ErrorCode::MissingParameter, "The request must contain the parameter groupId or groupName");
        }
        withPeer(pair, "ReferencedGroupInfo", json::object{{"GroupId", peer->id}, {"UserId", owner}});
      }
    if (rules.size() == before)
      return Error(ErrorCode::InvalidParameterValue,
                   "Invalid rule: a source or destination (IpRanges, Ipv6Ranges, PrefixListIds or UserIdGroupPairs) "
                   "is required");
  }
  return rules;
}

void changeRules(Ec2Core& core, const RequestContext& ctx, const json::object& in, bool egress, bool authorize,
                 Reply reply) {
  core.mutate(
      [&core, ctx, in, egress, authorize](Ec2Core::Txn& txn) -> Result<Output> {
        auto group = targetGroup(core, txn, ctx, in, !egress);
        if (!group) return group.error();
        const Resource& g = **group;
        auto rules = rulesOf(g);
        std::vector<std::string> keys;
        for (const auto& r : rules) keys.push_back(ruleKey(r.as_object()));

        if (authorize) {
          auto wanted = requestedRules(txn, ctx, in, g, egress);
          if (!wanted) return wanted.error();
          auto tags = tagsFromSpecifications(in, "security-group-rule");
          if (!tags) return tags.error();
          json::array made;
          for (auto& r : *wanted) {
            auto key = ruleKey(r);
            if (std::find(keys.begin(), keys.end(), key) != keys.end())
              return Error(ErrorCode::InvalidPermissionDuplicate,
                           fmt::format("the specified rule \"{}\" already exists", describeRule(r)));
            keys.push_back(key);
            r["SecurityGroupRuleId"] = core.ids().resourceId("sgr");
            r["Tags"] = *tags;
            rules.push_back(r);
            json::object out = r;
            out["GroupId"] = g.id;
            out["GroupOwnerId"] = g.owner;
            out["SecurityGroupRuleArn"] = fmt::format("arn:aws:ec2:{}:{}:security-group-rule/{}", ctx.region,
                                                      ctx.accountId, str(r, "SecurityGroupRuleId"));
            made.push_back(std::move(out));
          }
          size_t inDirection = std::count_if(rules.begin(), rules.end(),
                                             [&](const json::value& r) { return isEgress(r.as_object()) == egress; });
          if (inDirection > kMaxRulesPerDirection)
            return Error(ErrorCode::RulesPerSecurityGroupLimitExceeded,
                         "The maximum number of rules per security group has been reached.");
          txn.put(withRules(g, std::move(rules)));
          return Output{{"Return", true}, {"SecurityGroupRules", std::move(made)}};
        }

        // Revoke: by rule ids, or by the rules themselves; every one must exist.
        std::vector<size_t> gone;
        auto ruleIds = api::stringsOf(in, "SecurityGroupRuleIds");
        for (const auto& id : ruleIds) {
          auto it = std::find_if(rules.begin(), rules.end(), [&](const json::value& r) {
            return str(r.as_object(), "SecurityGroupRuleId") == id && isEgress(r.as_object()) == egress;
          });
          if (it == rules.end())
            return Error(ErrorCode::InvalidPermissionNotFound,
                         fmt::format("The security group rule ID '{}' does not exist", id));
          gone.push_back(static_cast<size_t>(it - rules.begin()));
        }
        bool hasRules = in.contains("IpPermissions") || in.contains("IpProtocol") || in.contains("CidrIp") ||
                        in.contains("SourceSecurityGroupName");
        if (hasRules || ruleIds.empty()) {
          auto wanted = requestedRules(txn, ctx, in, g, egress);
          if (!wanted) return wanted.error();
          for (const auto& r : *wanted) {
            auto it = std::find(keys.begin(), keys.end(), ruleKey(r));
            if (it == keys.end())
              return Error(ErrorCode::InvalidPermissionNotFound,
                           "The specified rule does not exist in this security group.");
            gone.push_back(static_cast<size_t>(it - keys.begin()));
          }
        }
        std::sort(gone.begin(), gone.end());
        gone.erase(std::unique(gone.begin(), gone.end()), gone.end());
        json::array revoked;
        json::array kept;
        for (size_t i = 0; i < rules.size(); ++i) {
          if (!std::binary_search(gone.begin(), gone.end(), i)) {
            kept.push_back(rules[i]);
            continue;
          }
          const auto& r = rules[i].as_object();
          json::object out{{"SecurityGroupRuleId", str(r, "SecurityGroupRuleId")},
                           {"GroupId", g.id},
                           {"IsEgress", egress},
                           {"IpProtocol", str(r, "IpProtocol")},
                           {"FromPort", intIn(r, "FromPort", -1)},
                           {"ToPort", intIn(r, "ToPort", -1)}};
          for (auto m : {"CidrIpv4", "CidrIpv6", "PrefixListId", "Description"})
            if (r.contains(m)) out[m] = r.at(m);
          if (auto* ref = r.if_contains("ReferencedGroupInfo"); ref && ref->is_object())
            out["ReferencedGroupId"] = str(ref->get_object(), "GroupId");
          revoked.push_back(std::move(out));
        }
        txn.put(withRules(g, std::move(kept)));
        return Output{{"Return", true}, {"RevokedSecurityGroupRules", std::move(revoked)}};
      },
      std::move(reply));
}

// ---------------------------------------------------------------- security groups

std::vector<std::string> ruleValues(const ResourceRegistry& reg, const Resource& g, bool egress,
                                    std::string_view what) {
  std::vector<std::string> out;
  for (const auto& v : rulesOf(g)) {
    const auto& r = v.as_object();
    if (isEgress(r) != egress) continue;
    const json::object* ref = nullptr;
    if (auto* x = r.if_contains("ReferencedGroupInfo"); x && x->is_object()) ref = &x->get_object();
    if (what == "protocol") out.push_back(str(r, "IpProtocol"));
    else if (what == "from-port") out.push_back(std::to_string(intIn(r, "FromPort", -1)));
    else if (what == "to-port") out.push_back(std::to_string(intIn(r, "ToPort", -1)));
    else if (what == "cidr" && r.contains("CidrIpv4")) out.push_back(str(r, "CidrIpv4"));
    else if (what == "ipv6-cidr" && r.contains("CidrIpv6")) out.push_back(str(r, "CidrIpv6"));
    else if (what == "prefix-list-id" && r.contains("PrefixListId")) out.push_back(str(r, "PrefixListId"));
    else if (what == "group-id" && ref) out.push_back(str(*ref, "GroupId"));
    else if (what == "user-id" && ref) out.push_back(str(*ref, "UserId"));
    else if (what == "group-name" && ref) {
      if (auto peer = reg.find(str(*ref, "UserId"), g.region, str(*ref, "GroupId")))
        out.push_back(str(peer->data, "GroupName"));
    }
  }
  return out;
}

void describeSecurityGroups(Ec2Core& core, const RequestContext& ctx, const json::object& in, Reply reply) {
  auto filters = parseFilters(
      in, {"group-id", "group-name", "vpc-id", "description", "owner-id", "tag:", "tag-key", "tag-value",
           "ip-permission.protocol", "ip-permission.from-port", "ip-permission.to-port", "ip-permission.cidr",
           "ip-permission.ipv6-cidr", "ip-permission.prefix-list-id", "ip-permission.group-id",
           "ip-permission.group-name", "ip-permission.user-id", "egress.ip-permission.protocol",
           "egress.ip-permission.from-port", "egress.ip-permission.to-port", "egress.ip-permission.cidr",
           "egress.ip-permission.ipv6-cidr", "egress.ip-permission.prefix-list-id", "egress.ip-permission.group-id",
           "egress.ip-permission.group-name", "egress.ip-permission.user-id"});
  if (!filters) return reply(filters.error());
  withDefaultVpc(
      core, ctx,
      [&core, ctx, in, filters = std::move(*filters)]() -> Result<Output> {
        return core.read([&](const ResourceRegistry& reg) -> Result<Output> {
          auto names = api::stringsOf(in, "GroupNames");
          std::vector<ResourcePtr> listed;
          auto ids = api::stringsOf(in, "GroupIds");
          for (const auto& id : ids) {
            auto g = groupById(reg, ctx.accountId, ctx.region, id);
            if (!g) return g.error();
            listed.push_back(*g);
          }
          if (!names.empty()) {
            auto vpc = defaultVpcOf(reg, ctx.accountId, ctx.region);
            std::string vpcId = vpc ? vpc->id : "";
            for (const auto& name : names) {
              auto g = groupByName(reg, ctx.accountId, ctx.region, vpcId, name);
              if (!g)
                return Error(ErrorCode::InvalidGroupNotFound,
                             fmt::format("The security group '{}' does not exist in default VPC '{}'", name, vpcId));
              listed.push_back(g);
            }
          }
          if (ids.empty() && names.empty()) {
            listed = candidates(reg, ctx.accountId, ctx.region, kSecurityGroup, filters, "group-id");
          } else {
            std::sort(listed.begin(), listed.end(), [](const ResourcePtr& a, const ResourcePtr& b) { return a->id < b->id; });
            listed.erase(std::unique(listed.begin(), listed.end()), listed.end());
          }
          std::vector<ResourcePtr> kept;
          for (auto& g : listed) {
            bool keep = matchesAll(filters, [&](std::string_view f) -> std::vector<std::string> {
              if (auto tags = tagFilterValues(*g, f)) return *tags;
              if (f == "group-id") return {g->id};
              if (f == "group-name") return {str(g->data, "GroupName")};
              if (f == "vpc-id") return {str(g->data, "VpcId")};
              if (f == "description") return {str(g->data, "Description")};
              if (f == "owner-id") return {str(g->data, "OwnerId")};
              if (f.starts_with("egress.ip-permission."))
                return ruleValues(reg, *g, true, f.substr(std::string_view("egress.ip-permission.").size()));
              if (f.starts_with("ip-permission."))
                return ruleValues(reg, *g, false, f.substr(std::string_view("ip-permission.").size()));
              return {};
            });
            if (keep) kept.push_back(std::move(g));
          }
          auto page = paginate(std::move(kept), api::intOf(in, "MaxResults"), api::stringOf(in, "NextToken"), 5, 1000);
          if (!page) return page.error();
          json::array items;
          for (const auto& g : page->items) items.push_back(g->data);
          Output out{{"SecurityGroups", std::move(items)}};
          if (!page->nextToken.empty()) out["NextToken"] = page->nextToken;
          return out;
        });
      },
      std::move(reply));
}

bool validGroupText(std::string_view s) {
  // AWS: a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view(" ._-:/()#,@[]+=&;{}!$*").find(c) != std::string_view::npos;
  });
}

void createSecurityGroup(Ec2Core& core, const RequestContext& ctx, const json::object& in, Reply reply) {
  std::string name = api::stringOf(in, "GroupName");
  std::string description = api::stringOf(in, "Description");
  if (!in.contains("GroupName"))
    return reply(Error(ErrorCode::MissingParameter, "The request must contain the parameter GroupName"));
  if (!in.contains("Description"))
    return reply(Error(ErrorCode::MissingParameter, "The request must contain the parameter GroupDescription"));
  if (name.empty() || name.size() > 255 || !validGroupText(name))
    return reply(Error(ErrorCode::InvalidParameterValue,
                       fmt::format("Value ({}) for parameter GroupName is invalid. Character sets beyond ASCII are not "
                                   "supported.",
                                   name)));
  if (name.starts_with("sg-"))
    return reply(Error(ErrorCode::InvalidParameterValue, "Group names may not be in the format sg-*"));
  if (description.size() > 255 || !validGroupText(description))
    return reply(Error(ErrorCode::InvalidParameterValue,
                       fmt::format("Value ({}) for parameter GroupDescription is invalid. Character sets beyond ASCII "
                                   "are not supported.",
                                   description)));
  if (name == "default")
    return reply(Error(ErrorCode::InvalidGroupReserved, "The security group 'default' is reserved"));
  auto tags = tagsFromSpecifications(in, "security-group");
  if (!tags) return reply(tags.error());
  core.mutate(
      [&core, ctx, in, name, description, tags = std::move(*tags)](Ec2Core::Txn& txn) -> Result<Output> {
        auto vpc = ensureDefaultVpc(txn, core.options(), ctx.accountId, ctx.region);
        if (!vpc) return vpc.error();
        std::string vpcId = api::stringOf(in, "VpcId");
        if (vpcId.empty()) {
          vpcId = vpc->vpc->id;
        } else {
          if (!wellFormedId(vpcId, "vpc"))
            return Error(ErrorCode::InvalidVpcIDMalformed, fmt::format("Invalid id: \"{}\" (expecting \"vpc-...\")", vpcId));
          auto v = txn.find(ctx.accountId, ctx.region, vpcId);
          if (!v || v->kind != kVpc) return notFound(kVpc, vpcId);
        }
        if (groupByName(txn.registry(), ctx.accountId, ctx.region, vpcId, name))
          return Error(ErrorCode::InvalidGroupDuplicate,
                       fmt::format("The security group '{}' already exists for VPC '{}'", name, vpcId));
        Resource g;
        g.id = core.ids().resourceId("sg");
        g.kind = std::string(kSecurityGroup);
        g.owner = ctx.accountId;
        g.region = ctx.region;
        std::string arn = fmt::format("arn:aws:ec2:{}:{}:security-group/{}", ctx.region, ctx.accountId, g.id);
        g.data = json::object{{"GroupId", g.id},       {"GroupName", name},
                              {"Description", description}, {"OwnerId", ctx.accountId},
                              {"VpcId", vpcId},        {"SecurityGroupArn", arn},
                              {"Tags", tags}};
        // A new VPC group lets everything out, as on AWS.
        json::array rules{json::object{{"SecurityGroupRuleId", core.ids().resourceId("sgr")},
                                       {"IsEgress", true},
                                       {"IpProtocol", "-1"},
                                       {"FromPort", -1},
                                       {"ToPort", -1},
                                       {"CidrIpv4", "0.0.0.0/0"}}};
        txn.put(withRules(g, std::move(rules)));
        Output out{{"GroupId", g.id}, {"SecurityGroupArn", arn}};
        if (!tags.empty()) out["Tags"] = tags;
        return out;
      },
      std::move(reply));
}

void deleteSecurityGroup(Ec2Core& core, const RequestContext& ctx, const json::object& in, Reply reply) {
  core.mutate(
      [&core, ctx, in](Ec2Core::Txn& txn) -> Result<Output> {
        auto group = targetGroup(core, txn, ctx, in, true);
        if (!group) return group.error();
        const Resource& g = **group;
        if (str(g.data, "GroupName") == "default")
          return Error(ErrorCode::CannotDelete,
                       fmt::format("the specified group: \"{}\" name: \"default\" cannot be deleted by a user", g.id));
        const std::string dependent = fmt::format("resource {} has a dependent object", g.id);
        for (const auto& i : txn.registry().ofKind(ctx.accountId, ctx.region, kInstance)) {
          auto* state = i->data.if_contains("State");
          if (state && state->is_object() && str(state->get_object(), "Name") == "terminated") continue;
          auto* groups = i->data.if_contains("SecurityGroups");
          if (!groups || !groups->is_array()) continue;
          for (const auto& x : groups->get_array())
            if (x.is_object() && str(x.get_object(), "GroupId") == g.id)
              return Error(ErrorCode::DependencyViolation, dependent);
        }
        for (const auto& other : txn.registry().ofKind(ctx.accountId, ctx.region, kSecurityGroup)) {
          if (other->id == g.id) continue;
          for (const auto& r : rulesOf(*other))
            if (auto* ref = r.as_object().if_contains("ReferencedGroupInfo");
                ref && ref->is_object() && str(ref->get_object(), "GroupId") == g.id)
              return Error(ErrorCode::DependencyViolation, dependent);
        }
        txn.erase(keyOf(g));
        return Output{{"Return", true}, {"GroupId", g.id}};
      },
      std::move(reply));
}

}  // namespace

void addVpcActions(Ec2Service& service, Ec2Core& core) {
  service.add("DescribeVpcs", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    describeVpcs(core, ctx, in, std::move(reply));
  });
  service.add("DescribeSubnets", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    describeSubnets(core, ctx, in, std::move(reply));
  });
  service.add("DescribeInternetGateways", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    describeInternetGateways(core, ctx, in, std::move(reply));
  });
  service.add("DescribeSecurityGroups", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    describeSecurityGroups(core, ctx, in, std::move(reply));
  });
  service.add("CreateSecurityGroup", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    createSecurityGroup(core, ctx, in, std::move(reply));
  });
  service.add("DeleteSecurityGroup", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    deleteSecurityGroup(core, ctx, in, std::move(reply));
  });
  service.add("AuthorizeSecurityGroupIngress", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    changeRules(core, ctx, in, false, true, std::move(reply));
  });
  service.add("AuthorizeSecurityGroupEgress", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    changeRules(core, ctx, in, true, true, std::move(reply));
  });
  service.add("RevokeSecurityGroupIngress", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    changeRules(core, ctx, in, false, false, std::move(reply));
  });
  service.add("RevokeSecurityGroupEgress", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    changeRules(core, ctx, in, true, false, std::move(reply));
  });
}

}  // namespace overcast::ec2
