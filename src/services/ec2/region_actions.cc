// DescribeRegions and DescribeAvailabilityZones.
#include <algorithm>

#include "core/regions.h"
#include "services/ec2/action_groups.h"
#include "services/ec2/model/availability_zones.h"
#include "services/ec2/model/filters.h"

namespace overcast::ec2 {
namespace {

std::string endpointOf(std::string_view region) { return "ec2." + std::string(region) + ".amazonaws.com"; }
std::string optInStatus(const RegionInfo& r) { return r.optIn ? "opted-in" : "opt-in-not-required"; }

Result<api::Output> describeRegions(const json::object& in) {
  auto filters = parseFilters(in, {"endpoint", "region-name", "opt-in-status"});
  if (!filters) return filters.error();
  auto names = stringList(in, "RegionNames");
  for (const auto& n : names)
    if (!findRegion(n)) return Error(ErrorCode::InvalidParameterValue, "Invalid region: " + n);
  json::array regions;
  for (const auto& r : allRegions()) {
    if (!names.empty() && std::find(names.begin(), names.end(), r.name) == names.end()) continue;
    bool keep = matchesAll(*filters, [&](std::string_view f) -> std::vector<std::string> {
      if (f == "region-name") return {std::string(r.name)};
      if (f == "endpoint") return {endpointOf(r.name)};
      return {optInStatus(r)};
    });
    if (!keep) continue;
    regions.push_back(json::object{{"RegionName", r.name}, {"Endpoint", endpointOf(r.name)}, {"OptInStatus", optInStatus(r)}});
  }
  return api::Output{{"Regions", std::move(regions)}};
}

Result<api::Output> describeAvailabilityZones(const Ec2Options& options_, const RequestContext& ctx, const json::object& in) {
  auto filters = parseFilters(in, {"zone-name", "zone-id", "state", "region-name", "group-name", "opt-in-status",
                                   "zone-type", "message", "network-border-group", "group-long-name"});
  if (!filters) return filters.error();
  const RegionInfo* region = findRegion(ctx.region);
  if (!region) return Error(ErrorCode::InvalidParameterValue, "Invalid region: " + ctx.region);
  auto zones = zonesFor(*region, ctx.accountId, options_.uniformAzMapping);
  auto names = stringList(in, "ZoneNames");
  auto ids = stringList(in, "ZoneIds");
  for (const auto& n : names)
    if (std::none_of(zones.begin(), zones.end(), [&](const Zone& z) { return z.name == n; }))
      return Error(ErrorCode::InvalidParameterValue, "The zone '" + n + "' does not exist.");
  for (const auto& id : ids)
    if (std::none_of(zones.begin(), zones.end(), [&](const Zone& z) { return z.id == id; }))
      return Error(ErrorCode::InvalidParameterValue, "The zone id '" + id + "' does not exist.");
  const std::string regionName(region->name);
  const std::string optIn = optInStatus(*region);
  json::array out;
  for (const auto& z : zones) {
    bool listed = (names.empty() && ids.empty()) ||
                  std::find(names.begin(), names.end(), z.name) != names.end() ||
                  std::find(ids.begin(), ids.end(), z.id) != ids.end();
    if (!listed) continue;
    bool keep = matchesAll(*filters, [&](std::string_view f) -> std::vector<std::string> {
      if (f == "zone-name") return {z.name};
      if (f == "zone-id") return {z.id};
      if (f == "state") return {"available"};
      if (f == "region-name" || f == "group-name" || f == "network-border-group" || f == "group-long-name")
        return {regionName};
      if (f == "opt-in-status") return {optIn};
      if (f == "zone-type") return {"availability-zone"};
      return {};
    });
    if (!keep) continue;
    out.push_back(json::object{{"State", "available"},
                               {"OptInStatus", optIn},
                               {"Messages", json::array{}},
                               {"RegionName", regionName},
                               {"ZoneName", z.name},
                               {"ZoneId", z.id},
                               {"GroupName", regionName},
                               {"NetworkBorderGroup", regionName},
                               {"ZoneType", "availability-zone"}});
  }
  return api::Output{{"AvailabilityZones", std::move(out)}};
}


}  // namespace

void addRegionActions(Ec2Service& service, Ec2Core& core) {
  service.addSync("DescribeRegions", [](const RequestContext&, const json::object& in) { return describeRegions(in); });
  service.addSync("DescribeAvailabilityZones", [&core](const RequestContext& ctx, const json::object& in) {
    return describeAvailabilityZones(core.options(), ctx, in);
  });
}

}  // namespace overcast::ec2
