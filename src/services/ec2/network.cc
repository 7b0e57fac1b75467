// The default VPC, subnets, addresses and security groups of launches (network.h).
#include "services/ec2/network.h"
