// The SNS tables (docs/formats.md, migration 6): topics and subscriptions, with attributes and
// tags as JSON objects of strings. Functions over the caller's transaction.
#pragma once

#include <optional>
#include <vector>

#include "core/result.h"
#include "services/sns/topic_registry.h"
#include "store/store.h"

namespace overcast::sns {

struct SnsRows {
  std::vector<Topic> topics;
  std::vector<Subscription> subscriptions;
};

Result<SnsRows> loadSns(store::ReadTxn& txn);
// One subscription row, if there is one.
Result<std::optional<Subscription>> loadSubscription(store::ReadTxn& txn, const std::string& arn);
Result<void> upsertTopic(store::WriteTxn& txn, const Topic& topic);
Result<void> deleteTopicRows(store::WriteTxn& txn, const std::string& topicArn);
Result<void> upsertSubscription(store::WriteTxn& txn, const Subscription& s);
Result<void> deleteSubscriptionRow(store::WriteTxn& txn, const std::string& arn);

}  // namespace overcast::sns
