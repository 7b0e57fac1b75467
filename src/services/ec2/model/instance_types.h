// The instance types overcast offers, with AWS's vCPUs and memory (DescribeInstanceTypes;
// shared/docs/aws-reference.md §B8). Pure.
#pragma once

#include <span>
#include <string_view>

namespace overcast::ec2 {

struct InstanceType {
  std::string_view name;           // "t3.micro"
  int vcpus;
  int memoryMiB;
  std::string_view architectures;  // space-separated: "i386 x86_64"
  bool burstable;
  bool currentGeneration;
  std::string_view virtualization; // space-separated: "hvm paravirtual"
};

std::span<const InstanceType> instanceTypes();
const InstanceType* findInstanceType(std::string_view name);
// Whether the type counts against the "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z)
// instances" vCPU quota (L-1216C47A).
bool isStandardFamily(std::string_view name);

}  // namespace overcast::ec2
