// Instance lifecycle jobs (filled in with the instance actions).
#include "services/ec2/action_groups.h"
