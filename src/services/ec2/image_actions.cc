// Image actions (stub: filled in by its owner).
#include "services/ec2/action_groups.h"

namespace overcast::ec2 {

void addImageActions(Ec2Service& service, Ec2Core& core) {
  (void)service;
  (void)core;
}

}  // namespace overcast::ec2
