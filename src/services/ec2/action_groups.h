// The EC2 action groups: each adds its actions to the service. One file each.
#pragma once

#include "services/ec2/ec2_core.h"

namespace overcast::ec2 {

void addRegionActions(Ec2Service& service, Ec2Core& core);     // region_actions.cc
void addTagActions(Ec2Service& service, Ec2Core& core);        // tag_actions.cc

}  // namespace overcast::ec2
