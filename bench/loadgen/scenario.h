// Scenario: one kind of request the load generator replays. Scenarios live in a small table
// (scenario.cc); adding one is adding a row.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace overcast::bench {

// SQS scenarios run as sessions (sqs.h): a queue made at setup, requests built per connection.
enum class SqsMode { kNone, kSend, kCycle };
enum class SqsProtocol { kQuery, kJson };
// EC2 scenarios run as sessions (ec2.h) on an account filled beforehand (--ec2-fill).
enum class Ec2Mode { kNone, kDescribeTag, kDescribeIdFilter, kDescribeIds, kRun };

struct Scenario {
  std::string_view name = {};         // the --action value
  std::string_view description = {};  // one line for --help / --list
  std::string_view method = {};       // "GET", "POST"
  std::string_view target = {};       // request-target, already percent-encoded
  std::string_view service = {};      // SigV4 scope service ("sts", "ec2"); empty: never signed
  std::string_view contentType = {};  // empty: no Content-Type header
  std::string_view body = {};         // the fixed body, used when makeBody is null
  // Scenarios that need a distinct request each time (unique SQS message bodies, say) set this:
  // it writes the body of request number `seq` (unique within the run) into `out`; `setup` is
  // what the setup request returned (below), empty if none. Such requests are built and signed
  // one by one on the load generator, which costs it a few µs each; fixed ones are signed once
  // at start and replayed byte for byte.
  void (*makeBody)(std::uint64_t seq, std::string_view setup, std::string& out) = nullptr;
  // Optional setup, sent once (same method, target, service and content type) before priming,
  // e.g. CreateQueue. The text of the first <setupResult> element of its answer is passed to
  // makeBody; when the answer has none (nginx), `setupFallback` with "{host}" replaced is.
  std::string_view setupBody = {};
  std::string_view setupResult = {};    // an XML element name, e.g. "QueueUrl"
  std::string_view setupFallback = {};  // e.g. "http://{host}/000000000000/overcast-bench"
  // SQS session scenarios (sqs.h); the fields above other than name and description are unused.
  SqsMode sqs = SqsMode::kNone;
  SqsProtocol sqsProtocol = SqsProtocol::kJson;
  // SNS publish scenarios (sns.h): a topic with this many SQS subscriptions made at setup, then
  // Publish sessions. 0: not one.
  int snsSubscriptions = 0;
  // SNS Publish sessions to a topic that already exists (--sns-topic-arn), subscriptions and all:
  // nothing is made at setup and no copies are counted (bench/sns-http counts them itself).
  bool snsExisting = false;
  // EC2 scenarios (ec2.h): DescribeInstances of one tag group of 10, or RunInstances of 10.
  Ec2Mode ec2 = Ec2Mode::kNone;

  // True for the scenarios whose requests a session builds (SQS, SNS and EC2 ones).
  bool usesSession() const {
    return sqs != SqsMode::kNone || snsSubscriptions > 0 || snsExisting || ec2 != Ec2Mode::kNone;
  }
};

// Every scenario, in --list order.
std::span<const Scenario> scenarios();

// The scenario called `name`, or null.
const Scenario* findScenario(std::string_view name);

}  // namespace overcast::bench
