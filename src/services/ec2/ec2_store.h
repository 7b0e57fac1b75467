// The ec2_resources table (docs/formats.md, migration 7): one row per resource, its data and
// meta as one JSON document {"data": {...}, "meta": {...}}.
#pragma once

#include <vector>

#include "core/result.h"
#include "services/ec2/resource.h"
#include "store/store.h"

namespace overcast::ec2 {

Result<std::vector<ResourcePtr>> loadResources(store::ReadTxn& txn);
Result<void> saveResource(store::WriteTxn& txn, const Resource& r);
Result<void> deleteResource(store::WriteTxn& txn, const ResourceKey& key);
// Deletes every resource of the accounts (not the platform's): the test-rig reset.
Result<void> deleteAccountResources(store::WriteTxn& txn);

}  // namespace overcast::ec2
