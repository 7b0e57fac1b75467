#include "services/ec2/instance_state.h"

#include <algorithm>
#include <ctime>

#include <fmt/format.h>

namespace overcast::ec2 {

std::string_view stateName(InstanceStateCode code) {
  switch (code) {
    case InstanceStateCode::Pending: return "pending";
    case InstanceStateCode::Running: return "running";
    case InstanceStateCode::ShuttingDown: return "shutting-down";
    case InstanceStateCode::Terminated: return "terminated";
    case InstanceStateCode::Stopping: return "stopping";
    case InstanceStateCode::Stopped: return "stopped";
  }
  return "pending";
}

json::object stateObject(InstanceStateCode code) {
  return json::object{{"Code", static_cast<int>(code)}, {"Name", stateName(code)}};
}

InstanceStateCode stateOf(const Resource& instance) {
  auto* s = instance.data.if_contains("State");
  if (!s || !s->is_object()) return InstanceStateCode::Pending;
  auto* c = s->get_object().if_contains("Code");
  if (!c || !c->is_int64()) return InstanceStateCode::Pending;
  return static_cast<InstanceStateCode>(c->get_int64() & 0xff);
}

bool countsAgainstQuota(const Resource& instance) {
  auto s = stateOf(instance);
  return s == InstanceStateCode::Pending || s == InstanceStateCode::Running;
}

Resource withState(const Resource& instance, InstanceStateCode code, TimePoint now, std::string_view reason,
                   std::string_view reasonCode) {
  Resource next = instance;
  next.data["State"] = stateObject(code);
  if (!reason.empty()) next.data["StateTransitionReason"] = reason;
  if (!reasonCode.empty()) {
    std::string message = std::string(reasonCode) + ": " +
                          (reasonCode == "Client.UserInitiatedShutdown" ? "User initiated shutdown" : "");
    next.data["StateReason"] = json::object{{"Code", reasonCode}, {"Message", message}};
  } else if (code == InstanceStateCode::Pending || code == InstanceStateCode::Running) {
    next.data.erase("StateReason");
    if (code == InstanceStateCode::Running) next.data["StateTransitionReason"] = "";
  }
  (void)now;
  return next;
}

json::object stateChange(const std::string& id, InstanceStateCode previous, InstanceStateCode current) {
  return json::object{{"InstanceId", id}, {"CurrentState", stateObject(current)}, {"PreviousState", stateObject(previous)}};
}

Result<std::vector<ResourcePtr>> ownInstances(const ResourceRegistry& registry, const RequestContext& ctx,
                                              const std::vector<std::string>& ids) {
  if (ids.empty()) return Error(ErrorCode::MissingParameter, "The request must contain the parameter InstanceId");
  for (const auto& id : ids)
    if (!wellFormedId(id, "i")) return Error(ErrorCode::InvalidInstanceIDMalformed, "Invalid id: \"" + id + "\"");
  std::vector<ResourcePtr> out;
  std::vector<std::string> missing;
  for (const auto& id : ids) {
    auto r = registry.find(ctx.accountId, ctx.region, id);
    if (!r || r->kind != kInstance) {
      if (std::find(missing.begin(), missing.end(), id) == missing.end()) missing.push_back(id);
      continue;
    }
    if (std::none_of(out.begin(), out.end(), [&](const ResourcePtr& p) { return p->id == id; })) out.push_back(r);
  }
  if (missing.size() == 1)
    return Error(ErrorCode::InvalidInstanceIDNotFound, "The instance ID '" + missing[0] + "' does not exist");
  if (!missing.empty())
    return Error(ErrorCode::InvalidInstanceIDNotFound, fmt::format("The instance IDs '{}' do not exist", fmt::join(missing, ", ")));
  return out;
}

namespace {
std::string dashed(std::string_view ip) {
  std::string s(ip);
  std::replace(s.begin(), s.end(), '.', '-');
  return s;
}
}  // namespace

std::string privateDnsName(std::string_view region, std::string_view ip) {
  if (region == "us-east-1") return "ip-" + dashed(ip) + ".ec2.internal";
  return "ip-" + dashed(ip) + "." + std::string(region) + ".compute.internal";
}

std::string publicDnsName(std::string_view region, std::string_view ip) {
  if (region == "us-east-1") return "ec2-" + dashed(ip) + ".compute-1.amazonaws.com";
  return "ec2-" + dashed(ip) + "." + std::string(region) + ".compute.amazonaws.com";
}

std::string userInitiatedReason(TimePoint now) {
  std::time_t secs = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return fmt::format("User initiated ({} GMT)", buf);
}

void enqueueLifecycle(Ec2Core& core, Ec2Core::Txn& txn, std::string_view op, std::string_view account,
                      std::string_view region, const std::vector<std::string>& ids, std::chrono::milliseconds delay) {
  json::array list;
  for (const auto& id : ids) list.push_back(json::string(id));
  json::object payload{{"op", op}, {"account", account}, {"region", region}, {"instances", std::move(list)}};
  txn.enqueue(core.jobSpec(ids.empty() ? std::string() : ids.front(), std::move(payload), delay));
}

}  // namespace overcast::ec2
