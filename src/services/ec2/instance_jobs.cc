// The instance lifecycle jobs: the driver carries out a transition (outside any lock; it may
// block), then the new state is recorded. Each step checks the state first, so a job that ran
// before a crash and runs again changes nothing twice.
#include <spdlog/spdlog.h>

#include "api/input.h"
#include "services/ec2/action_groups.h"
#include "services/ec2/instance_state.h"
#include "services/ec2/network.h"

namespace overcast::ec2 {
namespace {

compute::InstanceSpec specOf(const Resource& r) {
  compute::InstanceSpec s;
  s.accountId = r.owner;
  s.region = r.region;
  s.instanceId = r.id;
  s.imageId = api::stringOf(r.data, "ImageId");
  s.instanceType = api::stringOf(r.data, "InstanceType");
  if (auto* p = r.data.if_contains("Placement"); p && p->is_object())
    s.availabilityZone = api::stringOf(p->get_object(), "AvailabilityZone");
  s.privateIp = api::stringOf(r.data, "PrivateIpAddress");
  s.keyName = api::stringOf(r.data, "KeyName");
  s.userData = api::stringOf(r.meta, "userData");
  return s;
}

struct Target {
  std::string account;
  std::string region;
  std::vector<std::string> ids;
};

Target targetOf(const json::object& payload) {
  Target t;
  t.account = api::stringOf(payload, "account");
  t.region = api::stringOf(payload, "region");
  t.ids = api::stringsOf(payload, "instances");
  return t;
}

ResourcePtr lookup(Ec2Core& core, const Target& t, const std::string& id) {
  return core.read([&](const ResourceRegistry& reg) { return reg.find(t.account, t.region, id); });
}

// Sets the instance's public address (or clears it with an empty `ip`) everywhere it shows.
void setPublicIp(Resource& r, const std::string& ip) {
  if (ip.empty()) {
    r.data.erase("PublicIpAddress");
    r.data["PublicDnsName"] = "";
  } else {
    r.data["PublicIpAddress"] = ip;
    r.data["PublicDnsName"] = publicDnsName(r.region, ip);
  }
  if (auto* nics = r.data.if_contains("NetworkInterfaces"); nics && nics->is_array())
    for (auto& nic : nics->get_array()) {
      auto& o = nic.as_object();
      if (ip.empty()) {
        o.erase("Association");
      } else {
        o["Association"] = json::object{{"IpOwnerId", "amazon"}, {"PublicDnsName", publicDnsName(r.region, ip)}, {"PublicIp", ip}};
      }
      if (auto* addrs = o.if_contains("PrivateIpAddresses"); addrs && addrs->is_array())
        for (auto& a : addrs->get_array()) {
          if (ip.empty())
            a.as_object().erase("Association");
          else
            a.as_object()["Association"] = o["Association"];
        }
    }
}

// Runs `step` (the driver's part) for each of the job's instances still in `from`, then
// records `to` for those it carried out, in one write. A driver failure retries the job, which
// then finds the others already moved on.
jobs::JobOutcome transition(Ec2Core& core, const json::object& payload, InstanceStateCode from, InstanceStateCode to,
                            const std::function<Result<void>(const compute::InstanceSpec&)>& step,
                            const std::function<void(Ec2Core::Txn&, Resource&)>& alsoDo = {},
                            const std::function<void(Ec2Core::Txn&, const std::vector<std::string>&)>& afterAll = {}) {
  Target t = targetOf(payload);
  std::vector<std::string> done;
  std::optional<std::string> failure;
  for (const auto& id : t.ids) {
    auto r = lookup(core, t, id);
    if (!r || stateOf(*r) != from) continue;  // gone, or moved on (e.g. terminated while pending)
    if (auto ok = step(specOf(*r)); !ok) {
      spdlog::warn("ec2: {} of {} failed: {}", stateName(to), id, ok.error().message());
      failure = ok.error().message();
      continue;
    }
    done.push_back(id);
  }
  if (!done.empty()) {
    // Not waited for: the worker's finish write, queued after it, is (Ec2Core::mutateInOrder).
    auto recorded = core.mutateInOrder([&](Ec2Core::Txn& txn) -> Result<Output> {
      std::vector<std::string> moved;
      for (const auto& id : done) {
        auto now = txn.find(t.account, t.region, id);
        if (!now || stateOf(*now) != from) continue;
        Resource next = withState(*now, to, core.clock().now());
        if (alsoDo) alsoDo(txn, next);
        txn.put(std::move(next));
        moved.push_back(id);
      }
      if (afterAll && !moved.empty()) afterAll(txn, moved);
      return Output{};
    });
    if (!recorded) return jobs::Retry{std::nullopt, recorded.error().message()};
  }
  if (failure) return jobs::Retry{std::nullopt, *failure};
  return jobs::Done{};
}

ResourceKey subnetKey(const Resource& r) { return {r.owner, r.region, api::stringOf(r.data, "SubnetId")}; }

}  // namespace

void addInstanceJobs(Ec2Core& core) {
  compute::Driver& driver = core.driver();
  core.addJobHandler(std::string(kBootOp), [&core, &driver](const json::object& payload, const jobs::Job&) {
    return transition(
        core, payload, InstanceStateCode::Pending, InstanceStateCode::Running,
        [&driver](const compute::InstanceSpec& s) -> Result<void> {
          if (auto p = driver.prepare(s); !p) return p;
          return driver.start(s);
        },
        [](Ec2Core::Txn& txn, Resource& r) {
          // A restarted instance gets a new public address, as in AWS.
          if (!r.data.contains("PublicIpAddress") && boolOf(r.meta, "hadPublicIp")) {
            if (auto ip = allocatePublicIp(txn)) setPublicIp(r, *ip);
          }
          if (r.data.contains("PublicIpAddress")) r.meta["hadPublicIp"] = true;
        });
  });
  core.addJobHandler(std::string(kStopOp), [&core, &driver](const json::object& payload, const jobs::Job&) {
    return transition(
        core, payload, InstanceStateCode::Stopping, InstanceStateCode::Stopped,
        [&driver](const compute::InstanceSpec& s) { return driver.stop(s, false); },
        [](Ec2Core::Txn& txn, Resource& r) {
          auto ip = api::stringOf(r.data, "PublicIpAddress");
          if (!ip.empty()) {
            releasePublicIp(txn, ip);
            r.meta["hadPublicIp"] = true;
            setPublicIp(r, "");
          }
        });
  });
  core.addJobHandler(std::string(kRebootOp), [&core, &driver](const json::object& payload, const jobs::Job&) {
    Target t = targetOf(payload);
    for (const auto& id : t.ids) {
      auto r = lookup(core, t, id);
      if (!r || stateOf(*r) != InstanceStateCode::Running) continue;
      if (auto done = driver.reboot(specOf(*r)); !done) return jobs::JobOutcome(jobs::Retry{std::nullopt, done.error().message()});
    }
    return jobs::JobOutcome(jobs::Done{});
  });
  core.addJobHandler(std::string(kTerminateOp), [&core, &driver](const json::object& payload, const jobs::Job&) {
    Target t = targetOf(payload);
    auto outcome = transition(
        core, payload, InstanceStateCode::ShuttingDown, InstanceStateCode::Terminated,
        [&driver](const compute::InstanceSpec& s) { return driver.terminate(s); },
        [](Ec2Core::Txn& txn, Resource& r) {
          auto pub = api::stringOf(r.data, "PublicIpAddress");
          if (!pub.empty()) releasePublicIp(txn, pub);
          auto priv = api::stringOf(r.data, "PrivateIpAddress");
          if (!priv.empty()) releasePrivateIp(txn, subnetKey(r), priv);
          setPublicIp(r, "");
          r.data.erase("PrivateIpAddress");
          r.data["PrivateDnsName"] = "";
          r.data["NetworkInterfaces"] = json::array{};
          r.data["BlockDeviceMappings"] = json::array{};
          r.data["StateReason"] = json::object{{"Code", "Client.UserInitiatedShutdown"},
                                               {"Message", "Client.UserInitiatedShutdown: User initiated shutdown"}};
        },
        [&core, &t](Ec2Core::Txn& txn, const std::vector<std::string>& terminated) {
          enqueueLifecycle(core, txn, kPurgeOp, t.account, t.region, terminated, core.options().terminatedRetention);
        });
    return outcome;
  });
  core.addJobHandler(std::string(kPurgeOp), [&core](const json::object& payload, const jobs::Job&) {
    Target t = targetOf(payload);
    auto r = core.mutateInOrder([&](Ec2Core::Txn& txn) -> Result<Output> {
      for (const auto& id : t.ids) {
        auto now = txn.find(t.account, t.region, id);
        if (now && stateOf(*now) == InstanceStateCode::Terminated) txn.erase(keyOf(*now));
      }
      return Output{};
    });
    if (!r) return jobs::JobOutcome(jobs::Retry{std::nullopt, r.error().message()});
    return jobs::JobOutcome(jobs::Done{});
  });
}

}  // namespace overcast::ec2
