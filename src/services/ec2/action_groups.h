// The EC2 action groups: each adds its actions to the service. One file each.
#pragma once

#include "services/ec2/ec2_core.h"

namespace overcast::ec2 {

void addRegionActions(Ec2Service& service, Ec2Core& core);     // region_actions.cc
void addTagActions(Ec2Service& service, Ec2Core& core);        // tag_actions.cc
// CreateKeyPair, ImportKeyPair, DescribeKeyPairs, DeleteKeyPair
void addKeyPairActions(Ec2Service& service, Ec2Core& core);    // key_pair_actions.cc
// DescribeImages, RegisterImage, DeregisterImage, CopyImage, CreateImage, Describe/ModifyImageAttribute
void addImageActions(Ec2Service& service, Ec2Core& core);      // image_actions.cc
// RunInstances, Start/Stop/Reboot/TerminateInstances, DescribeInstances, DescribeInstanceStatus,
// Describe/ModifyInstanceAttribute, and the lifecycle jobs
void addInstanceActions(Ec2Service& service, Ec2Core& core);   // instance_actions.cc
// DescribeVpcs, DescribeSubnets, DescribeInternetGateways, security groups
void addVpcActions(Ec2Service& service, Ec2Core& core);        // vpc_actions.cc
// DescribeAccountAttributes, DescribeInstanceTypes
void addAccountActions(Ec2Service& service, Ec2Core& core);    // account_actions.cc

}  // namespace overcast::ec2
