#include "services/sqs/visibility_recorder.h"

#include <vector>

#include "services/sqs/sqs_store.h"

namespace overcast::sqs {

VisibilityRecorder::VisibilityRecorder(store::Store& store, Scheduler& scheduler, std::chrono::milliseconds delay)
    : store_(store), scheduler_(scheduler), delay_(delay) {}

void VisibilityRecorder::record(int64_t queueId, const MessageMeta& meta) {
  bool schedule = false;
  {
    std::lock_guard lock(mu_);
    pending_[Key{queueId, meta.sequence}] = State{meta.visibleAt, meta.receiveCount, meta.firstReceiveAt};
    if (!flushScheduled_) flushScheduled_ = schedule = true;
  }
  if (schedule) scheduler_.runAfter(delay_, [this] { flush(); });
}

void VisibilityRecorder::forget(int64_t queueId, int64_t sequence) {
  std::lock_guard lock(mu_);
  pending_.erase(Key{queueId, sequence});
}

void VisibilityRecorder::flush() {
  struct Row {
    int64_t queueId;
    MessageMeta meta;
  };
  std::lock_guard flushing(flushMu_);
  auto rows = std::make_shared<std::vector<Row>>();
  {
    std::lock_guard lock(mu_);
    flushScheduled_ = false;
    rows->reserve(pending_.size());
    for (const auto& [key, state] : pending_) {
      Row row{key.queueId, {}};
      row.meta.sequence = key.sequence;
      row.meta.visibleAt = state.visibleAt;
      row.meta.receiveCount = state.receiveCount;
      row.meta.firstReceiveAt = state.firstReceiveAt;
      rows->push_back(std::move(row));
    }
    pending_.clear();
  }
  if (rows->empty()) return;
  // A later record() of the same message goes out in a later flush (flushes are serialized),
  // and the writer applies writes in the order they were submitted.
  store_.write(
      [rows](store::WriteTxn& txn) -> Result<void> {
        for (const auto& r : *rows)
          if (auto done = recordVisibility(txn, r.queueId, r.meta); !done) return done;
        return {};
      },
      [](Result<void>) {});
}

size_t VisibilityRecorder::pending() const {
  std::lock_guard lock(mu_);
  return pending_.size();
}

}  // namespace overcast::sqs
