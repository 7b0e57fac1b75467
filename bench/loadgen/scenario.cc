#include "scenario.h"

namespace overcast::bench {

namespace {

// boto3 sends query-protocol forms with this exact Content-Type.
constexpr std::string_view kForm = "application/x-www-form-urlencoded; charset=utf-8";

constexpr Scenario kScenarios[] = {
    {
        .name = "sts-get-caller-identity",
        .description = "STS GetCallerIdentity (query protocol, SigV4 scope sts)",
        .method = "POST",
        .target = "/",
        .service = "sts",
        .contentType = kForm,
        .body = "Action=GetCallerIdentity&Version=2011-06-15",
    },
    {
        .name = "ec2-describe-availability-zones",
        .description = "EC2 DescribeAvailabilityZones (EC2 query protocol, SigV4 scope ec2)",
        .method = "POST",
        .target = "/",
        .service = "ec2",
        .contentType = kForm,
        .body = "Action=DescribeAvailabilityZones&Version=2016-11-15",
    },
    {
        .name = "raw-get",
        .description = "GET / unsigned: the HTTP ceiling (nginx, overcast-fixed-server)",
        .method = "GET",
        .target = "/",
    },
};

}  // namespace

std::span<const Scenario> scenarios() { return kScenarios; }

const Scenario* findScenario(std::string_view name) {
  for (const auto& scenario : kScenarios)
    if (scenario.name == name) return &scenario;
  return nullptr;
}

}  // namespace overcast::bench
