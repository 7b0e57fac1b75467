// EC2: the actions served so far (DescribeRegions, DescribeAvailabilityZones).
#pragma once

#include <memory>

#include "api/service.h"

namespace overcast::ec2 {

struct Ec2Options {
  bool uniformAzMapping = false;  // --uniform-az-mapping
};

std::unique_ptr<api::Service> makeEc2Service(Ec2Options options);

}  // namespace overcast::ec2
