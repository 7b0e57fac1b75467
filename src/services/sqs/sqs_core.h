// SqsCore: the SQS actions and the state they share. Internal to src/services/sqs; the action
// groups live in their own files (queue_actions.cc, send_actions.cc, receive_actions.cc,
// message_actions.cc).
#pragma once

#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <vector>
#include <list>
#include <memory>
#include <mutex>

#include <boost/json/object.hpp>

#include "api/input.h"
#include "api/service.h"
#include "core/clock.h"
#include "core/id_generator.h"
#include "core/scheduler.h"
#include "services/sqs/queue_registry.h"
#include "services/sqs/visibility_recorder.h"
#include "services/sqs/sqs_service.h"
#include "store/store.h"

namespace overcast::sqs {

namespace json = boost::json;
using api::Output;
using api::Reply;

// A ReceiveMessage waiting for messages (long polling).
struct Waiter {
  RequestContext ctx;
  json::object input;
  std::shared_ptr<Queue> queue;
  int max = 1;
  Millis visibilityMs = 0;
  Millis deadline = 0;
  Reply reply;
  std::mutex mu;      // serializes serving and timing out
  bool done = false;  // GUARDED_BY(mu)
};

class SqsCore {
 public:
  SqsCore(store::Store& store, Scheduler& scheduler, const Clock& clock, IdGenerator& ids, SqsOptions options);

  Result<void> load();

  // Queues (queue_actions.cc)
  void createQueue(const RequestContext& ctx, const json::object& in, Reply reply);
  // Replaces the queue's settings durably (SetQueueAttributes, Add/RemovePermission).
  void storeSettings(const std::shared_ptr<Queue>& queue, QueueSettings settings, Millis now, Reply reply);
  void storeTags(const std::shared_ptr<Queue>& queue, std::map<std::string, std::string> tags, Reply reply);
  Result<Output> getQueueUrl(const RequestContext& ctx, const json::object& in);
  Result<Output> listQueues(const RequestContext& ctx, const json::object& in);
  void deleteQueue(const RequestContext& ctx, const json::object& in, Reply reply);
  void purgeQueue(const RequestContext& ctx, const json::object& in, Reply reply);
  // Deletes every queue of every account, with their messages and move tasks (Service::reset).
  void reset(std::function<void(Result<void>)> done);
  Result<Output> getQueueAttributes(const RequestContext& ctx, const json::object& in);
  void setQueueAttributes(const RequestContext& ctx, const json::object& in, Reply reply);
  void tagQueue(const RequestContext& ctx, const json::object& in, Reply reply);
  void untagQueue(const RequestContext& ctx, const json::object& in, Reply reply);
  Result<Output> listQueueTags(const RequestContext& ctx, const json::object& in);
  Result<Output> listDeadLetterSourceQueues(const RequestContext& ctx, const json::object& in);
  void addPermission(const RequestContext& ctx, const json::object& in, Reply reply);
  // Dead-letter queues and move tasks (redrive_actions.cc)
  void startMessageMoveTask(const RequestContext& ctx, const json::object& in, Reply reply);
  Result<Output> listMessageMoveTasks(const RequestContext& ctx, const json::object& in);
  Result<Output> cancelMessageMoveTask(const RequestContext& ctx, const json::object& in);
  // A RedrivePolicy must name an existing queue of the same account, region and type whose
  // RedriveAllowPolicy lets `sourceArn` in. Error InvalidParameterValue.
  Result<void> checkRedrivePolicy(const RequestContext& ctx, const QueueSettings& settings,
                                  const std::string& sourceArn) const;
  void removePermission(const RequestContext& ctx, const json::object& in, Reply reply);

  // Sending (send_actions.cc)
  void sendMessage(const RequestContext& ctx, const json::object& in, Reply reply);
  void sendMessageBatch(const RequestContext& ctx, const json::object& in, Reply reply);
  // SNS deliveries into queues (SqsDelivery, sqs_service.h).
  void deliverFromTopic(std::vector<TopicDelivery> deliveries, std::function<void(std::vector<Result<void>>)> done);

  // Receiving and long polling (receive_actions.cc)
  void receiveMessage(const RequestContext& ctx, json::object in, Reply reply);

  // Deleting and visibility (message_actions.cc)
  void deleteMessage(const RequestContext& ctx, const json::object& in, Reply reply);
  void deleteMessageBatch(const RequestContext& ctx, const json::object& in, Reply reply);
  Result<Output> changeMessageVisibility(const RequestContext& ctx, const json::object& in);
  Result<Output> changeMessageVisibilityBatch(const RequestContext& ctx, const json::object& in);

  // Shared helpers
  // The queue named by the input's QueueUrl, if the caller may call ctx.action on it: its owner
  // (unless the queue policy denies), or another account the policy allows.
  Result<std::shared_ptr<Queue>> queueOf(const RequestContext& ctx, const json::object& in) const;
  Result<std::shared_ptr<Queue>> authorizedQueue(const RequestContext& ctx, const std::string& owner,
                                                 const std::string& name) const;
  std::string urlOf(const RequestContext& ctx, const Queue& queue) const;
  Millis now() const { return toMillis(clock_.now()); }
  // Wakes long-polling receivers of `queue` that can now be served.
  void wakeWaiters(const std::shared_ptr<Queue>& queue);
  // Whether a new message body of `bytes` may stay in memory (and counts it if so).
  bool reserveBody(size_t bytes);

  store::Store& store() { return store_; }
  // Writes the lazily recorded receives and visibility changes now (on shutdown).
  void flushLazyRecords() { visibility_.flush(); }
  IdGenerator& ids() { return ids_; }

 private:
  // The queue a topic delivers to, if it may (TopicDelivery's rules).
  Result<std::shared_ptr<Queue>> topicTarget(const TopicDelivery& delivery) const;
  // SendMessage into a queue already found and authorized.
  void sendToQueue(const RequestContext& ctx, const std::shared_ptr<Queue>& queue, const json::object& in, Reply reply);
  // receive_actions.cc
  bool tryServe(const std::shared_ptr<Waiter>& waiter);
  void finishWaiter(const std::shared_ptr<Waiter>& waiter, Result<Output> result);
  Result<Output> buildReceiveOutput(const RequestContext& ctx, const Queue& queue, const json::object& in,
                                    std::vector<Received>& received);
  void forgetExpired(const std::shared_ptr<Queue>& queue, std::vector<int64_t> expired);
  // Moves messages past their queue's maxReceiveCount to its dead-letter queue (durably; the
  // message keeps its id, body, attributes, sent time and receive count).
  void moveToDeadLetterQueue(const std::shared_ptr<Queue>& source, std::vector<MessageMeta> metas);
  void scheduleCheck(const std::shared_ptr<Queue>& queue, Millis deadline);

  store::Store& store_;
  Scheduler& scheduler_;
  const Clock& clock_;
  IdGenerator& ids_;
  const SqsOptions options_;
  QueueRegistry registry_;
  std::atomic<int64_t> cachedBodyBytes_{0};
  VisibilityRecorder visibility_;  // receives and visibility changes, recorded lazily

  std::mutex waitMu_;
  std::map<int64_t, std::list<std::shared_ptr<Waiter>>> waiters_;  // GUARDED_BY(waitMu_), by queue id

  struct MoveTask;
  void runMoveTask(const std::shared_ptr<MoveTask>& task);
  void recordMoveTask(const std::shared_ptr<MoveTask>& task);
  // Restores the recorded tasks and resumes those that were running (at start, after queues).
  Result<void> loadMoveTasks(store::ReadTxn& txn);
  // Moves `metas` (taken out of `from`) into `to` now, and records the move in the store.
  void transfer(const std::shared_ptr<Queue>& from, const std::shared_ptr<Queue>& to, std::vector<MessageMeta> metas,
                bool intoDeadLetterQueue);

  std::mutex taskMu_;
  std::vector<std::shared_ptr<MoveTask>> moveTasks_;  // GUARDED_BY(taskMu_), oldest first

  std::mutex purgeMu_;
  std::map<int64_t, Millis> lastPurge_;  // GUARDED_BY(purgeMu_)
};

// A batch's Entries: present, at most 10, ids distinct and of 1-80 [A-Za-z0-9_-]. `entryName`
// names the entry shape in the empty-batch message. Errors: EmptyBatchRequest,
// TooManyEntriesInBatchRequest, InvalidBatchEntryId, BatchEntryIdsNotDistinct.
Result<const json::array*> batchEntries(const json::object& in, std::string_view entryName);

// FIFO sequence numbers as AWS writes them: a long decimal string.
std::string fifoSequenceNumber(int64_t sequence);

// Input helpers
using api::intOf;
using api::stringMapOf;
using api::stringOf;
using api::stringsOf;

}  // namespace overcast::sqs
