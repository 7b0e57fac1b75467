#include "services/sns/model/filter_policy.h"
