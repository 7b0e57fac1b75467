// The shapes of account ids and access keys, made from IdGenerator output so they look like
// AWS's and are deterministic under a SequentialIdGenerator. Pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/id_generator.h"

namespace overcast::accounts {

// 12 decimal digits, as every AWS account id.
bool isValidAccountId(std::string_view id);

// A random 12-digit account id.
std::string newAccountId(IdGenerator& ids);

// "AKIA" + 16 characters of base32 (A-Z, 2-7): the alphabet of real access key ids.
std::string newAccessKeyId(IdGenerator& ids);

// 40 characters of base64, like a real secret access key (30 random bytes).
std::string newSecretAccessKey(IdGenerator& ids);

}  // namespace overcast::accounts
