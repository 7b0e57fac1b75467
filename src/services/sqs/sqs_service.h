// SQS: durable queues over the query and JSON protocols (one service; the protocol layer picks
// the wire format). See docs/services/sqs.md for what is implemented and its limitations.
#pragma once

#include <functional>
#include <memory>
#include <vector>
#include <string>

#include <boost/json/object.hpp>

#include "api/service.h"
#include "core/clock.h"
#include "core/id_generator.h"
#include "core/result.h"
#include "core/scheduler.h"
#include "store/store.h"

namespace overcast::sqs {

struct SqsOptions {
  // Queue URLs are "<scheme>://<host>/<account>/<name>"; the host is this when set, else the
  // Host header of the request that asks for the URL.
  std::string queueUrlHost;
  // Message bodies kept in memory, service-wide; beyond it bodies are read from the store.
  int64_t bodyCacheBytes = 64LL * 1024 * 1024;
};

// A message an SNS topic sends into a queue.
struct TopicDelivery {
  std::string queueArn;
  std::string topicArn;
  std::string topicOwner;      // the topic's account
  boost::json::object input;   // SendMessage's input: MessageBody, MessageAttributes, MessageGroupId...
  TimePoint now;
};

// What the SNS service uses to deliver into queues.
class SqsDelivery {
 public:
  virtual ~SqsDelivery() = default;
  // Sends every delivery durably, in one transaction; `done` (any thread) once they are stored
  // and receivable, with one result per delivery, in order. A queue of the topic's own
  // account always accepts; another account's queue only where its policy allows the service
  // principal sns.amazonaws.com with aws:SourceArn = the topic. Errors: QueueDoesNotExist,
  // AccessDenied, or SendMessage's own (e.g. a FIFO queue needs a group id).
  virtual void deliverFromTopic(std::vector<TopicDelivery> deliveries,
                                std::function<void(std::vector<Result<void>>)> done) = 0;
  // One delivery.
  void deliverOne(TopicDelivery delivery, std::function<void(Result<void>)> done) {
    std::vector<TopicDelivery> one;
    one.push_back(std::move(delivery));
    deliverFromTopic(std::move(one), [done = std::move(done)](std::vector<Result<void>> results) {
      done(std::move(results.front()));
    });
  }
};

// The delivery side of a service made by makeSqsService (null for any other service).
SqsDelivery* sqsDeliveryOf(api::Service& service);

// Loads every queue and message index from the store (blocking: call at start). The store,
// scheduler and clock must outlive the service.
Result<std::unique_ptr<api::Service>> makeSqsService(store::Store& store, Scheduler& scheduler, const Clock& clock,
                                                     IdGenerator& ids, SqsOptions options);

}  // namespace overcast::sqs
