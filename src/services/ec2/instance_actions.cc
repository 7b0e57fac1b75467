// RunInstances, StartInstances, StopInstances, RebootInstances, TerminateInstances. The state
// changes are recorded here; the driver carries them out in the lifecycle jobs (instance_jobs.cc).
#include <algorithm>
#include <set>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "api/input.h"
#include "protocol/value_conversions.h"
#include "services/ec2/action_groups.h"
#include "services/ec2/images.h"
#include "services/ec2/instance_state.h"
#include "services/ec2/key_pairs.h"
#include "services/ec2/model/instance_types.h"
#include "services/ec2/network.h"
#include "services/ec2/quota_source.h"

namespace overcast::ec2 {
namespace {

constexpr size_t kMaxUserDataBytes = 16 * 1024;

double quotaOf(const Ec2Core& core, const RequestContext& ctx, std::string_view code, double fallback) {
  const QuotaSource* q = core.options().quotas;
  return q ? q->ec2Quota(ctx.accountId, ctx.region, code) : fallback;
}

// How many of `wanted` instances of `type` the quota leaves room for; an error if fewer than `min`.
Result<int64_t> roomUnderQuota(const Ec2Core& core, const ResourceRegistry& reg, const RequestContext& ctx,
                               const InstanceType& type, int64_t min, int64_t wanted) {
  // Pending and running instances, by type (an index kept by the registry: no scan).
  int64_t used = 0, usedVcpus = 0;
  for (const auto& [key, n] : reg.instanceCounts(ctx.accountId, ctx.region)) {
    auto state = static_cast<InstanceStateCode>(key.first);
    if (state != InstanceStateCode::Pending && state != InstanceStateCode::Running) continue;
    used += n;
    const InstanceType* it = findInstanceType(key.second);
    if (it && isStandardFamily(it->name)) usedVcpus += n * it->vcpus;
  }
  if (core.options().quotaModel == QuotaModel::Instances) {
    auto limit = static_cast<int64_t>(quotaOf(core, ctx, kInstanceCountQuota, kDefaultInstanceCountQuota));
    int64_t room = std::max<int64_t>(0, limit - used);
    if (room < min)
      return Error(ErrorCode::InstanceLimitExceeded,
                   fmt::format("You have requested more instances ({}) than your current instance limit of {} allows "
                               "for the specified instance type. Please visit http://aws.amazon.com/contact-us/ec2-request "
                               "to request an adjustment to this limit.",
                               min, limit));
    return std::min(room, wanted);
  }
  if (!isStandardFamily(type.name)) return wanted;
  auto limit = static_cast<int64_t>(quotaOf(core, ctx, kStandardVcpuQuota, kDefaultStandardVcpuQuota));
  int64_t room = std::max<int64_t>(0, (limit - usedVcpus) / type.vcpus);
  if (room < min)
    return Error(ErrorCode::VcpuLimitExceeded,
                 fmt::format("You have requested more vCPU capacity than your current vCPU limit of {} allows for the "
                             "instance bucket that the specified instance type belongs to. Please visit "
                             "http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.",
                             limit));
  return std::min(room, wanted);
}

struct LaunchRequest {
  std::string imageId;
  std::string instanceType = "m1.small";
  int64_t minCount = 0;
  int64_t maxCount = 0;
  std::string keyName;
  std::string zone;
  std::string subnetId;
  std::vector<std::string> groupNames;
  std::vector<std::string> groupIds;
  std::string userData;  // base64 text
  bool disableApiTermination = false;
  std::string shutdownBehavior = "stop";
  bool monitoring = false;
  bool ebsOptimized = false;
  std::string clientToken;
  json::array tags;
  json::object metadataOptions;
  json::array blockDeviceMappings;
};

Result<LaunchRequest> parseLaunch(const json::object& in) {
  LaunchRequest r;
  r.imageId = api::stringOf(in, "ImageId");
  if (r.imageId.empty()) return Error(ErrorCode::MissingParameter, "The request must contain the parameter ImageId");
  auto min = api::intOf(in, "MinCount");
  auto max = api::intOf(in, "MaxCount");
  if (!min) return Error(ErrorCode::MissingParameter, "The request must contain the parameter MinCount");
  if (!max) return Error(ErrorCode::MissingParameter, "The request must contain the parameter MaxCount");
  r.minCount = *min;
  r.maxCount = *max;
  if (r.minCount < 1)
    return Error(ErrorCode::InvalidParameterValue, fmt::format("Value ({}) for parameter minCount is invalid. Expected a positive integer.", r.minCount));
  if (r.maxCount < 1)
    return Error(ErrorCode::InvalidParameterValue, fmt::format("Value ({}) for parameter maxCount is invalid. Expected a positive integer.", r.maxCount));
  if (r.minCount > r.maxCount)
    return Error(ErrorCode::InvalidParameterValue,
                 fmt::format("Value ({}) for parameter minCount is invalid. Expected a value less than or equal to maxCount ({}).",
                             r.minCount, r.maxCount));
  if (auto t = api::stringOf(in, "InstanceType"); !t.empty()) r.instanceType = t;
  r.keyName = api::stringOf(in, "KeyName");
  if (auto* p = in.if_contains("Placement"); p && p->is_object()) r.zone = api::stringOf(p->get_object(), "AvailabilityZone");
  r.subnetId = api::stringOf(in, "SubnetId");
  r.groupNames = api::stringsOf(in, "SecurityGroups");
  r.groupIds = api::stringsOf(in, "SecurityGroupIds");
  r.userData = api::stringOf(in, "UserData");
  if (!r.userData.empty()) {
    auto raw = protocol::detail::base64Decode(r.userData);
    if (!raw) return Error(ErrorCode::InvalidParameterValue, "Invalid BASE64 encoding of user data.");
    if (raw->size() > kMaxUserDataBytes)
      return Error(ErrorCode::InvalidParameterValue, "User data is limited to 16384 bytes");
  }
  r.disableApiTermination = boolOf(in, "DisableApiTermination");
  if (auto b = api::stringOf(in, "InstanceInitiatedShutdownBehavior"); !b.empty()) {
    if (b != "stop" && b != "terminate")
      return Error(ErrorCode::InvalidParameterValue,
                   "Value (" + b + ") for parameter instanceInitiatedShutdownBehavior is invalid.");
    r.shutdownBehavior = b;
  }
  if (auto* m = in.if_contains("Monitoring"); m && m->is_object()) r.monitoring = boolOf(m->get_object(), "Enabled");
  r.ebsOptimized = boolOf(in, "EbsOptimized");
  r.clientToken = api::stringOf(in, "ClientToken");
  if (r.clientToken.size() > 64)
    return Error(ErrorCode::InvalidParameterValue, "Value for parameter clientToken is invalid: at most 64 characters.");
  auto tags = tagsFromSpecifications(in, "instance");
  if (!tags) return tags.error();
  r.tags = std::move(*tags);
  r.metadataOptions = json::object{{"State", "applied"},           {"HttpTokens", "optional"},
                                   {"HttpPutResponseHopLimit", 1}, {"HttpEndpoint", "enabled"},
                                   {"HttpProtocolIpv6", "disabled"}, {"InstanceMetadataTags", "disabled"}};
  if (auto* m = in.if_contains("MetadataOptions"); m && m->is_object()) {
    const auto& mo = m->get_object();
    if (auto v = api::stringOf(mo, "HttpTokens"); !v.empty()) {
      if (v != "optional" && v != "required")
        return Error(ErrorCode::InvalidParameterValue, "Value (" + v + ") for parameter HttpTokens is invalid.");
      r.metadataOptions["HttpTokens"] = v;
    }
    if (auto v = api::intOf(mo, "HttpPutResponseHopLimit")) {
      if (*v < 1 || *v > 64)
        return Error(ErrorCode::InvalidParameterValue, "The HttpPutResponseHopLimit must be between 1 and 64.");
      r.metadataOptions["HttpPutResponseHopLimit"] = *v;
    }
    if (auto v = api::stringOf(mo, "HttpEndpoint"); !v.empty()) r.metadataOptions["HttpEndpoint"] = v;
    if (auto v = api::stringOf(mo, "InstanceMetadataTags"); !v.empty()) r.metadataOptions["InstanceMetadataTags"] = v;
  }
  if (auto* b = in.if_contains("BlockDeviceMappings"); b && b->is_array()) r.blockDeviceMappings = b->get_array();
  return r;
}

// What a ClientToken remembers: the request (to detect a mismatch) and the reservation it made.
std::string requestFingerprint(const json::object& in) {
  json::object copy = in;
  copy.erase("ClientToken");
  copy.erase("DryRun");
  return json::serialize(copy);
}

// The internal resource that remembers a ClientToken (never shown by any describe).
constexpr std::string_view kLaunchToken = "launch-token";
std::string tokenId(const std::string& token) { return "token:" + token; }

json::object reservationOutput(const ResourceRegistry& reg, const RequestContext& ctx, const json::object& reservation) {
  json::array instances;
  for (const auto& id : reservation.at("Instances").as_array())
    if (auto r = reg.find(ctx.accountId, ctx.region, id.as_string())) instances.push_back(r->data);
  return json::object{{"ReservationId", reservation.at("ReservationId")},
                      {"OwnerId", ctx.accountId},
                      {"Groups", json::array{}},
                      {"Instances", std::move(instances)}};
}

Result<Output> runInstances(Ec2Core& core, const RequestContext& ctx, const json::object& in, Ec2Core::Txn& txn) {
  auto req = parseLaunch(in);
  if (!req) return req.error();
  const auto& reg = txn.registry();
  const std::string fingerprint = req->clientToken.empty() ? std::string() : requestFingerprint(in);
  if (!req->clientToken.empty()) {
    if (auto seen = reg.find(ctx.accountId, ctx.region, tokenId(req->clientToken))) {
      if (seen->meta.at("request").as_string() != fingerprint)
        return Error(ErrorCode::IdempotentParameterMismatch,
                     "Arguments on this idempotent request are inconsistent with arguments used in previous request(s).");
      return reservationOutput(reg, ctx, seen->meta);
    }
  }
  const InstanceType* type = findInstanceType(req->instanceType);
  if (!type) return Error(ErrorCode::InvalidParameterValue, "Invalid value '" + req->instanceType + "' for InstanceType.");
  auto image = launchableImage(reg, ctx.accountId, ctx.region, req->imageId);
  if (!image) return image.error();
  if (!req->keyName.empty() && !findKeyPairByName(reg, ctx.accountId, ctx.region, req->keyName))
    return Error(ErrorCode::InvalidKeyPairNotFound, "The key pair '" + req->keyName + "' does not exist");
  auto count = roomUnderQuota(core, reg, ctx, *type, req->minCount, req->maxCount);
  if (!count) return count.error();

  const std::string reservationId = core.ids().resourceId("r");
  auto placement = placeInstance(txn, core.options(), ctx.accountId, ctx.region, req->subnetId, req->zone);
  if (!placement) return placement.error();
  const Resource& subnet = *placement->subnet;
  const std::string vpcId = api::stringOf(subnet.data, "VpcId");
  auto groups = resolveSecurityGroups(txn, ctx.accountId, ctx.region, vpcId, req->groupNames, req->groupIds);
  if (!groups) return groups.error();
  auto privateIps = allocatePrivateIps(txn, keyOf(subnet), static_cast<int>(*count));
  if (!privateIps) return privateIps.error();
  bool publicIp = boolOf(subnet.data, "MapPublicIpOnLaunch");

  json::array groupList;
  for (const auto& g : *groups)
    groupList.push_back(json::object{{"GroupId", g->id}, {"GroupName", api::stringOf(g->data, "GroupName")}});
  const auto now = ctx.now;
  const int64_t nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::string rootDevice = api::stringOf(image.value()->data, "RootDeviceName").empty()
                                     ? std::string("/dev/xvda")
                                     : api::stringOf(image.value()->data, "RootDeviceName");
  std::string architecture = api::stringOf(image.value()->data, "Architecture");
  if (architecture.empty()) architecture = "x86_64";

  json::array ids;
  json::array instances;
  for (int64_t i = 0; i < *count; ++i) {
    Resource r;
    r.id = core.ids().resourceId("i");
    r.kind = std::string(kInstance);
    r.owner = ctx.accountId;
    r.region = ctx.region;
    const std::string& ip = (*privateIps)[static_cast<size_t>(i)];
    std::string pub;
    if (publicIp) {
      auto p = allocatePublicIp(txn);
      if (!p) return p.error();
      pub = *p;
    }
    json::array bdm;
    bdm.push_back(json::object{{"DeviceName", rootDevice},
                               {"Ebs", json::object{{"AttachTime", nowMs},
                                                    {"DeleteOnTermination", true},
                                                    {"Status", "attached"},
                                                    {"VolumeId", core.ids().resourceId("vol")}}}});
    const std::string eni = core.ids().resourceId("eni");
    json::object nic{{"NetworkInterfaceId", eni},
                     {"SubnetId", subnet.id},
                     {"VpcId", vpcId},
                     {"Description", ""},
                     {"OwnerId", ctx.accountId},
                     {"Status", "in-use"},
                     {"MacAddress", fmt::format("0e:{}:{}:{}:{}:{}", r.id.substr(2, 2), r.id.substr(4, 2),
                                                r.id.substr(6, 2), r.id.substr(8, 2), r.id.substr(10, 2))},
                     {"PrivateIpAddress", ip},
                     {"PrivateDnsName", privateDnsName(ctx.region, ip)},
                     {"SourceDestCheck", true},
                     {"Groups", groupList},
                     {"Attachment", json::object{{"AttachTime", nowMs},
                                                 {"AttachmentId", core.ids().resourceId("eni-attach")},
                                                 {"DeleteOnTermination", true},
                                                 {"DeviceIndex", 0},
                                                 {"Status", "attached"}}},
                     {"InterfaceType", "interface"}};
    json::object privateAddr{{"Primary", true}, {"PrivateIpAddress", ip}, {"PrivateDnsName", privateDnsName(ctx.region, ip)}};
    if (!pub.empty()) {
      json::object assoc{{"IpOwnerId", "amazon"}, {"PublicDnsName", publicDnsName(ctx.region, pub)}, {"PublicIp", pub}};
      nic["Association"] = assoc;
      privateAddr["Association"] = assoc;
    }
    nic["PrivateIpAddresses"] = json::array{privateAddr};
    json::object d{
        {"InstanceId", r.id},
        {"ImageId", req->imageId},
        {"State", stateObject(InstanceStateCode::Pending)},
        {"PrivateDnsName", privateDnsName(ctx.region, ip)},
        {"PublicDnsName", pub.empty() ? std::string() : publicDnsName(ctx.region, pub)},
        {"StateTransitionReason", ""},
        {"AmiLaunchIndex", i},
        {"ProductCodes", json::array{}},
        {"InstanceType", req->instanceType},
        {"LaunchTime", nowMs},
        {"Placement", json::object{{"AvailabilityZone", placement->zone},
                                   {"AvailabilityZoneId", placement->zoneId},
                                   {"GroupName", ""},
                                   {"Tenancy", "default"}}},
        {"Monitoring", json::object{{"State", req->monitoring ? "enabled" : "disabled"}}},
        {"SubnetId", subnet.id},
        {"VpcId", vpcId},
        {"PrivateIpAddress", ip},
        {"Architecture", architecture},
        {"BlockDeviceMappings", std::move(bdm)},
        {"ClientToken", req->clientToken},
        {"EbsOptimized", req->ebsOptimized},
        {"EnaSupport", true},
        {"Hypervisor", "xen"},
        {"NetworkInterfaces", json::array{std::move(nic)}},
        {"RootDeviceName", rootDevice},
        {"RootDeviceType", "ebs"},
        {"SecurityGroups", groupList},
        {"SourceDestCheck", true},
        {"Tags", req->tags},
        {"VirtualizationType", "hvm"},
        {"CpuOptions", json::object{{"CoreCount", type->vcpus > 1 ? type->vcpus / 2 : 1},
                                    {"ThreadsPerCore", type->vcpus > 1 ? 2 : 1}}},
        {"CapacityReservationSpecification", json::object{{"CapacityReservationPreference", "open"}}},
        {"HibernationOptions", json::object{{"Configured", false}}},
        {"MetadataOptions", req->metadataOptions},
        {"EnclaveOptions", json::object{{"Enabled", false}}},
        {"PlatformDetails", "Linux/UNIX"},
        {"UsageOperation", "RunInstances"},
        {"UsageOperationUpdateTime", nowMs},
        {"PrivateDnsNameOptions", json::object{{"HostnameType", "ip-name"},
                                               {"EnableResourceNameDnsARecord", false},
                                               {"EnableResourceNameDnsAAAARecord", false}}},
        {"MaintenanceOptions", json::object{{"AutoRecovery", "default"}}},
        {"CurrentInstanceBootMode", "legacy-bios"},
    };
    if (!pub.empty()) d["PublicIpAddress"] = pub;
    if (!req->keyName.empty()) d["KeyName"] = req->keyName;
    r.data = std::move(d);
    r.meta = json::object{{"reservationId", reservationId},
                          {"requesterId", ""},
                          {"userData", req->userData},
                          {"disableApiTermination", req->disableApiTermination},
                          {"shutdownBehavior", req->shutdownBehavior},
                          {"launchSeq", nowMs}};
    ids.push_back(json::string(r.id));
    instances.push_back(r.data);
    txn.put(std::move(r));
  }
  std::vector<std::string> idList;
  for (const auto& v : ids) idList.emplace_back(v.as_string());
  enqueueLifecycle(core, txn, kBootOp, ctx.accountId, ctx.region, idList, core.options().lifecycleDelay);
  if (!req->clientToken.empty()) {
    Resource t;
    t.id = tokenId(req->clientToken);
    t.kind = std::string(kLaunchToken);
    t.owner = ctx.accountId;
    t.region = ctx.region;
    t.meta = json::object{{"request", fingerprint}, {"ReservationId", reservationId}, {"Instances", ids}};
    txn.put(std::move(t));
  }
  return Output{{"ReservationId", reservationId},
                {"OwnerId", ctx.accountId},
                {"Groups", json::array{}},
                {"Instances", std::move(instances)}};
}

std::vector<std::string> instanceIdsOf(const json::object& in) { return api::stringsOf(in, "InstanceIds"); }

Result<Output> stopInstances(Ec2Core& core, const RequestContext& ctx, const json::object& in, Ec2Core::Txn& txn) {
  auto instances = ownInstances(txn.registry(), ctx, instanceIdsOf(in));
  if (!instances) return instances.error();
  bool force = boolOf(in, "Force");
  json::array out;
  std::vector<std::string> toStop;
  for (const auto& r : *instances) {
    auto s = stateOf(*r);
    if (s == InstanceStateCode::Terminated || s == InstanceStateCode::ShuttingDown)
      return Error(ErrorCode::IncorrectInstanceState,
                   "This instance '" + r->id + "' is not in a state from which it can be stopped.");
  }
  for (const auto& r : *instances) {
    auto s = stateOf(*r);
    if (s == InstanceStateCode::Pending || s == InstanceStateCode::Running) {
      txn.put(withState(*r, InstanceStateCode::Stopping, ctx.now, userInitiatedReason(ctx.now),
                        "Client.UserInitiatedShutdown"));
      toStop.push_back(r->id);
      out.push_back(stateChange(r->id, s, InstanceStateCode::Stopping));
    } else {
      out.push_back(stateChange(r->id, s, s));
    }
  }
  if (!toStop.empty())
    enqueueLifecycle(core, txn, kStopOp, ctx.accountId, ctx.region, toStop,
                     force ? std::chrono::milliseconds(0) : core.options().lifecycleDelay);
  return Output{{"StoppingInstances", std::move(out)}};
}

Result<Output> startInstances(Ec2Core& core, const RequestContext& ctx, const json::object& in, Ec2Core::Txn& txn) {
  auto instances = ownInstances(txn.registry(), ctx, instanceIdsOf(in));
  if (!instances) return instances.error();
  json::array out;
  std::vector<std::string> toStart;
  std::vector<ResourcePtr> stopped;
  for (const auto& r : *instances) {
    auto s = stateOf(*r);
    if (s == InstanceStateCode::Terminated || s == InstanceStateCode::ShuttingDown || s == InstanceStateCode::Stopping)
      return Error(ErrorCode::IncorrectInstanceState,
                   "The instance '" + r->id + "' is not in a state from which it can be started.");
    if (s == InstanceStateCode::Stopped) stopped.push_back(r);
  }
  // Starting counts against the quotas as launching does: all of them or none.
  for (const auto& r : stopped) {
    const InstanceType* type = findInstanceType(api::stringOf(r->data, "InstanceType"));
    if (!type) continue;
    auto room = roomUnderQuota(core, txn.registry(), ctx, *type, 1, 1);
    if (!room) return room.error();
    Resource next = withState(*r, InstanceStateCode::Pending, ctx.now);
    txn.put(std::move(next));
  }
  for (const auto& r : *instances) {
    auto s = stateOf(*r);
    if (s == InstanceStateCode::Stopped) {
      toStart.push_back(r->id);
      out.push_back(stateChange(r->id, s, InstanceStateCode::Pending));
    } else {
      out.push_back(stateChange(r->id, s, s));
    }
  }
  if (!toStart.empty())
    enqueueLifecycle(core, txn, kBootOp, ctx.accountId, ctx.region, toStart, core.options().lifecycleDelay);
  return Output{{"StartingInstances", std::move(out)}};
}

Result<Output> rebootInstances(Ec2Core& core, const RequestContext& ctx, const json::object& in, Ec2Core::Txn& txn) {
  auto instances = ownInstances(txn.registry(), ctx, instanceIdsOf(in));
  if (!instances) return instances.error();
  std::vector<std::string> toReboot;
  for (const auto& r : *instances) {
    auto s = stateOf(*r);
    if (s == InstanceStateCode::Terminated || s == InstanceStateCode::ShuttingDown)
      return Error(ErrorCode::IncorrectInstanceState, "The instance '" + r->id + "' is not in a state from which it can be rebooted.");
    if (s == InstanceStateCode::Running) toReboot.push_back(r->id);
  }
  if (!toReboot.empty())
    enqueueLifecycle(core, txn, kRebootOp, ctx.accountId, ctx.region, toReboot, std::chrono::milliseconds(0));
  return Output{};
}

Result<Output> terminateInstances(Ec2Core& core, const RequestContext& ctx, const json::object& in,
                                  Ec2Core::Txn& txn) {
  auto instances = ownInstances(txn.registry(), ctx, instanceIdsOf(in));
  if (!instances) return instances.error();
  // Termination protection (AWS): a protected instance is not terminated, nor is any other
  // instance of the request in the same zone; those in zones with no protected one are.
  std::set<std::string> blockedZones;
  std::string firstProtected;
  for (const auto& r : *instances) {
    if (stateOf(*r) == InstanceStateCode::Terminated) continue;
    if (auto* p = r->meta.if_contains("disableApiTermination"); p && p->is_bool() && p->get_bool()) {
      blockedZones.insert(std::string(r->data.at("Placement").as_object().at("AvailabilityZone").as_string()));
      if (firstProtected.empty()) firstProtected = r->id;
    }
  }
  json::array out;
  std::vector<std::string> toTerminate;
  for (const auto& r : *instances) {
    auto s = stateOf(*r);
    std::string zone(r->data.at("Placement").as_object().at("AvailabilityZone").as_string());
    if (blockedZones.count(zone)) continue;
    if (s == InstanceStateCode::Terminated || s == InstanceStateCode::ShuttingDown) {
      out.push_back(stateChange(r->id, s, s));
      continue;
    }
    txn.put(withState(*r, InstanceStateCode::ShuttingDown, ctx.now, userInitiatedReason(ctx.now),
                      "Client.UserInitiatedShutdown"));
    toTerminate.push_back(r->id);
    out.push_back(stateChange(r->id, s, InstanceStateCode::ShuttingDown));
  }
  if (!toTerminate.empty())
    enqueueLifecycle(core, txn, kTerminateOp, ctx.accountId, ctx.region, toTerminate, core.options().lifecycleDelay);
  if (!firstProtected.empty())
    txn.failAfterCommit(Error(ErrorCode::OperationNotPermitted,
                              "The instance '" + firstProtected +
                                  "' may not be terminated. Modify its 'disableApiTermination' instance attribute and "
                                  "try again."));
  return Output{{"TerminatingInstances", std::move(out)}};
}

using TxnAction = Result<Output> (*)(Ec2Core&, const RequestContext&, const json::object&, Ec2Core::Txn&);

void addMutating(Ec2Service& service, Ec2Core& core, std::string name, TxnAction action) {
  service.add(std::move(name), [&core, action](const RequestContext& ctx, json::object in, Reply reply) {
    core.mutate([&core, ctx, in = std::move(in), action](Ec2Core::Txn& txn) { return action(core, ctx, in, txn); },
                std::move(reply));
  });
}

}  // namespace

void addInstanceActions(Ec2Service& service, Ec2Core& core) {
  addMutating(service, core, "RunInstances", runInstances);
  addMutating(service, core, "StopInstances", stopInstances);
  addMutating(service, core, "StartInstances", startInstances);
  addMutating(service, core, "RebootInstances", rebootInstances);
  addMutating(service, core, "TerminateInstances", terminateInstances);
  addInstanceDescribeActions(service, core);
  addInstanceJobs(core);
}

}  // namespace overcast::ec2
