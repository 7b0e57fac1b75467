#include "services/sns/model/message_signing.h"
