#include "services/sqs/queue_registry.h"

namespace overcast::sqs {

std::shared_ptr<Queue> QueueRegistry::find(const std::string& account, const std::string& region,
                                           const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = byName_.find(key(account, region, name));
  return it == byName_.end() ? nullptr : it->second;
}

std::shared_ptr<Queue> QueueRegistry::findById(int64_t queueId) const {
  std::lock_guard lock(mu_);
  auto it = byId_.find(queueId);
  return it == byId_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<Queue>> QueueRegistry::list(const std::string& account, const std::string& region,
                                                        const std::string& prefix) const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<Queue>> out;
  const std::string from = key(account, region, prefix);
  for (auto it = byName_.lower_bound(from); it != byName_.end() && it->first.starts_with(from); ++it)
    out.push_back(it->second);
  return out;
}

std::vector<std::shared_ptr<Queue>> QueueRegistry::all() const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<Queue>> out;
  for (const auto& [id, q] : byId_) out.push_back(q);
  return out;
}

void QueueRegistry::add(std::shared_ptr<Queue> queue) {
  const auto& id = queue->identity();
  std::lock_guard lock(mu_);
  deletedAt_.erase(key(id.accountId, id.region, id.name));
  byId_[id.queueId] = queue;
  byName_[key(id.accountId, id.region, id.name)] = std::move(queue);
}

void QueueRegistry::remove(const Queue& queue, Millis deletedAt) {
  const auto& id = queue.identity();
  std::lock_guard lock(mu_);
  byName_.erase(key(id.accountId, id.region, id.name));
  byId_.erase(id.queueId);
  deletedAt_[key(id.accountId, id.region, id.name)] = deletedAt;
}

std::vector<std::shared_ptr<Queue>> QueueRegistry::clear() {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<Queue>> out;
  for (auto& [id, q] : byId_) out.push_back(q);
  byName_.clear();
  byId_.clear();
  deletedAt_.clear();
  return out;
}

bool QueueRegistry::deletedRecently(const std::string& account, const std::string& region, const std::string& name,
                                    Millis now, Millis windowMs) const {
  std::lock_guard lock(mu_);
  auto it = deletedAt_.find(key(account, region, name));
  return it != deletedAt_.end() && now - it->second < windowMs;
}

}  // namespace overcast::sqs
