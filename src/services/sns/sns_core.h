// SnsCore: the SNS actions and the state they share. Internal to src/services/sns; the action
// groups live in their own files (topic_actions.cc, subscription_actions.cc,
// publish_actions.cc) and deliveries to HTTP(S) and mail run as jobs (delivery_jobs.cc).
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include <algorithm>
#include <thread>

#include <boost/asio/thread_pool.hpp>
#include <boost/json/object.hpp>

#include "api/input.h"
#include "api/service.h"
#include "core/clock.h"
#include "core/id_generator.h"
#include "jobs/job.h"
#include "services/sns/delivery/http_poster.h"
#include "services/sns/delivery/mailer.h"
#include "services/sns/model/signing_identity.h"
#include "services/sns/sns_service.h"
#include "services/sns/topic_registry.h"
#include "services/sqs/sqs_service.h"
#include "store/store.h"

namespace overcast::sns {

namespace json = boost::json;
using api::Output;
using api::Reply;

class SnsCore {
 public:
  SnsCore(store::Store& store, const Clock& clock, IdGenerator& ids, sqs::SqsDelivery& sqs, SigningIdentity identity,
          SnsOptions options);

  Result<void> load();

  // Topics (topic_actions.cc)
  void createTopic(const RequestContext& ctx, const json::object& in, Reply reply);
  void deleteTopic(const RequestContext& ctx, const json::object& in, Reply reply);
  Result<Output> listTopics(const RequestContext& ctx, const json::object& in);
  Result<Output> getTopicAttributes(const RequestContext& ctx, const json::object& in);
  void setTopicAttributes(const RequestContext& ctx, const json::object& in, Reply reply);
  void tagResource(const RequestContext& ctx, const json::object& in, Reply reply);
  void untagResource(const RequestContext& ctx, const json::object& in, Reply reply);
  Result<Output> listTagsForResource(const RequestContext& ctx, const json::object& in);
  void addPermission(const RequestContext& ctx, const json::object& in, Reply reply);
  void removePermission(const RequestContext& ctx, const json::object& in, Reply reply);

  // Subscriptions (subscription_actions.cc)
  void subscribe(const RequestContext& ctx, const json::object& in, Reply reply);
  void confirmSubscription(const RequestContext& ctx, const json::object& in, Reply reply);
  void unsubscribe(const RequestContext& ctx, const json::object& in, Reply reply);
  Result<Output> listSubscriptions(const RequestContext& ctx, const json::object& in);
  Result<Output> listSubscriptionsByTopic(const RequestContext& ctx, const json::object& in);
  Result<Output> getSubscriptionAttributes(const RequestContext& ctx, const json::object& in);
  void setSubscriptionAttributes(const RequestContext& ctx, const json::object& in, Reply reply);

  // Publishing (publish_actions.cc)
  void publish(const RequestContext& ctx, const json::object& in, Reply reply);
  void publishBatch(const RequestContext& ctx, const json::object& in, Reply reply);
  // Runs `work` (planning and sending a publish) on the signer threads when the topic has a
  // subscription whose copies are signed: an RSA-2048 signature takes ~250 µs of CPU, which
  // would otherwise stall every other request on the I/O thread. Inline otherwise.
  void offloadSigning(const Topic& topic, std::function<void()> work);
  // Waits for the signer threads to finish what they were given (at shutdown, before the I/O
  // context goes away).
  void stop() { signer_.join(); }
  // Deletes every topic and subscription of every account, and their pending deliveries.
  void reset(std::function<void(Result<void>)> done);

  // PublishBatch's entries, after the batch-level checks.
  void publishEntries(const RequestContext& ctx, const Topic& topic, const json::array& entries, Reply reply);

  // An unconfirmed subscription is deleted after three days (AWS): a job due then.
  static constexpr std::chrono::hours kUnconfirmedLifetime{72};
  // Delivery jobs (delivery_jobs.cc): runs on a worker thread, may block.
  jobs::JobOutcome runDelivery(const jobs::Job& job);
  // Sends `body` into a queue for a topic and waits until it is stored (worker threads only).
  Result<void> sendAndWait(const std::string& queueArn, const std::string& topicArn, const std::string& topicOwner,
                           const std::string& body);

  const SigningIdentity& identity() const { return identity_; }
  // Called after a write that enqueued delivery jobs is durable.
  void setJobWaker(std::function<void()> wake) { wakeJobs_ = std::move(wake); }

  // Shared helpers
  // Writes the topic's new state durably, then makes it current and answers an empty Output.
  void storeTopic(std::shared_ptr<const Topic> topic, Reply reply);
  // The topic, if the caller may call `action` on it (its owner, or whom its policy allows).
  // Errors: NotFound, AuthorizationError.
  Result<TopicPtr> authorizedTopic(const RequestContext& ctx, std::string_view arn, std::string_view action) const;
  // "<scheme>://<host>" for URLs in messages (SubscribeURL, UnsubscribeURL, SigningCertURL).
  std::string baseUrl(const RequestContext& ctx) const;
  // Where the signing certificate is served: over the HTTPS listener when there is one (SDK
  // validators want https), else like baseUrl().
  std::string signingCertUrl(const RequestContext& ctx) const;
  // The HTTPS listener's "https://host:port" (set once at start, before requests).
  void setTlsBaseUrl(std::string url) { tlsBaseUrl_ = std::move(url); }
  // Enqueues a delivery job (payload JSON) in `txn`.
  Result<void> enqueueDelivery(store::WriteTxn& txn, const Subscription& s, json::object payload, TimePoint now,
                               std::chrono::milliseconds delay = std::chrono::milliseconds(0));
  // Signs a message with the topic's SignatureVersion and returns its JSON document.
  Result<std::string> signedDocument(SnsMessage message, const Topic& topic) const;
  // The confirmation message (SubscriptionConfirmation or UnsubscribeConfirmation) job payload.
  Result<json::object> confirmationPayload(const RequestContext& ctx, const Topic& topic, const Subscription& s,
                                           SnsMessageType type);
  void wakeJobs() const {
    if (wakeJobs_) wakeJobs_();
  }

  store::Store& store() { return store_; }
  TopicRegistry& registry() { return registry_; }
  IdGenerator& ids() { return ids_; }
  const Clock& clock() const { return clock_; }
  sqs::SqsDelivery& sqs() { return sqs_; }
  const SnsOptions& options() const { return options_; }
  int64_t nextSequence() { return ++sequence_; }

 private:
  store::Store& store_;
  const Clock& clock_;
  IdGenerator& ids_;
  sqs::SqsDelivery& sqs_;
  SigningIdentity identity_;
  const SnsOptions options_;
  TopicRegistry registry_;
  std::function<void()> wakeJobs_;
  std::string tlsBaseUrl_;
  std::atomic<int64_t> sequence_{0};
  HttpPoster poster_;
  Mailer mailer_;
  boost::asio::thread_pool signer_{std::max(1u, std::thread::hardware_concurrency())};
};

// Input helpers
using api::stringOf;
using api::stringsOf;
AttributeMap attributeMapOf(const json::object& in, std::string_view name);
std::map<std::string, std::string> tagsOf(const json::object& in, std::string_view name);
// The subscription's FilterPolicy attribute, parsed for its FilterPolicyScope; null when it has
// none. Errors: the filter-policy engine's InvalidParameter.
Result<std::shared_ptr<const FilterPolicy>> parseFilter(const AttributeMap& attributes);
// A new random hex token (confirmation tokens).
std::string newToken(IdGenerator& ids);
int64_t millisOf(TimePoint t);

}  // namespace overcast::sns
