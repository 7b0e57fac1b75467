// SQS requests for the load generator and the SQS tools (bench/sqs-longpoll, bench/sqs-million):
// built for either wire protocol (query form or JSON), signed per request with FastSigner, and
// the few answer fields they need parsed minimally (queue URL, receipt handles and bodies,
// batch successes). Also the sessions of the sqs-send and sqs-cycle scenarios and the
// correctness tally of sqs-cycle.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "fast_signer.h"
#include "scenario.h"
#include "session.h"

namespace overcast::bench {

inline constexpr std::size_t kSqsBodyBytes = 256;

// A unique 256-byte message body: "overcast-bench-<16 hex digits of seq>-xxx...".
void sqsMessageBody(std::uint64_t seq, std::string& out);
// The seq of such a body, if it is one.
std::optional<std::uint64_t> sqsMessageSeq(std::string_view body);

struct SqsMessage {
  std::string receiptHandle;
  std::string body;
  std::string messageId;
};

class SqsRequests {
 public:
  // `host`: the Host header; `sign` false sends them unsigned.
  SqsRequests(SqsProtocol protocol, std::string host, bool sign, std::string accessKey,
              std::string secretKey, std::string region);

  SqsProtocol protocol() const { return protocol_; }
  void setQueueUrl(std::string url) { queueUrl_ = std::move(url); }
  const std::string& queueUrl() const { return queueUrl_; }

  // Each writes the whole request (wire bytes) into `out`.
  void createQueue(std::string_view name, std::string& out) const;
  void sendMessage(std::string_view body, std::string& out) const;
  void sendMessageBatch(std::span<const std::string> bodies, std::string& out) const;  // Ids 0..n-1
  void receiveMessage(int max, int waitSeconds, std::string& out) const;
  void deleteMessage(std::string_view receiptHandle, std::string& out) const;
  void deleteMessageBatch(std::span<const SqsMessage> messages, std::string& out) const;
  // GetQueueAttributes of these attribute names (QueueArn, ApproximateNumberOfMessages...).
  void getQueueAttributes(std::span<const std::string_view> names, std::string& out) const;

  // Answers. Each tolerates garbage (returns empty / 0).
  std::string parseQueueUrl(std::string_view body) const;
  void parseReceive(std::string_view body, std::vector<SqsMessage>& out) const;
  // The MessageId of a SendMessage answer (empty if none), by a plain scan.
  std::string_view parseSendMessageId(std::string_view body) const;
  // Number of successful entries of a SendMessageBatch or DeleteMessageBatch answer.
  int parseBatchSuccesses(std::string_view body) const;
  // The value of attribute `name` in a GetQueueAttributes answer (empty if none).
  std::string parseAttribute(std::string_view body, std::string_view name) const;

 private:
  void finish(std::string_view operation, std::string& body, std::string& out) const;

  SqsProtocol protocol_;
  std::string host_;
  bool sign_;
  FastSigner signer_;
  std::string queueUrl_;
};

// Sends `request` on a fresh connection and returns (status, whole body); status 0 on failure,
// with the reason in the body.
std::pair<int, std::string> sqsExchange(const boost::asio::ip::tcp::endpoint& endpoint,
                                        std::string_view request,
                                        std::chrono::milliseconds timeout);

// Creates queue `name` and returns its URL as the server answered it (fauxqs and moto put their
// own host in it), or http://<host>/000000000000/<name> when the answer has none (nginx).
std::string sqsCreateQueue(const boost::asio::ip::tcp::endpoint& endpoint,
                           const SqsRequests& requests, std::string_view name, std::string* error);

// sqs-cycle's correctness tally: every message whose send was answered 200 must be received
// exactly once, with the MessageId its send was answered with (compared by a 64-bit hash).
// Shared by every connection (and thread) of a run.
class SqsTally {
 public:
  void sent(std::uint64_t seq, std::string_view messageId);
  void received(std::uint64_t seq, std::string_view messageId);
  void foreignBody() { ++foreign_; }

  struct Result {
    std::uint64_t sent = 0;        // sends answered 200
    std::uint64_t received = 0;    // receipts of our messages, duplicates included
    std::uint64_t lost = 0;        // sent, never received
    std::uint64_t duplicated = 0;  // receipts beyond the first of a message
    std::uint64_t unconfirmed = 0; // received, but its send was not answered 200
    std::uint64_t foreign = 0;     // bodies that are not ours
    std::uint64_t idMismatch = 0;  // receipts whose MessageId is not the one the send returned
  };
  Result result() const;

 private:
  mutable std::mutex mutex_;
  struct Entry {
    std::uint64_t idHash = 0;  // of the MessageId the send was answered with
    std::uint64_t firstReceiptHash = 0;  // of the MessageId it was first received with
    std::uint32_t receipts = 0;
    bool sent = false;
  };
  std::unordered_map<std::uint64_t, Entry> state_;  // by the body's sequence number
  std::uint64_t idMismatch_ = 0;
  std::uint64_t foreign_ = 0;
};

// The sessions of the sqs-send and sqs-cycle scenarios.
class SqsSessions : public SessionFactory {
 public:
  SqsSessions(const Scenario& scenario, const SqsRequests& requests);
  std::unique_ptr<Session> make(std::uint32_t id, MeasureWindow window) override;
  bool drains() const override { return mode_ == SqsMode::kCycle; }
  SqsTally& tally() { return tally_; }

 private:
  SqsMode mode_;
  const SqsRequests& requests_;
  SqsTally tally_;
};

}  // namespace overcast::bench
