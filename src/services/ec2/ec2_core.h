// Ec2Core: the EC2 state every action group shares (the resource registry, the store, the
// clock, ids, the compute driver) and the one way to change it, mutate(). Internal to
// src/services/ec2; the action groups live in their own files (*_actions.cc) and register
// themselves on the Ec2Service through the add*Actions functions of action_groups.h.
//
// Consistency: mutate() runs its function under the registry's exclusive lock, so a
// read-modify-write of several resources is atomic; the changes are current at once (later
// reads see them) and written to the store in the same order; the caller is answered only when
// they are durable. Reads (read()) take the shared lock.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/service.h"
#include "compute/driver.h"
#include "core/clock.h"
#include "core/id_generator.h"
#include "jobs/job.h"
#include "services/ec2/ec2_service.h"
#include "services/ec2/model/filters.h"
#include "services/ec2/resource_registry.h"
#include "store/store.h"

namespace overcast::ec2 {

namespace json = boost::json;
using api::Output;
using api::Reply;

class Ec2Core {
 public:
  Ec2Core(store::Store& store, const Clock& clock, IdGenerator& ids, compute::Driver& driver, Ec2Options options);

  // Loads every resource from the store (blocking: call at start).
  Result<void> load();

  // Runs fn(registry) under the shared lock and returns what it returns.
  template <class F>
  auto read(F&& fn) const {
    std::shared_lock lock(mutex_);
    return fn(static_cast<const ResourceRegistry&>(registry_));
  }

  // A change in progress, inside mutate(): reads see its own puts and erases.
  class Txn {
   public:
    const ResourceRegistry& registry() const { return registry_; }
    ResourcePtr find(std::string_view owner, std::string_view region, std::string_view id) const {
      return registry_.find(owner, region, id);
    }
    // Makes `r` current (replacing the resource with the same key).
    ResourcePtr put(Resource r);
    void erase(const ResourceKey& key);
    // A job to enqueue in the same store transaction.
    void enqueue(jobs::JobSpec spec) { jobs_.push_back(std::move(spec)); }
    // Extra statements to run in the same store transaction (e.g. another table's rows).
    void alsoWrite(std::function<Result<void>(store::WriteTxn&)> fn) { extra_.push_back(std::move(fn)); }
    // Keep the changes made, but answer with `error` (AWS's partial failures, e.g. a
    // TerminateInstances that stops at a protected instance but terminates the others).
    void failAfterCommit(Error error) { failure_ = std::move(error); }

   private:
    friend class Ec2Core;
    explicit Txn(ResourceRegistry& registry) : registry_(registry) {}
    void undo();
    ResourceRegistry& registry_;
    std::map<ResourceKey, ResourcePtr> before_;  // key -> its value before this txn (null: absent)
    std::vector<jobs::JobSpec> jobs_;
    std::vector<std::function<Result<void>(store::WriteTxn&)>> extra_;
    std::optional<Error> failure_;
  };
  using MutateFn = std::function<Result<Output>(Txn&)>;

  // Runs fn under the exclusive lock. On error nothing changes and reply gets the error; else
  // the changes are current at once and reply gets fn's output once they are durable.
  void mutate(MutateFn fn, Reply reply);
  // The same, waiting for durability (job worker threads and startup only; never I/O threads).
  Result<Output> mutateSync(MutateFn fn);
  // The same without waiting: for job handlers, whose job is finished by a write the worker
  // queues after this one. The single writer commits in queue order, so once the finish is
  // durable this change is too; a crash before loses both and the job runs again. Returns
  // fn's error (nothing changed) or nothing; a store failure is only logged.
  Result<void> mutateInOrder(MutateFn fn);

  // Jobs (kind kEc2JobKind): the payload is a JSON object whose "op" picks the handler.
  using JobFn = std::function<jobs::JobOutcome(const json::object& payload, const jobs::Job& job)>;
  void addJobHandler(std::string op, JobFn fn) { jobHandlers_[std::move(op)] = std::move(fn); }
  jobs::JobOutcome runJob(const jobs::Job& job);
  // A job of kind kEc2JobKind with `payload` (which must hold "op"), due after `delay`.
  jobs::JobSpec jobSpec(std::string target, json::object payload, std::chrono::milliseconds delay) const;

  // The pool waker, called after a write that enqueued jobs is durable.
  void setJobWaker(std::function<void()> wake) { wakeJobs_ = std::move(wake); }
  void wakeJobs() const {
    if (wakeJobs_) wakeJobs_();
  }

  // Runs CPU-heavy work (RSA key generation: tens of milliseconds) on a thread of its own, so
  // that no I/O thread stalls on it.
  void offload(std::function<void()> work) { boost::asio::post(cpu_, std::move(work)); }
  // Waits for offloaded work to finish (at shutdown, before the I/O context goes away).
  void stop() { cpu_.join(); }

  store::Store& store() { return store_; }
  const Clock& clock() const { return clock_; }
  IdGenerator& ids() { return ids_; }
  compute::Driver& driver() { return driver_; }
  const Ec2Options& options() const { return options_; }

 private:
  void mutateWith(MutateFn fn, Reply reply, bool inlineDone);
  // Applies fn and returns the write to queue (or fn's error, after undoing).
  struct Applied {
    Output out;
    store::Store::WriteFn write;
    std::optional<Error> failure;
  };
  Result<Applied> apply(const MutateFn& fn);

  store::Store& store_;
  const Clock& clock_;
  IdGenerator& ids_;
  compute::Driver& driver_;
  Ec2Options options_;
  std::function<void()> wakeJobs_;
  std::map<std::string, JobFn, std::less<>> jobHandlers_;
  mutable std::shared_mutex mutex_;
  ResourceRegistry registry_;
  boost::asio::thread_pool cpu_{2};
};

// The EC2 service: a table of actions that each action group fills in.
class Ec2Service final : public api::TableService, public Ec2Handle {
 public:
  explicit Ec2Service(std::unique_ptr<Ec2Core> core);
  std::string_view name() const override { return "ec2"; }
  Ec2Core& core() { return *core_; }
  jobs::JobOutcome runJob(const jobs::Job& job) override { return core_->runJob(job); }
  void stop() override { core_->stop(); }
  // Erases every account's resources (platform images stay).
  void reset(std::function<void(Result<void>)> done) override;
  void setJobWaker(std::function<void()> wake) override { core_->setJobWaker(std::move(wake)); }

  using api::TableService::add;
  using api::TableService::addSync;

 private:
  std::unique_ptr<Ec2Core> core_;
};

// ---- Helpers shared by the action groups (ec2_core.cc) ----

// input[name] as a bool (absent: false).
bool boolOf(const json::object& in, std::string_view name);
// A boolean member as filter text: "true", or "false" (also when absent).
std::string boolText(const json::object& o, std::string_view name);
// The value of a `{"Value": x}` attribute wrapper (ModifyInstanceAttribute's AttributeBooleanValue).
std::optional<json::value> attributeValue(const json::object& in, std::string_view name);

// The values a resource has for the tag filters: "tag:<key>" -> that tag's value, "tag-key" ->
// every key, "tag-value" -> every value. nullopt when `filter` is not a tag filter.
std::optional<std::vector<std::string>> tagFilterValues(const Resource& r, std::string_view filter);

// The resources of `kind` that may match `filters`, narrowed by an index when a filter allows
// it: `idFilter` (e.g. "instance-id") or "tag:<key>" with values free of wildcards. Ordered by
// id. The caller still applies every filter.
std::vector<ResourcePtr> candidates(const ResourceRegistry& registry, std::string_view owner, std::string_view region,
                                    std::string_view kind, const std::vector<Filter>& filters,
                                    std::string_view idFilter);

// A page of a list ordered by id: the items after the token's id, at most maxResults.
struct Page {
  std::vector<ResourcePtr> items;
  std::string nextToken;  // empty: no more
};
// MaxResults outside [minResults, maxResults] -> InvalidParameterValue; an unreadable token ->
// InvalidPaginationToken. No maxResults: everything.
Result<Page> paginate(std::vector<ResourcePtr> sorted, std::optional<int64_t> maxResults, const std::string& nextToken,
                      int64_t minResults, int64_t maxAllowed);

// Tags of `resourceType` from TagSpecifications, checked against AWS's limits.
Result<json::array> tagsFromSpecifications(const json::object& in, std::string_view resourceType);
// AWS's tag rules for a set of tags on one resource: at most 50, key 1..128 chars not
// starting with "aws:", value at most 256.
Result<void> checkTags(const json::array& tags);

// The kind of resource an id names by its prefix ("i-" -> instance), or "" if none.
std::string_view kindOfId(std::string_view id);
// The NotFound error of a kind, in AWS's words.
Error notFound(std::string_view kind, std::string_view id);
// Whether `id` is `prefix` + "-" + 8 or 17 lowercase hex digits.
bool wellFormedId(std::string_view id, std::string_view prefix);

// ISO 8601 with milliseconds, as EC2 writes times ("2026-11-25T09:00:00.000Z").
std::string isoTime(TimePoint t);

}  // namespace overcast::ec2
