#include "services/sqs/queue.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/hex.h"
#include "services/sqs/model/names.h"

namespace overcast::sqs {

std::string hexText(const Bytes16& digest) { return toHex(digest); }

std::optional<Bytes16> parseHex16(std::string_view hex) {
  if (hex.size() != 32) return std::nullopt;
  Bytes16 out{};
  for (size_t i = 0; i < 16; ++i) {
    int hi = hexDigitValue(hex[2 * i]), lo = hexDigitValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return out;
}

std::string messageIdText(const Bytes16& id) { return uuidText(id); }

std::optional<Bytes16> parseMessageId(std::string_view text) {
  char hex[32];
  size_t n = 0;
  for (char c : text) {
    if (c == '-') continue;
    if (n == sizeof hex) return std::nullopt;
    hex[n++] = c;
  }
  return parseHex16(std::string_view(hex, n));
}

Queue::Queue(QueueIdentity identity, QueueSettings settings, std::map<std::string, std::string> tags, Millis createdAt,
             Millis modifiedAt, std::atomic<int64_t>* cachedBodyBytes)
    : identity_(std::move(identity)),
      createdAt_(createdAt),
      cachedBodyBytes_(cachedBodyBytes),
      settings_(std::make_shared<const QueueSettings>(std::move(settings))),
      tags_(std::move(tags)),
      modifiedAt_(modifiedAt) {}

std::string Queue::arn() const { return queueArn(identity_.region, identity_.accountId, identity_.name); }

std::shared_ptr<const QueueSettings> Queue::settings() const {
  std::lock_guard lock(mu_);
  return settings_;
}

void Queue::setSettings(QueueSettings settings, Millis modifiedAt) {
  std::lock_guard lock(mu_);
  settings_ = std::make_shared<const QueueSettings>(std::move(settings));
  modifiedAt_ = modifiedAt;
}

std::map<std::string, std::string> Queue::tags() const {
  std::lock_guard lock(mu_);
  return tags_;
}

void Queue::setTags(std::map<std::string, std::string> tags) {
  std::lock_guard lock(mu_);
  tags_ = std::move(tags);
}

Millis Queue::modifiedAt() const {
  std::lock_guard lock(mu_);
  return modifiedAt_;
}

int64_t Queue::nextSequence() {
  std::lock_guard lock(mu_);
  return nextSequence_++;
}

void Queue::add(MessageMeta meta) {
  std::lock_guard lock(mu_);
  if (meta.sequence >= nextSequence_) nextSequence_ = meta.sequence + 1;
  // New messages come in sequence order and mostly in visibility order: at the end, a hinted
  // insert costs no descent through the tree (a wrong hint only costs the normal one).
  if (!meta.deleting) order_.emplace_hint(order_.end(), meta.visibleAt, meta.sequence);
  messages_.emplace_hint(messages_.end(), meta.sequence, std::move(meta));
}

Received Queue::take(MessageMeta& meta, Millis now, Millis visibilityMs, const std::function<uint64_t()>& nonce) {
  ++meta.receiveCount;
  if (meta.firstReceiveAt == 0) meta.firstReceiveAt = now;
  meta.receivedAt = now;
  meta.visibleAt = now + visibilityMs;
  meta.nonce = nonce();
  return Received{meta};
}

Queue::ReceiveOutcome Queue::receive(int max, Millis now, Millis visibilityMs, const std::function<uint64_t()>& nonce,
                                     std::optional<int64_t> maxReceiveCount) {
  ReceiveOutcome out;
  out.received.reserve(static_cast<size_t>(std::clamp(max, 1, 10)));
  std::lock_guard lock(mu_);
  const Millis retentionMs = settings_->messageRetentionPeriod * 1000;
  // Messages that leave instead of being handed out.
  auto leaves = [&](MessageMeta& meta) {
    if (meta.sentAt + retentionMs <= now) {
      meta.deleting = true;
      out.expired.push_back(meta.sequence);
      return true;
    }
    if (maxReceiveCount && meta.receiveCount >= *maxReceiveCount) {
      meta.deleting = true;
      out.deadLetters.push_back(meta);
      return true;
    }
    return false;
  };
  std::vector<int64_t> taken;
  if (settings_->fifoQueue) {
    // One pass in send order: a group is blocked from its first message that is not visible.
    std::set<std::string_view> blocked;
    for (auto& [seq, meta] : messages_) {
      if (static_cast<int>(out.received.size()) >= max) break;
      if (meta.deleting || blocked.count(meta.groupId)) continue;
      if (meta.visibleAt > now) {
        blocked.insert(meta.groupId);
        continue;
      }
      order_.erase({meta.visibleAt, seq});
      if (leaves(meta)) continue;
      out.received.push_back(take(meta, now, visibilityMs, nonce));
    }
  } else {
    auto it = order_.begin();
    while (it != order_.end() && static_cast<int>(out.received.size()) < max && it->first <= now) {
      auto m = messages_.find(it->second);
      it = order_.erase(it);
      if (m == messages_.end() || leaves(m->second)) continue;
      out.received.push_back(take(m->second, now, visibilityMs, nonce));
    }
  }
  for (const auto& r : out.received) order_.emplace(r.meta.visibleAt, r.meta.sequence);
  return out;
}

std::vector<MessageMeta> Queue::takeForMove(int max, Millis now) {
  std::vector<MessageMeta> out;
  std::lock_guard lock(mu_);
  auto it = order_.begin();
  while (it != order_.end() && static_cast<int>(out.size()) < max && it->first <= now) {
    auto m = messages_.find(it->second);
    it = order_.erase(it);
    if (m == messages_.end()) continue;
    m->second.deleting = true;
    out.push_back(m->second);
  }
  return out;
}

int64_t Queue::size() const {
  std::lock_guard lock(mu_);
  return static_cast<int64_t>(order_.size());
}

std::optional<std::pair<Bytes16, int64_t>> Queue::claimDeduplication(const std::string& key, Millis now,
                                                                     const Bytes16& id, int64_t sequence) {
  constexpr Millis kWindowMs = 5 * 60 * 1000;  // AWS: the deduplication interval is 5 minutes
  std::lock_guard lock(mu_);
  if (dedup_.size() > 1024)  // prune expired entries now and then
    std::erase_if(dedup_, [&](const auto& kv) { return now - kv.second.at >= kWindowMs; });
  auto it = dedup_.find(key);
  if (it != dedup_.end() && now - it->second.at < kWindowMs) return std::pair(it->second.id, it->second.sequence);
  dedup_[key] = Dedup{now, id, sequence};
  return std::nullopt;
}

void Queue::releaseDeduplication(const std::string& key, int64_t sequence) {
  std::lock_guard lock(mu_);
  auto it = dedup_.find(key);
  if (it != dedup_.end() && it->second.sequence == sequence) dedup_.erase(it);
}

Queue::HandleState Queue::check(int64_t sequence, int64_t receiveCount, uint64_t nonce) const {
  std::lock_guard lock(mu_);
  auto m = messages_.find(sequence);
  if (m == messages_.end() || m->second.deleting) return HandleState::Gone;
  if (m->second.receiveCount == receiveCount && m->second.nonce == nonce) return HandleState::Current;
  return HandleState::Stale;
}

bool Queue::beginDelete(int64_t sequence) {
  std::lock_guard lock(mu_);
  auto m = messages_.find(sequence);
  if (m == messages_.end() || m->second.deleting) return false;
  order_.erase({m->second.visibleAt, sequence});
  m->second.deleting = true;
  return true;
}

void Queue::finishDelete(int64_t sequence, bool ok) {
  std::lock_guard lock(mu_);
  auto m = messages_.find(sequence);
  if (m == messages_.end()) return;
  if (ok) {
    release(m->second);
    messages_.erase(m);
    return;
  }
  m->second.deleting = false;
  order_.emplace(m->second.visibleAt, sequence);
}

bool Queue::changeVisibility(int64_t sequence, Millis visibleAt) {
  std::lock_guard lock(mu_);
  auto m = messages_.find(sequence);
  if (m == messages_.end() || m->second.deleting) return false;
  order_.erase({m->second.visibleAt, sequence});
  m->second.visibleAt = visibleAt;
  order_.emplace(visibleAt, sequence);
  return true;
}

std::optional<MessageMeta> Queue::find(int64_t sequence) const {
  std::lock_guard lock(mu_);
  auto m = messages_.find(sequence);
  if (m == messages_.end() || m->second.deleting) return std::nullopt;
  return m->second;
}

void Queue::release(const MessageMeta& meta) {
  if (cachedBodyBytes_ && meta.body) cachedBodyBytes_->fetch_sub(static_cast<int64_t>(meta.bodyBytes));
}

void Queue::clear() {
  std::lock_guard lock(mu_);
  for (const auto& [seq, meta] : messages_) release(meta);
  messages_.clear();
  order_.clear();
}

QueueCounts Queue::counts(Millis now) const {
  std::lock_guard lock(mu_);
  QueueCounts c;
  for (const auto& [visibleAt, seq] : order_) {
    if (visibleAt <= now) {
      ++c.visible;
      continue;
    }
    auto m = messages_.find(seq);
    if (m != messages_.end() && m->second.receiveCount > 0) ++c.inFlight;
    else ++c.delayed;
  }
  return c;
}

std::optional<Millis> Queue::nextVisibleAt(Millis now) const {
  std::lock_guard lock(mu_);
  auto it = order_.upper_bound({now, INT64_MAX});
  if (it == order_.end()) return std::nullopt;
  return it->first;
}

}  // namespace overcast::sqs
