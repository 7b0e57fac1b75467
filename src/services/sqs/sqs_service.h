// SQS: durable queues over the query and JSON protocols (one service; the protocol layer picks
// the wire format). See docs/services/sqs.md for what is implemented and its limitations.
#pragma once

#include <memory>
#include <string>

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

// Loads every queue and message index from the store (blocking: call at start). The store,
// scheduler and clock must outlive the service.
Result<std::unique_ptr<api::Service>> makeSqsService(store::Store& store, Scheduler& scheduler, const Clock& clock,
                                                     IdGenerator& ids, SqsOptions options);

}  // namespace overcast::sqs
