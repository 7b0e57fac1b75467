#include "services/sns/delivery/http_poster.h"
