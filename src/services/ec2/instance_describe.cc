// DescribeInstances, DescribeInstanceStatus, DescribeInstanceAttribute, ModifyInstanceAttribute.
#include <algorithm>
#include <map>

#include <boost/json/serialize.hpp>

#include "api/input.h"
#include "protocol/value_conversions.h"
#include "services/ec2/action_groups.h"
#include "services/ec2/instance_state.h"
#include "services/ec2/model/instance_types.h"
#include "services/ec2/network.h"

namespace overcast::ec2 {
namespace {

using Values = std::vector<std::string>;

std::string str(const json::object& o, std::string_view k) { return api::stringOf(o, k); }
const json::object& obj(const json::object& o, std::string_view k) {
  static const json::object kEmpty;
  auto* v = o.if_contains(k);
  return v && v->is_object() ? v->get_object() : kEmpty;
}

// The values an instance has for a DescribeInstances filter name.
Values instanceValues(const Resource& r, std::string_view name, const std::string& ownerId) {
  const auto& d = r.data;
  if (auto tags = tagFilterValues(r, name)) return *tags;
  if (name == "instance-id") return {r.id};
  if (name == "image-id") return {str(d, "ImageId")};
  if (name == "instance-state-name") return {std::string(stateName(stateOf(r)))};
  if (name == "instance-state-code") return {std::to_string(static_cast<int>(stateOf(r)))};
  if (name == "instance-type") return {str(d, "InstanceType")};
  if (name == "availability-zone") return {str(obj(d, "Placement"), "AvailabilityZone")};
  if (name == "availability-zone-id") return {str(obj(d, "Placement"), "AvailabilityZoneId")};
  if (name == "tenancy") return {str(obj(d, "Placement"), "Tenancy")};
  if (name == "key-name") return {str(d, "KeyName")};
  if (name == "reservation-id") return {str(r.meta, "reservationId")};
  if (name == "launch-time") {
    auto* t = d.if_contains("LaunchTime");
    return {t && t->is_int64() ? isoTime(TimePoint(std::chrono::milliseconds(t->get_int64()))) : std::string()};
  }
  if (name == "launch-index") {
    auto* i = d.if_contains("AmiLaunchIndex");
    return {i && i->is_int64() ? std::to_string(i->get_int64()) : "0"};
  }
  if (name == "owner-id") return {ownerId};
  if (name == "private-ip-address" || name == "network-interface.addresses.private-ip-address")
    return {str(d, "PrivateIpAddress")};
  if (name == "ip-address" || name == "network-interface.addresses.association.public-ip")
    return {str(d, "PublicIpAddress")};
  if (name == "dns-name") return {str(d, "PublicDnsName")};
  if (name == "private-dns-name") return {str(d, "PrivateDnsName")};
  if (name == "vpc-id" || name == "network-interface.vpc-id") return {str(d, "VpcId")};
  if (name == "subnet-id" || name == "network-interface.subnet-id") return {str(d, "SubnetId")};
  if (name == "instance.group-id" || name == "group-id" || name == "instance.group-name" || name == "group-name") {
    Values out;
    bool byId = name.ends_with("id");
    if (auto* g = d.if_contains("SecurityGroups"); g && g->is_array())
      for (const auto& item : g->get_array()) out.push_back(str(item.as_object(), byId ? "GroupId" : "GroupName"));
    return out;
  }
  if (name == "architecture") return {str(d, "Architecture")};
  if (name == "root-device-type") return {str(d, "RootDeviceType")};
  if (name == "root-device-name") return {str(d, "RootDeviceName")};
  if (name == "hypervisor") return {str(d, "Hypervisor")};
  if (name == "virtualization-type") return {str(d, "VirtualizationType")};
  if (name == "platform") return {str(d, "Platform")};
  if (name == "platform-details") return {str(d, "PlatformDetails")};
  if (name == "client-token") return {str(d, "ClientToken")};
  if (name == "reason") return {str(d, "StateTransitionReason")};
  if (name == "state-reason-code") return {str(obj(d, "StateReason"), "Code")};
  if (name == "state-reason-message") return {str(obj(d, "StateReason"), "Message")};
  if (name == "monitoring-state") return {str(obj(d, "Monitoring"), "State")};
  if (name == "source-dest-check") return {boolText(d, "SourceDestCheck")};
  if (name == "ebs-optimized") return {boolText(d, "EbsOptimized")};
  if (name == "metadata-options.http-tokens") return {str(obj(d, "MetadataOptions"), "HttpTokens")};
  if (name == "metadata-options.http-endpoint") return {str(obj(d, "MetadataOptions"), "HttpEndpoint")};
  if (name == "block-device-mapping.device-name" || name == "block-device-mapping.volume-id" ||
      name == "block-device-mapping.status") {
    Values out;
    if (auto* b = d.if_contains("BlockDeviceMappings"); b && b->is_array())
      for (const auto& m : b->get_array()) {
        const auto& mo = m.as_object();
        if (name == "block-device-mapping.device-name")
          out.push_back(str(mo, "DeviceName"));
        else
          out.push_back(str(obj(mo, "Ebs"), name == "block-device-mapping.volume-id" ? "VolumeId" : "Status"));
      }
    return out;
  }
  return {};
}

const std::initializer_list<std::string_view> kInstanceFilters = {
    "instance-id", "image-id", "instance-state-name", "instance-state-code", "instance-type", "availability-zone",
    "availability-zone-id", "tenancy", "key-name", "reservation-id", "launch-time", "launch-index", "owner-id",
    "private-ip-address", "network-interface.addresses.private-ip-address", "ip-address",
    "network-interface.addresses.association.public-ip", "dns-name", "private-dns-name", "vpc-id",
    "network-interface.vpc-id", "subnet-id", "network-interface.subnet-id", "instance.group-id", "group-id",
    "instance.group-name", "group-name", "architecture", "root-device-type", "root-device-name", "hypervisor",
    "virtualization-type", "platform", "platform-details", "client-token", "reason", "state-reason-code",
    "state-reason-message", "monitoring-state", "source-dest-check", "ebs-optimized", "metadata-options.http-tokens",
    "metadata-options.http-endpoint", "block-device-mapping.device-name", "block-device-mapping.volume-id",
    "block-device-mapping.status", "tag:", "tag-key", "tag-value"};

// The instances a describe starts from: those named (all must exist) or every candidate.
Result<std::vector<ResourcePtr>> namedOrCandidates(const ResourceRegistry& reg, const RequestContext& ctx,
                                                   const json::object& in, const std::vector<Filter>& filters) {
  auto ids = api::stringsOf(in, "InstanceIds");
  if (ids.empty()) return candidates(reg, ctx.accountId, ctx.region, kInstance, filters, "instance-id");
  auto named = ownInstances(reg, ctx, ids);
  if (!named) return named.error();
  std::sort(named->begin(), named->end(), [](const ResourcePtr& a, const ResourcePtr& b) { return a->id < b->id; });
  return named;
}

Result<Output> describeInstances(Ec2Core& core, const RequestContext& ctx, const json::object& in) {
  auto filters = parseFilters(in, kInstanceFilters);
  if (!filters) return filters.error();
  auto maxResults = api::intOf(in, "MaxResults");
  if (maxResults && in.contains("InstanceIds") && !api::stringsOf(in, "InstanceIds").empty())
    return Error(ErrorCode::InvalidParameterCombination,
                 "The parameter instancesSet cannot be used with the parameter maxResults");
  return core.read([&](const ResourceRegistry& reg) -> Result<Output> {
    auto start = namedOrCandidates(reg, ctx, in, *filters);
    if (!start) return start.error();
    std::vector<ResourcePtr> matching;
    matching.reserve(start->size());
    for (auto& r : *start)
      if (matchesAll(*filters, [&](std::string_view f) { return instanceValues(*r, f, ctx.accountId); }))
        matching.push_back(std::move(r));
    auto page = paginate(std::move(matching), maxResults, api::stringOf(in, "NextToken"), 5, 1000);
    if (!page) return page.error();
    json::array reservations;
    std::map<std::string, size_t, std::less<>> index;
    for (const auto& r : page->items) {
      std::string rid = str(r->meta, "reservationId");
      auto it = index.find(rid);
      if (it == index.end()) {
        it = index.emplace(rid, reservations.size()).first;
        reservations.push_back(json::object{{"ReservationId", rid},
                                            {"OwnerId", r->owner},
                                            {"Groups", json::array{}},
                                            {"Instances", json::array{}}});
      }
      reservations[it->second].as_object()["Instances"].as_array().push_back(r->data);
    }
    Output out{{"Reservations", std::move(reservations)}};
    if (!page->nextToken.empty()) out["NextToken"] = page->nextToken;
    return out;
  });
}

json::object statusObject(const Resource& r) {
  bool running = stateOf(r) == InstanceStateCode::Running;
  auto status = [&](std::string_view name) {
    return json::object{{"Status", running ? "ok" : "not-applicable"},
                        {"Details", running ? json::array{json::object{{"Name", name}, {"Status", "passed"}}} : json::array{}}};
  };
  return json::object{{"InstanceId", r.id},
                      {"AvailabilityZone", str(obj(r.data, "Placement"), "AvailabilityZone")},
                      {"AvailabilityZoneId", str(obj(r.data, "Placement"), "AvailabilityZoneId")},
                      {"InstanceState", stateObject(stateOf(r))},
                      {"InstanceStatus", status("reachability")},
                      {"SystemStatus", status("reachability")},
                      {"AttachedEbsStatus", json::object{{"Status", running ? "ok" : "not-applicable"}}},
                      {"Events", json::array{}}};
}

Result<Output> describeInstanceStatus(Ec2Core& core, const RequestContext& ctx, const json::object& in) {
  auto filters = parseFilters(in, {"availability-zone", "instance-state-name", "instance-state-code",
                                   "instance-status.status", "instance-status.reachability", "system-status.status",
                                   "system-status.reachability", "event.code"});
  if (!filters) return filters.error();
  bool all = boolOf(in, "IncludeAllInstances");
  auto maxResults = api::intOf(in, "MaxResults");
  return core.read([&](const ResourceRegistry& reg) -> Result<Output> {
    auto start = namedOrCandidates(reg, ctx, in, {});
    if (!start) return start.error();
    std::vector<ResourcePtr> matching;
    for (auto& r : *start) {
      auto s = stateOf(*r);
      if (!all && s != InstanceStateCode::Running) continue;
      bool running = s == InstanceStateCode::Running;
      bool keep = matchesAll(*filters, [&](std::string_view f) -> Values {
        if (f == "availability-zone") return {str(obj(r->data, "Placement"), "AvailabilityZone")};
        if (f == "instance-state-name") return {std::string(stateName(s))};
        if (f == "instance-state-code") return {std::to_string(static_cast<int>(s))};
        if (f == "instance-status.status" || f == "system-status.status") return {running ? "ok" : "not-applicable"};
        if (f.ends_with(".reachability")) return {running ? "passed" : ""};
        return {};
      });
      if (keep) matching.push_back(std::move(r));
    }
    auto page = paginate(std::move(matching), maxResults, api::stringOf(in, "NextToken"), 5, 1000);
    if (!page) return page.error();
    json::array out;
    for (const auto& r : page->items) out.push_back(statusObject(*r));
    Output o{{"InstanceStatuses", std::move(out)}};
    if (!page->nextToken.empty()) o["NextToken"] = page->nextToken;
    return o;
  });
}


json::object valueOf(const std::string& v) { return json::object{{"Value", json::string(v)}}; }
json::object valueOf(bool v) { return json::object{{"Value", v}}; }

Result<Output> describeInstanceAttribute(Ec2Core& core, const RequestContext& ctx, const json::object& in) {
  std::string id = str(in, "InstanceId");
  std::string attribute = str(in, "Attribute");
  if (attribute.empty()) return Error(ErrorCode::MissingParameter, "The request must contain the parameter Attribute");
  return core.read([&](const ResourceRegistry& reg) -> Result<Output> {
    auto found = ownInstances(reg, ctx, {id});
    if (!found) return found.error();
    const Resource& r = *found->front();
    const auto& d = r.data;
    Output out{{"InstanceId", r.id}};
    if (attribute == "instanceType") out["InstanceType"] = valueOf(str(d, "InstanceType"));
    else if (attribute == "kernel") out["KernelId"] = json::object{};
    else if (attribute == "ramdisk") out["RamdiskId"] = json::object{};
    else if (attribute == "userData") {
      auto ud = str(r.meta, "userData");
      out["UserData"] = ud.empty() ? json::object{} : valueOf(ud);
    } else if (attribute == "disableApiTermination") out["DisableApiTermination"] = valueOf(boolOf(r.meta, "disableApiTermination"));
    else if (attribute == "disableApiStop") out["DisableApiStop"] = valueOf(boolOf(r.meta, "disableApiStop"));
    else if (attribute == "instanceInitiatedShutdownBehavior")
      out["InstanceInitiatedShutdownBehavior"] = valueOf(str(r.meta, "shutdownBehavior"));
    else if (attribute == "rootDeviceName") out["RootDeviceName"] = valueOf(str(d, "RootDeviceName"));
    else if (attribute == "blockDeviceMapping") out["BlockDeviceMappings"] = d.at("BlockDeviceMappings");
    else if (attribute == "productCodes") out["ProductCodes"] = json::array{};
    else if (attribute == "sourceDestCheck") out["SourceDestCheck"] = valueOf(boolOf(d, "SourceDestCheck"));
    else if (attribute == "groupSet") out["Groups"] = d.at("SecurityGroups");
    else if (attribute == "ebsOptimized") out["EbsOptimized"] = valueOf(boolOf(d, "EbsOptimized"));
    else if (attribute == "sriovNetSupport") out["SriovNetSupport"] = json::object{};
    else if (attribute == "enaSupport") out["EnaSupport"] = valueOf(boolOf(d, "EnaSupport"));
    else if (attribute == "enclaveOptions") out["EnclaveOptions"] = json::object{{"Enabled", false}};
    else
      return Error(ErrorCode::InvalidParameterValue,
                   "Value (" + attribute + ") for parameter attribute is invalid. Unknown attribute.");
    return out;
  });
}

// ModifyInstanceAttribute's one change, from either form (Attribute + Value, or a member).
struct Change {
  std::string attribute;
  json::value value;
};

Result<Change> changeOf(const json::object& in) {
  std::vector<Change> found;
  if (auto a = str(in, "Attribute"); !a.empty()) {
    if (!in.contains("Value")) return Error(ErrorCode::MissingParameter, "The request must contain the parameter value");
    found.push_back({a, json::string(str(in, "Value"))});
  }
  static constexpr std::pair<std::string_view, std::string_view> kMembers[] = {
      {"DisableApiTermination", "disableApiTermination"},
      {"DisableApiStop", "disableApiStop"},
      {"InstanceType", "instanceType"},
      {"UserData", "userData"},
      {"InstanceInitiatedShutdownBehavior", "instanceInitiatedShutdownBehavior"},
      {"SourceDestCheck", "sourceDestCheck"},
      {"EbsOptimized", "ebsOptimized"},
      {"EnaSupport", "enaSupport"},
      {"Kernel", "kernel"},
      {"Ramdisk", "ramdisk"},
      {"SriovNetSupport", "sriovNetSupport"}};
  for (auto [member, attr] : kMembers)
    if (auto v = attributeValue(in, member)) {
      json::value value = *v;
      if (member == "UserData" && value.is_string())  // a blob: the decoder gave its bytes
        value = json::string(protocol::detail::base64Encode(value.get_string()));
      found.push_back({std::string(attr), std::move(value)});
    }
  if (auto groups = api::stringsOf(in, "Groups"); !groups.empty()) {
    json::array a;
    for (auto& g : groups) a.push_back(json::string(g));
    found.push_back({"groupSet", std::move(a)});
  }
  if (found.empty()) return Error(ErrorCode::MissingParameter, "The request must contain the parameter attribute");
  if (found.size() > 1)
    return Error(ErrorCode::InvalidParameterCombination, "Fields for multiple attribute types specified: " +
                                                             found[0].attribute + ", " + found[1].attribute);
  return found[0];
}

std::optional<bool> asBool(const json::value& v) {
  if (v.is_bool()) return v.get_bool();
  if (v.is_string()) {
    if (v.get_string() == "true") return true;
    if (v.get_string() == "false") return false;
  }
  return std::nullopt;
}

Result<Output> modifyInstanceAttribute(Ec2Core& core, const RequestContext& ctx, const json::object& in,
                                       Ec2Core::Txn& txn) {
  auto change = changeOf(in);
  if (!change) return change.error();
  auto found = ownInstances(txn.registry(), ctx, {str(in, "InstanceId")});
  if (!found) return found.error();
  const Resource& r = *found->front();
  Resource next = r;
  const std::string& a = change->attribute;
  const json::value& v = change->value;
  auto mustBeStopped = [&]() -> Result<void> {
    if (stateOf(r) != InstanceStateCode::Stopped)
      return Error(ErrorCode::IncorrectInstanceState, "The instance '" + r.id + "' is not in the 'stopped' state.");
    return {};
  };
  auto invalid = [&](std::string_view what) {
    return Error(ErrorCode::InvalidParameterValue,
                 "Value (" + (v.is_string() ? std::string(v.get_string()) : json::serialize(v)) + ") for parameter " +
                     std::string(what) + " is invalid.");
  };
  if (stateOf(r) == InstanceStateCode::Terminated)
    return Error(ErrorCode::IncorrectInstanceState, "The instance '" + r.id + "' is terminated.");
  if (a == "disableApiTermination" || a == "disableApiStop") {
    auto b = asBool(v);
    if (!b) return invalid(a);
    next.meta[a] = *b;
  } else if (a == "sourceDestCheck" || a == "ebsOptimized" || a == "enaSupport") {
    auto b = asBool(v);
    if (!b) return invalid(a);
    std::string member = a == "sourceDestCheck" ? "SourceDestCheck" : a == "ebsOptimized" ? "EbsOptimized" : "EnaSupport";
    if (a != "sourceDestCheck")
      if (auto s = mustBeStopped(); !s) return s.error();
    next.data[member] = *b;
  } else if (a == "instanceType") {
    if (auto s = mustBeStopped(); !s) return s.error();
    if (!v.is_string() || !findInstanceType(v.get_string()))
      return Error(ErrorCode::InvalidParameterValue, "Invalid value for InstanceType.");
    next.data["InstanceType"] = v;
  } else if (a == "userData") {
    if (auto s = mustBeStopped(); !s) return s.error();
    std::string text = v.is_string() ? std::string(v.get_string()) : "";
    auto raw = protocol::detail::base64Decode(text);
    if (!raw) return Error(ErrorCode::InvalidParameterValue, "Invalid BASE64 encoding of user data.");
    if (raw->size() > 16 * 1024) return Error(ErrorCode::InvalidParameterValue, "User data is limited to 16384 bytes");
    next.meta["userData"] = text;
  } else if (a == "instanceInitiatedShutdownBehavior") {
    if (!v.is_string() || (v.get_string() != "stop" && v.get_string() != "terminate")) return invalid(a);
    next.meta["shutdownBehavior"] = v;
  } else if (a == "groupSet") {
    std::vector<std::string> ids;
    if (v.is_array())
      for (const auto& g : v.get_array()) ids.emplace_back(g.as_string());
    else if (v.is_string())
      ids.emplace_back(v.get_string());
    auto groups = resolveSecurityGroups(txn, ctx.accountId, ctx.region, str(r.data, "VpcId"), {}, ids);
    if (!groups) return groups.error();
    json::array list;
    for (const auto& g : *groups) list.push_back(json::object{{"GroupId", g->id}, {"GroupName", str(g->data, "GroupName")}});
    next.data["SecurityGroups"] = list;
    if (auto* nics = next.data.if_contains("NetworkInterfaces"); nics && nics->is_array())
      for (auto& nic : nics->get_array()) nic.as_object()["Groups"] = list;
  } else if (a == "kernel" || a == "ramdisk" || a == "sriovNetSupport") {
    return Error(ErrorCode::Unsupported, "The attribute '" + a + "' is not supported by overcast's instances.");
  } else {
    return Error(ErrorCode::InvalidParameterValue, "Value (" + a + ") for parameter attribute is invalid. Unknown attribute.");
  }
  txn.put(std::move(next));
  return Output{};
}

}  // namespace

void addInstanceDescribeActions(Ec2Service& service, Ec2Core& core) {
  service.addSync("DescribeInstances",
                  [&core](const RequestContext& ctx, const json::object& in) { return describeInstances(core, ctx, in); });
  service.addSync("DescribeInstanceStatus", [&core](const RequestContext& ctx, const json::object& in) {
    return describeInstanceStatus(core, ctx, in);
  });
  service.addSync("DescribeInstanceAttribute", [&core](const RequestContext& ctx, const json::object& in) {
    return describeInstanceAttribute(core, ctx, in);
  });
  service.add("ModifyInstanceAttribute", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    core.mutate([&core, ctx, in = std::move(in)](Ec2Core::Txn& txn) { return modifyInstanceAttribute(core, ctx, in, txn); },
                std::move(reply));
  });
}

}  // namespace overcast::ec2
