// QueueRegistry: the live queues by (account, region, name) and by store id, plus the names
// deleted in the last 60 seconds (AWS refuses to re-create those: QueueDeletedRecently).
// Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "services/sqs/queue.h"

namespace overcast::sqs {

class QueueRegistry {
 public:
  std::shared_ptr<Queue> find(const std::string& account, const std::string& region, const std::string& name) const;
  std::shared_ptr<Queue> findById(int64_t queueId) const;
  // Queues of one account and region whose name starts with `prefix`, by name.
  std::vector<std::shared_ptr<Queue>> list(const std::string& account, const std::string& region,
                                           const std::string& prefix) const;
  std::vector<std::shared_ptr<Queue>> all() const;

  void add(std::shared_ptr<Queue> queue);
  void remove(const Queue& queue, Millis deletedAt);
  // Removes every queue and forgets every deletion (the test-rig reset); returns the queues.
  std::vector<std::shared_ptr<Queue>> clear();
  // When this name was deleted, if within `windowMs` of `now`.
  bool deletedRecently(const std::string& account, const std::string& region, const std::string& name, Millis now,
                       Millis windowMs) const;

 private:
  static std::string key(const std::string& account, const std::string& region, const std::string& name) {
    return account + '\n' + region + '\n' + name;
  }

  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Queue>> byName_;  // GUARDED_BY(mu_); ordered: list() by name
  std::map<int64_t, std::shared_ptr<Queue>> byId_;        // GUARDED_BY(mu_)
  std::map<std::string, Millis> deletedAt_;               // GUARDED_BY(mu_)
};

}  // namespace overcast::sqs
