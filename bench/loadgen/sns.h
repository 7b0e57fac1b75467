// SNS requests for the load generator and overcast-sqs-probe's fan-out mode: the query protocol
// (`Action=...&Version=2010-03-31` forms, SigV4 scope sns, signed per request with FastSigner),
// the setup of a topic with N SQS subscriptions, copy counting, the envelope SNS puts in each
// queue copy, and the sessions of the sns-publish-N scenarios.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "fast_signer.h"
#include "session.h"
#include "sqs.h"

namespace overcast::bench {

class SnsRequests {
 public:
  // `host`: the Host header; `sign` false sends them unsigned.
  SnsRequests(std::string host, bool sign, std::string accessKey, std::string secretKey,
              std::string region);

  // Each writes the whole request (wire bytes) into `out`.
  void createTopic(std::string_view name, std::string& out) const;
  // Protocol=sqs, Endpoint=the queue's ARN; `raw`: Attributes RawMessageDelivery=true.
  void subscribeQueue(std::string_view topicArn, std::string_view queueArn, bool raw,
                      std::string& out) const;
  void publish(std::string_view topicArn, std::string_view message, std::string& out) const;

 private:
  void finish(const std::string& body, std::string& out) const;

  std::string host_;
  bool sign_;
  FastSigner signer_;
};

// The MessageId of a Publish answer (empty if none), by a plain scan.
std::string_view snsPublishMessageId(std::string_view body);

// A topic with N SQS queues subscribed to it, as the server named them.
struct SnsFanout {
  std::string topicArn;
  std::vector<SqsRequests> queues;  // one per subscription, its URL set (as the server answered)
  std::vector<std::string> queueArns;
  std::vector<std::string> subscriptionArns;
};

// Creates topic `name`, queues `name-0`..`name-<n-1>` (SQS over `sqs`'s protocol, which gives the
// Host, signing and keys), asks each queue for its QueueArn and subscribes it (Protocol=sqs). A
// subscription that is "pending confirmation" is an error: the copies would never arrive.
// On failure returns nothing, with the reason in `error`.
std::optional<SnsFanout> snsSetUpFanout(const boost::asio::ip::tcp::endpoint& endpoint,
                                        const SnsRequests& sns, const SqsRequests& sqs,
                                        std::string_view name, int n, bool raw,
                                        std::string& error);

// Messages in each queue: ApproximateNumberOfMessages + ...NotVisible + ...Delayed. -1 for a
// queue whose answer did not parse (reason in `error`).
std::vector<long> sqsCountMessages(const boost::asio::ip::tcp::endpoint& endpoint,
                                   const std::vector<SqsRequests>& queues, std::string& error);

// The JSON document SNS delivers to a queue (RawMessageDelivery false): the fields we check.
struct SnsEnvelope {
  std::string type, messageId, topicArn, message;
};
std::optional<SnsEnvelope> parseSnsEnvelope(std::string_view body);

// Publish answers over the whole run (warm-up and the answers after the window included).
struct SnsTally {
  std::atomic<std::uint64_t> sent{0};     // requests built (a connection error resends as new)
  std::atomic<std::uint64_t> acked{0};    // 200 with a MessageId
  std::atomic<std::uint64_t> noId{0};     // 200 without one
  std::atomic<std::uint64_t> failed{0};   // any other status
  // Sent but never answered (a connection error): the server may or may not have published it.
  std::uint64_t unanswered() const {
    std::uint64_t answered = acked + noId + failed;
    return sent > answered ? sent - answered : 0;
  }
};

// The sessions of the sns-publish-N scenarios: each connection publishes unique 256-byte messages
// to the topic until the window ends, then waits for its last answer and stops (the run drains,
// so every publish sent has been answered when the copies are counted).
class SnsSessions : public SessionFactory {
 public:
  // `limit` > 0: the sessions stop once that many publishes were sent (all connections together;
  // exact with one generator thread), even before the window ends.
  SnsSessions(const SnsRequests& requests, std::string topicArn, std::uint64_t limit = 0)
      : requests_(requests), topicArn_(std::move(topicArn)), limit_(limit) {}
  std::unique_ptr<Session> make(std::uint32_t id, MeasureWindow window) override;
  bool drains() const override { return true; }
  SnsTally& tally() { return tally_; }

 private:
  const SnsRequests& requests_;
  std::string topicArn_;
  std::uint64_t limit_;
  SnsTally tally_;
};

}  // namespace overcast::bench
