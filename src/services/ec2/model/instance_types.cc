#include "services/ec2/model/instance_types.h"

#include <algorithm>
#include <array>

namespace overcast::ec2 {
namespace {

// vCPUs and memory as AWS's DescribeInstanceTypes reports them.
constexpr std::array kTypes = {
    InstanceType{"t1.micro", 1, 627, "i386 x86_64", false, false, "hvm paravirtual"},
    InstanceType{"m1.small", 1, 1740, "i386 x86_64", false, false, "hvm paravirtual"},
    InstanceType{"m1.medium", 1, 3788, "i386 x86_64", false, false, "hvm paravirtual"},
    InstanceType{"m1.large", 2, 7680, "x86_64", false, false, "hvm paravirtual"},
    InstanceType{"t2.nano", 1, 512, "i386 x86_64", true, true, "hvm"},
    InstanceType{"t2.micro", 1, 1024, "i386 x86_64", true, true, "hvm"},
    InstanceType{"t2.small", 1, 2048, "i386 x86_64", true, true, "hvm"},
    InstanceType{"t2.medium", 2, 4096, "i386 x86_64", true, true, "hvm"},
    InstanceType{"t2.large", 2, 8192, "x86_64", true, true, "hvm"},
    InstanceType{"t2.xlarge", 4, 16384, "x86_64", true, true, "hvm"},
    InstanceType{"t2.2xlarge", 8, 32768, "x86_64", true, true, "hvm"},
    InstanceType{"t3.nano", 2, 512, "x86_64", true, true, "hvm"},
    InstanceType{"t3.micro", 2, 1024, "x86_64", true, true, "hvm"},
    InstanceType{"t3.small", 2, 2048, "x86_64", true, true, "hvm"},
    InstanceType{"t3.medium", 2, 4096, "x86_64", true, true, "hvm"},
    InstanceType{"t3.large", 2, 8192, "x86_64", true, true, "hvm"},
    InstanceType{"t3.xlarge", 4, 16384, "x86_64", true, true, "hvm"},
    InstanceType{"t3.2xlarge", 8, 32768, "x86_64", true, true, "hvm"},
    InstanceType{"t4g.micro", 2, 1024, "arm64", true, true, "hvm"},
    InstanceType{"t4g.small", 2, 2048, "arm64", true, true, "hvm"},
    InstanceType{"m5.large", 2, 8192, "x86_64", false, true, "hvm"},
    InstanceType{"m5.xlarge", 4, 16384, "x86_64", false, true, "hvm"},
    InstanceType{"m5.2xlarge", 8, 32768, "x86_64", false, true, "hvm"},
    InstanceType{"m5.4xlarge", 16, 65536, "x86_64", false, true, "hvm"},
    InstanceType{"c5.large", 2, 4096, "x86_64", false, true, "hvm"},
    InstanceType{"c5.xlarge", 4, 8192, "x86_64", false, true, "hvm"},
    InstanceType{"c5.2xlarge", 8, 16384, "x86_64", false, true, "hvm"},
    InstanceType{"c5.4xlarge", 16, 32768, "x86_64", false, true, "hvm"},
    InstanceType{"r5.large", 2, 16384, "x86_64", false, true, "hvm"},
    InstanceType{"r5.xlarge", 4, 32768, "x86_64", false, true, "hvm"},
};

}  // namespace

std::span<const InstanceType> instanceTypes() { return kTypes; }

const InstanceType* findInstanceType(std::string_view name) {
  auto it = std::find_if(kTypes.begin(), kTypes.end(), [&](const InstanceType& t) { return t.name == name; });
  return it == kTypes.end() ? nullptr : &*it;
}

bool isStandardFamily(std::string_view name) {
  if (name.empty()) return false;
  return std::string_view("acdhimrtz").find(name[0]) != std::string_view::npos;
}

}  // namespace overcast::ec2
