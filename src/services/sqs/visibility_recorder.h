// VisibilityRecorder: writes the lazily recorded part of a message's state (when it becomes
// visible again, its receive count, its first receive) a batch at a time, a short delay after
// the change. The contract (issue 3, docs/services/sqs.md): receives and visibility changes may
// be recorded lazily, because a crash can then only make a received message visible early,
// never lose it. Most messages are deleted within moments of their receive; a delete takes the
// pending record back, so such a message costs no UPDATE at all.
//
// Threads: every method from any thread. The flush runs as one store write on the scheduler.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "core/scheduler.h"
#include "services/sqs/queue.h"
#include "store/store.h"

namespace overcast::sqs {

class VisibilityRecorder {
 public:
  static constexpr std::chrono::milliseconds kDefaultDelay{200};

  VisibilityRecorder(store::Store& store, Scheduler& scheduler, std::chrono::milliseconds delay = kDefaultDelay);

  // Records `meta`'s visibility, receive count and first receive, replacing anything pending
  // for the same message.
  void record(int64_t queueId, const MessageMeta& meta);
  // The message is being deleted: its pending record need not be written.
  void forget(int64_t queueId, int64_t sequence);
  // Hands everything pending to the store now (also the scheduled flush, and on shutdown).
  void flush();

  size_t pending() const;

 private:
  struct Key {
    int64_t queueId;
    int64_t sequence;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      return std::hash<int64_t>{}(k.queueId * 1000003 ^ k.sequence);
    }
  };
  struct State {
    Millis visibleAt = 0;
    int32_t receiveCount = 0;
    Millis firstReceiveAt = 0;
  };

  store::Store& store_;
  Scheduler& scheduler_;
  const std::chrono::milliseconds delay_;
  std::mutex flushMu_;  // one flush at a time: an older state is never submitted after a newer one
  mutable std::mutex mu_;
  std::unordered_map<Key, State, KeyHash> pending_;  // GUARDED_BY(mu_)
  bool flushScheduled_ = false;                      // GUARDED_BY(mu_)
};

}  // namespace overcast::sqs
