#include "services/sns/delivery/mailer.h"
