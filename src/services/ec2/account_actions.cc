// DescribeAccountAttributes and DescribeInstanceTypes.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "api/input.h"
#include "services/ec2/action_groups.h"
#include "services/ec2/model/instance_types.h"
#include "services/ec2/network.h"
#include "services/ec2/quota_source.h"

namespace overcast::ec2 {
namespace {

// ---------------------------------------------------------------- DescribeAccountAttributes

constexpr std::string_view kAttributeNames[] = {"supported-platforms",   "default-vpc",
                                                "max-instances",         "vpc-max-security-groups-per-interface",
                                                "max-elastic-ips",       "vpc-max-elastic-ips"};

json::object attribute(std::string_view name, std::vector<std::string> values) {
  json::array vs;
  for (auto& v : values) vs.push_back(json::object{{"AttributeValue", std::move(v)}});
  return json::object{{"AttributeName", name}, {"AttributeValues", std::move(vs)}};
}

std::string defaultVpcId(const ResourceRegistry& reg, std::string_view account, std::string_view region) {
  for (const auto& v : reg.ofKind(account, region, kVpc))
    if (auto* d = v->data.if_contains("IsDefault"); d && d->is_bool() && d->get_bool()) return v->id;
  return {};
}

Result<Output> accountAttributes(Ec2Core& core, const RequestContext& ctx, const std::vector<std::string>& names) {
  std::string vpcId = core.read([&](const ResourceRegistry& reg) { return defaultVpcId(reg, ctx.accountId, ctx.region); });
  double maxInstances = core.options().quotas
                            ? core.options().quotas->ec2Quota(ctx.accountId, ctx.region, kInstanceCountQuota)
                            : kDefaultInstanceCountQuota;
  json::array out;
  for (auto name : kAttributeNames) {
    if (!names.empty() && std::find(names.begin(), names.end(), name) == names.end()) continue;
    if (name == "supported-platforms") out.push_back(attribute(name, {"VPC"}));
    if (name == "default-vpc") out.push_back(attribute(name, {vpcId.empty() ? "none" : vpcId}));
    if (name == "max-instances") out.push_back(attribute(name, {fmt::format("{}", static_cast<int64_t>(maxInstances))}));
    if (name == "vpc-max-security-groups-per-interface") out.push_back(attribute(name, {"5"}));
    if (name == "max-elastic-ips" || name == "vpc-max-elastic-ips") out.push_back(attribute(name, {"5"}));
  }
  return Output{{"AccountAttributes", std::move(out)}};
}

void describeAccountAttributes(Ec2Core& core, const RequestContext& ctx, const json::object& in, Reply reply) {
  auto names = api::stringsOf(in, "AttributeNames");
  for (const auto& n : names)
    if (std::find(std::begin(kAttributeNames), std::end(kAttributeNames), n) == std::end(kAttributeNames))
      return reply(Error(ErrorCode::InvalidParameterValue,
                         fmt::format("Value ({}) for parameter attributeName is invalid. Unknown attribute name.", n)));
  bool wantsVpc = names.empty() || std::find(names.begin(), names.end(), "default-vpc") != names.end();
  bool made = core.read([&](const ResourceRegistry& reg) { return !defaultVpcId(reg, ctx.accountId, ctx.region).empty(); });
  if (!wantsVpc || made) return reply(accountAttributes(core, ctx, names));
  core.mutate(
      [&core, ctx](Ec2Core::Txn& txn) -> Result<Output> {
        auto vpc = ensureDefaultVpc(txn, core.options(), ctx.accountId, ctx.region);
        if (!vpc) return vpc.error();
        return Output{};
      },
      [&core, ctx, names, reply = std::move(reply)](Result<Output> r) {
        if (!r) return reply(r.error());
        reply(accountAttributes(core, ctx, names));
      });
}

// ---------------------------------------------------------------- DescribeInstanceTypes

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    auto sp = s.find(' ');
    out.emplace_back(s.substr(0, sp));
    if (sp == std::string_view::npos) break;
    s.remove_prefix(sp + 1);
  }
  return out;
}

json::array stringArray(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.push_back(json::value(s));
  return a;
}

// Older generations (t1, m1, t2) and Graviton run one thread per core; the rest two.
int threadsPerCore(const InstanceType& t) {
  if (t.vcpus == 1) return 1;
  auto family = t.name.substr(0, t.name.find('.'));
  if (family == "t1" || family == "m1" || family == "t2" || family.find('g') != std::string_view::npos) return 1;
  return 2;
}

json::object typeInfo(const InstanceType& t) {
  int threads = threadsPerCore(t);
  auto family = t.name.substr(0, t.name.find('.'));
  bool xen = family == "t1" || family == "m1" || family == "t2";
  bool oldGeneration = family == "t1" || family == "m1";
  return json::object{
      {"InstanceType", t.name},
      {"CurrentGeneration", t.currentGeneration},
      {"FreeTierEligible", t.name == "t2.micro" || t.name == "t3.micro"},
      {"SupportedUsageClasses", json::array{"on-demand"}},
      {"SupportedRootDeviceTypes", oldGeneration ? json::array{"ebs", "instance-store"} : json::array{"ebs"}},
      {"SupportedVirtualizationTypes", stringArray(words(t.virtualization))},
      {"BareMetal", false},
      {"Hypervisor", xen ? "xen" : "nitro"},
      {"ProcessorInfo", json::object{{"SupportedArchitectures", stringArray(words(t.architectures))}}},
      {"VCpuInfo", json::object{{"DefaultVCpus", t.vcpus},
                                {"DefaultCores", t.vcpus / threads},
                                {"DefaultThreadsPerCore", threads}}},
      {"MemoryInfo", json::object{{"SizeInMiB", t.memoryMiB}}},
      {"InstanceStorageSupported", false},
      {"BurstablePerformanceSupported", t.burstable},
      {"HibernationSupported", false},
      {"DedicatedHostsSupported", !t.burstable},
      {"AutoRecoverySupported", true},
  };
}

Result<Output> describeInstanceTypes(const json::object& in) {
  auto filters = parseFilters(in, {"instance-type", "current-generation", "vcpu-info.default-vcpus",
                                   "vcpu-info.default-cores", "vcpu-info.default-threads-per-core",
                                   "memory-info.size-in-mib", "processor-info.supported-architecture",
                                   "burstable-performance-supported", "supported-virtualization-type",
                                   "supported-usage-class", "free-tier-eligible", "hypervisor", "bare-metal"});
  if (!filters) return filters.error();
  auto names = api::stringsOf(in, "InstanceTypes");
  std::vector<std::string> unknown;
  for (const auto& n : names)
    if (!findInstanceType(n)) unknown.push_back(n);
  if (!unknown.empty())
    return Error(ErrorCode::InvalidInstanceType,
                 fmt::format("The following supplied instance types do not exist: [{}]", fmt::join(unknown, ", ")));
  auto maxResults = api::intOf(in, "MaxResults");
  if (maxResults && (*maxResults < 5 || *maxResults > 100))
    return Error(ErrorCode::InvalidParameterValue,
                 fmt::format("Value ( {} ) for parameter maxResults is invalid. Expecting a value between 5 and 100.",
                             *maxResults));
  std::vector<json::object> all;
  for (const auto& t : instanceTypes()) {
    if (!names.empty() && std::find(names.begin(), names.end(), t.name) == names.end()) continue;
    auto info = typeInfo(t);
    bool keep = matchesAll(*filters, [&](std::string_view f) -> std::vector<std::string> {
      auto flag = [](bool b) { return std::string(b ? "true" : "false"); };
      if (f == "instance-type") return {std::string(t.name)};
      if (f == "current-generation") return {flag(t.currentGeneration)};
      if (f == "vcpu-info.default-vcpus") return {std::to_string(t.vcpus)};
      if (f == "vcpu-info.default-cores") return {std::to_string(t.vcpus / threadsPerCore(t))};
      if (f == "vcpu-info.default-threads-per-core") return {std::to_string(threadsPerCore(t))};
      if (f == "memory-info.size-in-mib") return {std::to_string(t.memoryMiB)};
      if (f == "processor-info.supported-architecture") return words(t.architectures);
      if (f == "burstable-performance-supported") return {flag(t.burstable)};
      if (f == "supported-virtualization-type") return words(t.virtualization);
      if (f == "supported-usage-class") return {"on-demand"};
      if (f == "free-tier-eligible") return {flag(info.at("FreeTierEligible").as_bool())};
      if (f == "hypervisor") return {std::string(info.at("Hypervisor").as_string())};
      if (f == "bare-metal") return {"false"};
      return {};
    });
    if (keep) all.push_back(std::move(info));
  }
  // The token is "ocp1." + the last type of the page before.
  std::string token = api::stringOf(in, "NextToken");
  size_t start = 0;
  if (!token.empty()) {
    if (!token.starts_with("ocp1.")) return Error(ErrorCode::InvalidPaginationToken, "Invalid pagination token: " + token);
    std::string after = token.substr(5);
    auto it = std::find_if(all.begin(), all.end(), [&](const json::object& o) { return o.at("InstanceType").as_string() == after; });
    if (it == all.end()) return Error(ErrorCode::InvalidPaginationToken, "Invalid pagination token: " + token);
    start = static_cast<size_t>(it - all.begin()) + 1;
  }
  size_t end = maxResults ? std::min(all.size(), start + static_cast<size_t>(*maxResults)) : all.size();
  json::array page;
  for (size_t i = start; i < end; ++i) page.push_back(all[i]);
  Output out{{"InstanceTypes", std::move(page)}};
  if (end < all.size() && end > start)
    out["NextToken"] = "ocp1." + std::string(all[end - 1].at("InstanceType").as_string());
  return out;
}

}  // namespace

void addAccountActions(Ec2Service& service, Ec2Core& core) {
  service.add("DescribeAccountAttributes", [&core](const RequestContext& ctx, json::object in, Reply reply) {
    describeAccountAttributes(core, ctx, in, std::move(reply));
  });
  service.addSync("DescribeInstanceTypes",
                  [](const RequestContext&, const json::object& in) { return describeInstanceTypes(in); });
}

}  // namespace overcast::ec2
