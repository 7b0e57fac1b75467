// Queue: one SQS queue's in-memory state — settings, tags, and the index of its messages
// (metadata only; bodies live in the store, with a bounded cache). The store is the source of
// truth: the index is rebuilt from it at start, and changes reach it only after they are
// durable (sends, deletes) or lazily (receives, visibility changes: a crash can only make a
// received message visible early, never lose one).
//
// Threads: every method takes the queue's mutex; callers never hold it across a store call.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "services/sqs/model/md5.h"
#include "services/sqs/model/queue_attributes.h"

namespace overcast::sqs {

using Millis = int64_t;  // milliseconds since the Unix epoch

inline Millis toMillis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

using Bytes16 = std::array<uint8_t, 16>;

// What the index keeps per message: compact (about 300 bytes with the index nodes), so a
// million queued messages fit in memory without their bodies.
struct MessageMeta {
  int64_t sequence = 0;
  Bytes16 messageId{};         // a UUID; text form by messageIdText()
  Millis sentAt = 0;
  Millis visibleAt = 0;        // when it may be received (delay, or end of visibility timeout)
  Millis firstReceiveAt = 0;   // 0: never received
  Millis receivedAt = 0;       // the current receive (the 12-hour visibility cap counts from it)
  int32_t receiveCount = 0;
  uint32_t bodyBytes = 0;
  uint64_t nonce = 0;          // of the current receive (matches the live receipt handle)
  Bytes16 md5OfBody{};
  Bytes16 md5OfAttributes{};
  bool hasAttributes = false;
  bool deleting = false;       // a delete is on its way to the store
  std::string senderId;
  std::string groupId;         // FIFO
  std::string dedupId;         // FIFO: as given, or the body's SHA-256 (content-based)
  int64_t deadLetterSource = 0;  // in a dead-letter queue: the queue id it came from
  std::string traceHeader;       // the AWSTraceHeader system attribute, if sent with one
  std::shared_ptr<const std::string> body;              // cached; null when evicted (in the store)
  std::shared_ptr<const MessageAttributes> attributes;  // cached; null when none or evicted
};

std::string messageIdText(const Bytes16& id);     // "8-4-4-4-12" UUID text
std::optional<Bytes16> parseMessageId(std::string_view text);
std::string hexText(const Bytes16& digest);       // 32 lowercase hex digits
std::optional<Bytes16> parseHex16(std::string_view hex);

// A message handed out by receive(): a snapshot of its metadata at that moment.
struct Received {
  MessageMeta meta;
};

struct QueueIdentity {
  int64_t queueId = 0;
  std::string accountId;
  std::string region;
  std::string name;
};

struct QueueCounts {
  int64_t visible = 0;
  int64_t inFlight = 0;
  int64_t delayed = 0;
};

class Queue {
 public:
  // `cachedBodyBytes` (may be null) is the service-wide count of body bytes held in memory;
  // the queue subtracts what it releases.
  Queue(QueueIdentity identity, QueueSettings settings, std::map<std::string, std::string> tags, Millis createdAt,
        Millis modifiedAt, std::atomic<int64_t>* cachedBodyBytes = nullptr);

  const QueueIdentity& identity() const { return identity_; }
  std::string arn() const;

  // The current settings: an immutable snapshot, shared (hot paths read it on every request).
  std::shared_ptr<const QueueSettings> settings() const;
  void setSettings(QueueSettings settings, Millis modifiedAt);
  std::map<std::string, std::string> tags() const;
  void setTags(std::map<std::string, std::string> tags);
  Millis createdAt() const { return createdAt_; }
  Millis modifiedAt() const;

  // The next message sequence number (unique, increasing; gaps allowed).
  int64_t nextSequence();

  // Adds a durable message to the index (after its insert committed).
  void add(MessageMeta meta);

  struct ReceiveOutcome {
    std::vector<Received> received;
    std::vector<int64_t> expired;          // past retention: to delete from the store
    std::vector<MessageMeta> deadLetters;  // received maxReceiveCount times: to move to the DLQ
  };
  // Takes up to `max` visible messages at `now`, making each invisible until now + visibility,
  // with a new receive nonce from `nonce()`. Standard queues hand out by visibility time;
  // FIFO queues by sequence, skipping every group that has a message in flight or not yet
  // visible ahead of it. A message already received `maxReceiveCount` times (the queue's
  // RedrivePolicy) is not handed out but returned for the dead-letter queue. Expired and
  // dead-lettered messages are marked deleting; the caller finishes them with finishDelete.
  ReceiveOutcome receive(int max, Millis now, Millis visibilityMs, const std::function<uint64_t()>& nonce,
                         std::optional<int64_t> maxReceiveCount = std::nullopt);

  // FIFO deduplication (5 minutes). If `key` was claimed within the window, returns that
  // message's (id, sequence); else claims it for (id, sequence) and returns nullopt.
  std::optional<std::pair<Bytes16, int64_t>> claimDeduplication(const std::string& key, Millis now, const Bytes16& id,
                                                                int64_t sequence);
  void releaseDeduplication(const std::string& key, int64_t sequence);

  // Takes up to `max` visible messages out of the queue for a move task (marked deleting;
  // the caller finishes them with finishDelete).
  std::vector<MessageMeta> takeForMove(int max, Millis now);
  int64_t size() const;  // messages not being deleted

  enum class HandleState { Current, Stale, Gone };
  // Whether (sequence, receiveCount, nonce) names the message's live receive.
  HandleState check(int64_t sequence, int64_t receiveCount, uint64_t nonce) const;

  // Marks the message as being deleted (it is no longer handed out). False if absent.
  bool beginDelete(int64_t sequence);
  // After the delete committed (or failed: `ok` false puts it back).
  void finishDelete(int64_t sequence, bool ok);

  // Sets the message's visibility deadline to now + visibilityMs. Errors are the caller's to
  // decide (it checks state first); returns false if the message is gone.
  bool changeVisibility(int64_t sequence, Millis visibleAt);
  std::optional<MessageMeta> find(int64_t sequence) const;

  // Removes everything (purge committed).
  void clear();
  QueueCounts counts(Millis now) const;
  // The earliest future time at which some message becomes visible, if any.
  std::optional<Millis> nextVisibleAt(Millis now) const;


 private:
  using Slot = std::pair<Millis, int64_t>;  // (visibleAt, sequence): receive order

  void release(const MessageMeta& meta);  // REQUIRES: mu_ held

  const QueueIdentity identity_;
  const Millis createdAt_;
  std::atomic<int64_t>* cachedBodyBytes_;
  mutable std::mutex mu_;
  std::shared_ptr<const QueueSettings> settings_;  // GUARDED_BY(mu_)
  std::map<std::string, std::string> tags_;      // GUARDED_BY(mu_)
  Millis modifiedAt_;                            // GUARDED_BY(mu_)
  int64_t nextSequence_ = 1;                     // GUARDED_BY(mu_)
  std::map<int64_t, MessageMeta> messages_;      // GUARDED_BY(mu_)
  std::set<Slot> order_;                         // GUARDED_BY(mu_): messages not being deleted
  struct Dedup {
    Millis at;
    Bytes16 id;
    int64_t sequence;
  };
  std::map<std::string, Dedup> dedup_;           // GUARDED_BY(mu_)

  // Marks `meta` received at `now` (REQUIRES: mu_ held).
  Received take(MessageMeta& meta, Millis now, Millis visibilityMs, const std::function<uint64_t()>& nonce);
};

}  // namespace overcast::sqs
