// Key pairs as other EC2 action groups use them (RunInstances installs the public key as
// public-keys/0/openssh-key). Defined in key_pair_actions.cc.
//
// A key pair is a Resource of kind kKeyPair: id = KeyPairId ("key-" + 17 hex), owner = account,
// region; data = its DescribeKeyPairs item without PublicKey (KeyPairId, KeyName,
// KeyFingerprint, KeyType, Tags, CreateTime); meta["PublicKey"] = the OpenSSH public key line
// ("ssh-rsa AAAA... name"). The private key is never stored.
#pragma once

#include <string>
#include <string_view>

#include "services/ec2/resource_registry.h"

namespace overcast::ec2 {

// meta member holding the OpenSSH public key line.
inline constexpr std::string_view kKeyPairPublicKeyMeta = "PublicKey";

// The account's key pair named `name` in `region` (names are unique per account and region);
// null if none.
ResourcePtr findKeyPairByName(const ResourceRegistry& registry, std::string_view account, std::string_view region,
                              std::string_view name);

// The OpenSSH public key line of a key pair resource ("" if it has none).
std::string openSshPublicKey(const Resource& keyPair);

}  // namespace overcast::ec2
