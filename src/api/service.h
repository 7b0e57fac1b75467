// Service: one AWS service's actions, as the dispatcher sees them. A service receives the
// decoded input (a value tree checked against the model, see protocol/codec.h) and replies
// with the output tree or an Error; it never sees HTTP, XML or JSON text.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "core/request_context.h"
#include "core/result.h"

namespace overcast::api {

using Output = boost::json::object;
// Called exactly once per invoke, from any thread.
using Reply = std::function<void(Result<Output>)>;

class Service {
 public:
  virtual ~Service() = default;
  // The model name of the service: "ec2", "sts", "sqs", "sns".
  virtual std::string_view name() const = 0;
  virtual bool implements(std::string_view action) const = 0;
  // REQUIRES: implements(ctx.action).
  virtual void invoke(const RequestContext& ctx, boost::json::object input, Reply reply) = 0;
  // The error to answer when `action`'s input failed to decode. The generic decoder speaks of
  // parameters; a service whose AWS original says something more specific (SQS: an empty batch
  // is EmptyBatchRequest, not MissingParameter) translates here.
  virtual Error inputError(std::string_view action, Error error) const { return error; }
  // Whether `action` may be called without a signature (SNS's SubscribeURL and UnsubscribeURL
  // are plain links); the service then sees an empty ctx.accountId.
  virtual bool allowsAnonymous(std::string_view action) const { return false; }
  // The server is stopping (no more requests): write out anything kept for lazy recording.
  virtual void stop() {}
  // Test rigs (`serve --allow-reset`): forget every account's resources of this service, in
  // the store and in memory; `done` is called once that is durable. Platform resources,
  // accounts and keys stay.
  virtual void reset(std::function<void(Result<void>)> done) { done({}); }
};

// A Service whose actions are a table of handlers; most services are this.
class TableService : public Service {
 public:
  using Action = std::function<void(const RequestContext&, boost::json::object, Reply)>;
  // For actions that answer at once from memory or a read.
  using SyncAction = std::function<Result<Output>(const RequestContext&, const boost::json::object&)>;

  bool implements(std::string_view action) const override { return actions_.count(action) != 0; }
  void invoke(const RequestContext& ctx, boost::json::object input, Reply reply) override {
    actions_.find(ctx.action)->second(ctx, std::move(input), std::move(reply));
  }

 protected:
  void add(std::string name, Action action) { actions_.emplace(std::move(name), std::move(action)); }
  void addSync(std::string name, SyncAction action) {
    actions_.emplace(std::move(name), [a = std::move(action)](const RequestContext& ctx,
                                                              boost::json::object input, Reply reply) {
      reply(a(ctx, input));
    });
  }

 private:
  std::map<std::string, Action, std::less<>> actions_;
};

}  // namespace overcast::api
