// Instances: their states, as AWS codes them, and the shared pieces of the instance actions
// (instance_actions.cc, instance_describe.cc) and lifecycle jobs (instance_jobs.cc).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "services/ec2/ec2_core.h"

namespace overcast::ec2 {

// InstanceState codes (low byte; shared/docs/aws-reference.md §B2).
enum class InstanceStateCode : int {
  Pending = 0,
  Running = 16,
  ShuttingDown = 32,
  Terminated = 48,
  Stopping = 64,
  Stopped = 80,
};

std::string_view stateName(InstanceStateCode code);
json::object stateObject(InstanceStateCode code);
InstanceStateCode stateOf(const Resource& instance);
// Pending or running: what the On-Demand quotas count.
bool countsAgainstQuota(const Resource& instance);

// The instance with a new state (and the transition reason AWS gives), as a fresh Resource.
Resource withState(const Resource& instance, InstanceStateCode code, TimePoint now, std::string_view reason = {},
                   std::string_view reasonCode = {});

// {InstanceId, CurrentState, PreviousState} for Start/Stop/TerminateInstances answers.
json::object stateChange(const std::string& id, InstanceStateCode previous, InstanceStateCode current);

// The caller's instances named by `ids`, all of them or an error (malformed ids first, then
// InvalidInstanceID.NotFound naming every missing one, as AWS does).
Result<std::vector<ResourcePtr>> ownInstances(const ResourceRegistry& registry, const RequestContext& ctx,
                                              const std::vector<std::string>& ids);

// DNS names as EC2 gives them (us-east-1: ec2.internal / compute-1; elsewhere <region>.compute...).
std::string privateDnsName(std::string_view region, std::string_view ip);
std::string publicDnsName(std::string_view region, std::string_view ip);

// "User initiated (2026-11-25 09:00:00 GMT)"
std::string userInitiatedReason(TimePoint now);

// The payload ops of the lifecycle jobs.
inline constexpr std::string_view kBootOp = "instance-boot";
inline constexpr std::string_view kStopOp = "instance-stop";
inline constexpr std::string_view kRebootOp = "instance-reboot";
inline constexpr std::string_view kTerminateOp = "instance-terminate";
inline constexpr std::string_view kPurgeOp = "instance-purge";

// Enqueues `op` for the instances in txn, due after `delay`.
void enqueueLifecycle(Ec2Core& core, Ec2Core::Txn& txn, std::string_view op, std::string_view account,
                      std::string_view region, const std::vector<std::string>& ids, std::chrono::milliseconds delay);

void addInstanceJobs(Ec2Core& core);                                      // instance_jobs.cc
void addInstanceDescribeActions(Ec2Service& service, Ec2Core& core);      // instance_describe.cc

}  // namespace overcast::ec2
