// overcast-loadgen: closed-loop HTTP/1.1 load generator for the benchmarks (bench/README.md).
//
// N keep-alive connections each send one request at a time for a fixed duration after a
// warm-up, spread over --threads threads (one io_context each); prints req/s and latency
// percentiles as a human line and, with --json, one JSON line for bench/run.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <optional>

#include <unistd.h>
#include <vector>

#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>

#include "connection.h"
#include "ec2.h"
#include "request_builder.h"
#include "scenario.h"
#include "setup_exchange.h"
#include "sns.h"
#include "sqs.h"
#include "stats.h"

namespace {

namespace asio = boost::asio;
using namespace overcast::bench;

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string action = "sts-get-caller-identity";
  int connections = 32;
  double duration = 10;
  double warmup = 1;
  int threads = 1;
  SigningOptions signing;
  bool noSign = false;
  bool json = false;
  bool list = false;
  std::string label;
  int prime = 1;
  double primeTimeout = 60;
  double drainTimeout = 60;
  std::string queueName;
  bool snsRaw = false;
  double countTimeout = 10;
  std::string snsTopicArn;
  std::uint64_t messages = 0;
  long ec2Fill = 0;
  int ec2Batch = 1000;
  std::string ec2Image = "ami-829c16bb182fd27b6";  // overcast's built-in busybox x86_64 image
  std::string ec2InstanceType = "t3.micro";
  std::string ec2Group = "group-5";
  double ec2CallTimeout = 1800;
};

std::string jsonEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", c);
        else out += c;
    }
  }
  return out;
}

double micros(std::chrono::nanoseconds d) { return static_cast<double>(d.count()) / 1000.0; }

std::string human(std::chrono::nanoseconds d) {
  double us = micros(d);
  if (us < 1000) return fmt::format("{:.0f} µs", us);
  if (us < 1'000'000) return fmt::format("{:.2f} ms", us / 1000);
  return fmt::format("{:.2f} s", us / 1'000'000);
}

// CPU time this process has used so far (user + system), warm-up included.
double cpuSecondsUsed() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Runs one thread's share of the connections until `window.end`.
void runThread(const Options& options, const asio::ip::tcp::endpoint& endpoint,
               const RequestBuilder& builder, MeasureWindow window, int threadIndex,
               Stats& stats) {
  asio::io_context io(1);
  std::vector<std::unique_ptr<Connection>> connections;
  for (int i = threadIndex; i < options.connections; i += options.threads)
    connections.push_back(std::make_unique<Connection>(io, endpoint, builder, stats, window,
                                                       static_cast<std::uint32_t>(i)));
  // Draining sessions (sqs-cycle) run past the window until each is finished.
  SessionFactory* sessions = builder.sessions();
  bool drains = sessions != nullptr && sessions->drains();
  auto stopTime = window.end;
  if (drains)
    stopTime += std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(options.drainTimeout));
  asio::steady_timer stopAt(io, stopTime);
  stopAt.async_wait([&io](const boost::system::error_code&) { io.stop(); });
  std::size_t running = connections.size();
  if (drains)
    for (auto& connection : connections)
      connection->setOnFinished([&] {
        if (--running == 0) io.stop();
      });
  for (auto& connection : connections) connection->start();
  io.run();
}

// Sends `options.prime` requests on one connection before the clock starts and waits for their
// answers, so that lazy start-up work in the server (moto loads a backend on first use) is not
// measured. False if they did not all come back in time.
bool prime(const Options& options, const asio::ip::tcp::endpoint& endpoint,
           const RequestBuilder& builder) {
  using Clock = std::chrono::steady_clock;
  asio::io_context io(1);
  Stats stats;
  auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(options.primeTimeout));
  MeasureWindow always{Clock::now(), deadline};
  // An id past the measured connections keeps per-request sequence numbers unique.
  Connection connection(io, endpoint, builder, stats, always,
                        static_cast<std::uint32_t>(options.connections));
  connection.start();
  while (stats.responses < static_cast<std::uint64_t>(options.prime) && Clock::now() < deadline)
    io.run_one_until(deadline);
  if (!stats.firstNon200.empty())
    fmt::print(stderr, "overcast-loadgen: priming got a non-200 response: {}\n", stats.firstNon200);
  if (stats.responses < static_cast<std::uint64_t>(options.prime)) {
    fmt::print(stderr, "overcast-loadgen: priming: {} of {} responses in {:.0f} s{}{}\n",
               stats.responses, options.prime, options.primeTimeout,
               stats.firstError.empty() ? "" : "; ", stats.firstError);
    return false;
  }
  return true;
}

// Sends the scenario's setup request and hands what it returned to the builder.
void setUp(const Scenario& scenario, const asio::ip::tcp::endpoint& endpoint,
           RequestBuilder& builder) {
  constexpr std::chrono::milliseconds kSetupTimeout{60'000};
  auto result = exchangeOnce(endpoint, builder.setupRequest(), kSetupTimeout);
  std::string value;
  if (!result.ok) {
    fmt::print(stderr, "overcast-loadgen: setup failed: {}\n", result.error);
  } else {
    value = firstElementText(result.body, scenario.setupResult);
    if (value.empty())
      fmt::print(stderr, "overcast-loadgen: setup answered HTTP {} without <{}>: {}\n",
                 result.status, scenario.setupResult, result.body.substr(0, 300));
  }
  if (value.empty()) {
    value = std::string(scenario.setupFallback);
    auto at = value.find("{host}");
    if (at != std::string::npos) value.replace(at, 6, builder.hostHeader());
  }
  builder.setSetupResult(std::move(value));
}

// The SQS scenarios' extra figures, for the human line and the JSON line.
struct SqsFigures {
  bool cycle = false;
  std::string queueUrl;
  double drainSeconds = 0;
  bool drained = true;
  SqsTally::Result tally;
};

// The SNS scenarios' extra figures: publishes answered and copies found in the queues.
struct SnsFigures {
  int subscriptions = 0;
  bool existing = false;  // sns-publish-existing: someone else's topic, copies not counted here
  std::int64_t startUnixNs = 0, endUnixNs = 0;  // window start, last answer (CLOCK_REALTIME)
  bool raw = false;
  std::string topicArn;
  double drainSeconds = 0;
  bool drained = true;
  std::uint64_t sent = 0, acked = 0, noId = 0, failed = 0, unanswered = 0;
  std::uint64_t expected = 0;  // subscriptions x acked
  long found = 0;              // messages in all the queues after the run
  long queueMin = 0, queueMax = 0;
  double countSeconds = 0;
  std::string countError;
};

// The EC2 scenarios' extra figures: answers checked, and for ec2-run-10 every request's figures
// (the row's own are RunInstances alone).
struct Ec2Figures {
  bool run = false;
  std::string group;
  int expected = 0;
  std::uint64_t describes = 0, wrongCount = 0, failed = 0, runs = 0, launched = 0, terminates = 0;
  std::uint64_t allResponses = 0;
  double allP50us = 0, allP99us = 0;
  // The row's latency from the sessions' exact samples (the histogram stops at 10 s).
  std::uint64_t samples = 0;
  double meanUs = 0, p50us = 0, p90us = 0, p99us = 0, maxUs = 0;
};

// The value at or below which `fraction` of the sorted samples lie (0 when there are none).
double exactPercentile(const std::vector<double>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  auto rank = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

void report(const Options& options, const Stats& total, double seconds, double cpuSeconds,
            const std::optional<SqsFigures>& sqs, const std::optional<SnsFigures>& sns,
            const std::optional<Ec2Figures>& ec2 = std::nullopt) {
  const auto& h = total.latency;
  // Latency figures in µs: the histogram's, or the EC2 sessions' exact ones.
  bool exact = ec2.has_value();
  double meanUs = exact ? ec2->meanUs : micros(h.mean());
  double p50us = exact ? ec2->p50us : micros(h.percentile(0.5));
  double p90us = exact ? ec2->p90us : micros(h.percentile(0.9));
  double p99us = exact ? ec2->p99us : micros(h.percentile(0.99));
  double maxUs = exact ? ec2->maxUs : micros(h.max());
  auto humanUs = [](double us) {
    return human(std::chrono::nanoseconds(static_cast<std::int64_t>(us * 1000)));
  };
  double rps = static_cast<double>(total.responses) / seconds;
  fmt::print(
      "overcast-loadgen: {} -> {}:{}, {} connections, {} thread{}, {:.1f} s: {:.0f} req/s "
      "({} responses); latency p50 {}, p90 {}, p99 {}, max {}; {} non-2xx, {} non-200, "
      "{} errors, {} reconnects\n",
      options.action, options.host, options.port, options.connections, options.threads,
      options.threads == 1 ? "" : "s", seconds, rps, total.responses, humanUs(p50us),
      humanUs(p90us), humanUs(p99us), humanUs(maxUs), total.non2xx,
      total.non200, total.errors, total.reconnects);
  if (sqs && sqs->cycle)
    fmt::print(
        "overcast-loadgen: sqs cycle: {:.0f} msg/s ({} messages received and deleted in the "
        "window); correctness over the whole run: {} sent, {} received, {} lost, {} duplicated, "
        "{} unconfirmed, {} foreign, {} with another MessageId; drain {:.1f} s{}\n",
        static_cast<double>(total.messages) / seconds, total.messages, sqs->tally.sent,
        sqs->tally.received, sqs->tally.lost, sqs->tally.duplicated, sqs->tally.unconfirmed,
        sqs->tally.foreign, sqs->tally.idMismatch, sqs->drainSeconds,
        sqs->drained ? "" : " (timed out: not drained)");
  if (sns && sns->existing) {
    fmt::print(
        "overcast-loadgen: sns publish to {}: {:.0f} publishes/s answered 200 with a MessageId; "
        "whole run: {} sent, {} acknowledged, {} 200 without MessageId, {} failed, {} "
        "unanswered; drain {:.1f} s{}\n",
        sns->topicArn, static_cast<double>(total.messages) / seconds, sns->sent, sns->acked,
        sns->noId, sns->failed, sns->unanswered, sns->drainSeconds,
        sns->drained ? "" : " (timed out: publishes still unanswered)");
  } else if (sns) {
    long missing = static_cast<long>(sns->expected) - sns->found;
    fmt::print(
        "overcast-loadgen: sns publish to {} SQS subscription{} ({}): {:.0f} publishes/s answered "
        "200 with a MessageId in the window; whole run: {} sent, {} acknowledged, {} 200 without "
        "MessageId, {} failed, {} unanswered; copies: {} expected (subscriptions x acknowledged), "
        "{} found (per queue {}..{}), {} missing, {} extra; counted {:.1f} s after the run{}{}; "
        "drain {:.1f} s{}\n",
        sns->subscriptions, sns->subscriptions == 1 ? "" : "s",
        sns->raw ? "raw delivery" : "JSON envelope",
        static_cast<double>(total.messages) / seconds, sns->sent, sns->acked, sns->noId,
        sns->failed, sns->unanswered, sns->expected, sns->found, sns->queueMin, sns->queueMax,
        missing > 0 ? missing : 0, missing < 0 ? -missing : 0, sns->countSeconds,
        sns->countError.empty() ? "" : "; count error: ", sns->countError, sns->drainSeconds,
        sns->drained ? "" : " (timed out: publishes still unanswered)");
  }
  if (ec2 && ec2->run)
    fmt::print(
        "overcast-loadgen: ec2 run: {:.0f} instances/s launched in the window (RunInstances of {}, "
        "then TerminateInstances of them); all requests: {} in the window, p50 {}, p99 {}; whole "
        "run: {} RunInstances, {} instances, {} TerminateInstances, {} answered with another "
        "count, {} failed\n",
        static_cast<double>(total.messages) / seconds, ec2->expected, ec2->allResponses,
        humanUs(ec2->allP50us), humanUs(ec2->allP99us), ec2->runs,
        ec2->launched, ec2->terminates, ec2->wrongCount, ec2->failed);
  else if (ec2)
    fmt::print(
        "overcast-loadgen: ec2 describe of {} ({} instances): whole run: {} answered 200, {} "
        "with another count, {} failed\n",
        ec2->group, ec2->expected, ec2->describes, ec2->wrongCount, ec2->failed);
  if (!total.firstNon200.empty())
    fmt::print(stderr, "overcast-loadgen: first non-200 response: {}\n", total.firstNon200);
  if (!total.firstError.empty())
    fmt::print(stderr, "overcast-loadgen: first error: {}\n", total.firstError);
  if (!options.json) return;

  std::string statuses;
  for (std::size_t code = 0; code < total.statusCounts.size(); ++code) {
    if (total.statusCounts[code] == 0) continue;
    if (!statuses.empty()) statuses += ",";
    statuses += fmt::format("\"{}\":{}", code, total.statusCounts[code]);
  }
  std::string extra;
  if (sqs) {
    extra = fmt::format(",\"queue_url\":\"{}\"", jsonEscape(sqs->queueUrl));
    if (sqs->cycle)
      extra += fmt::format(
          ",\"messages\":{},\"msg_per_s\":{:.1f},\"sent\":{},\"received\":{},\"lost\":{},"
          "\"duplicated\":{},\"unconfirmed\":{},\"foreign\":{},\"id_mismatch\":{},\"drain_s\":{:.3f},"
          "\"drained\":{}",
          total.messages, static_cast<double>(total.messages) / seconds, sqs->tally.sent,
          sqs->tally.received, sqs->tally.lost, sqs->tally.duplicated, sqs->tally.unconfirmed,
          sqs->tally.foreign, sqs->tally.idMismatch, sqs->drainSeconds, sqs->drained);
  }
  if (sns) {
    long missing = static_cast<long>(sns->expected) - sns->found;
    extra += fmt::format(
        ",\"sns_subscriptions\":{},\"sns_raw\":{},\"topic_arn\":\"{}\",\"publishes\":{},"
        "\"publishes_per_s\":{:.1f},\"publishes_sent\":{},\"publishes_acked\":{},"
        "\"publishes_no_id\":{},\"publishes_failed\":{},\"publishes_unanswered\":{},"
        "\"copies_expected\":{},\"copies_found\":{},\"copies_missing\":{},\"copies_extra\":{},"
        "\"copies_queue_min\":{},\"copies_queue_max\":{},\"count_s\":{:.3f},"
        "\"count_error\":\"{}\",\"drain_s\":{:.3f},\"drained\":{}",
        sns->subscriptions, sns->raw, jsonEscape(sns->topicArn), total.messages,
        static_cast<double>(total.messages) / seconds, sns->sent, sns->acked, sns->noId,
        sns->failed, sns->unanswered, sns->expected, sns->found, missing > 0 ? missing : 0,
        missing < 0 ? -missing : 0, sns->queueMin, sns->queueMax, sns->countSeconds,
        jsonEscape(sns->countError), sns->drainSeconds, sns->drained);
    extra += fmt::format(",\"sns_existing\":{},\"start_unix_ns\":{},\"end_unix_ns\":{}",
                         sns->existing, sns->startUnixNs, sns->endUnixNs);
  }
  if (ec2)
    extra += fmt::format(
        ",\"ec2_group\":\"{}\",\"ec2_expected\":{},\"ec2_describes\":{},\"ec2_wrong_count\":{},"
        "\"ec2_failed\":{},\"ec2_runs\":{},\"ec2_launched\":{},\"ec2_terminates\":{},"
        "\"ec2_instances_per_s\":{:.1f},\"all_requests\":{},\"all_p50_us\":{:.1f},"
        "\"all_p99_us\":{:.1f}",
        jsonEscape(ec2->group), ec2->expected, ec2->describes, ec2->wrongCount, ec2->failed,
        ec2->runs, ec2->launched, ec2->terminates,
        ec2->run ? static_cast<double>(total.messages) / seconds : 0.0, ec2->allResponses,
        ec2->allP50us, ec2->allP99us);
  const Scenario* scenario = findScenario(options.action);
  bool signedRequests =
      !options.noSign && (!scenario->service.empty() || scenario->usesSession());
  fmt::print(
      "{{\"label\":\"{}\",\"action\":\"{}\",\"target\":\"{}:{}\",\"connections\":{},"
      "\"threads\":{},\"duration_s\":{:.3f},\"signed\":{},\"requests\":{},\"rps\":{:.1f},"
      "\"mean_us\":{:.1f},\"p50_us\":{:.1f},\"p90_us\":{:.1f},\"p99_us\":{:.1f},"
      "\"max_us\":{:.1f},\"non2xx\":{},\"non200\":{},\"errors\":{},\"reconnects\":{},"
      "\"bytes_sent\":{},\"bytes_received\":{},\"status\":{{{}}},\"first_non200\":\"{}\","
      "\"first_error\":\"{}\",\"cpu_s\":{:.3f}{}}}\n",
      jsonEscape(options.label), jsonEscape(options.action), jsonEscape(options.host),
      options.port, options.connections, options.threads, seconds,
      signedRequests, total.responses, rps,
      meanUs, p50us, p90us, p99us, maxUs, total.non2xx, total.non200, total.errors,
      total.reconnects, total.bytesSent, total.bytesReceived, statuses,
      jsonEscape(total.firstNon200), jsonEscape(total.firstError), cpuSeconds, extra);
}

// --ec2-fill N: fills the account and prints how long it took (human line, JSON line).
int ec2FillOnly(const Options& options, const asio::ip::tcp::endpoint& endpoint,
                const SigningOptions& signing) {
  Ec2Requests requests(fmt::format("{}:{}", options.host, options.port), signing.sign,
                       signing.accessKey, signing.secretKey, signing.region);
  auto timeout = std::chrono::milliseconds(static_cast<long>(options.ec2CallTimeout * 1000));
  Ec2FillResult r = ec2Fill(endpoint, requests, options.ec2Fill, options.ec2Batch,
                            options.ec2Image, options.ec2InstanceType, timeout);
  fmt::print(
      "overcast-loadgen: ec2 fill -> {}:{}: {} instances launched by {} RunInstances of up to {} "
      "in {:.2f} s, {} tagged Name=group-<k> in tens by {} CreateTags in {:.2f} s{}{}\n",
      options.host, options.port, r.launched, r.runCalls, options.ec2Batch, r.runSeconds,
      r.tagged, r.tagCalls, r.tagSeconds, r.ok ? "" : "; FAILED: ", r.error);
  if (options.json)
    fmt::print(
        "{{\"label\":\"{}\",\"ec2_fill\":{},\"ok\":{},\"launched\":{},\"tagged\":{},"
        "\"run_calls\":{},\"tag_calls\":{},\"batch\":{},\"run_s\":{:.3f},\"tag_s\":{:.3f},"
        "\"fill_s\":{:.3f},\"error\":\"{}\"}}\n",
        jsonEscape(options.label), options.ec2Fill, r.ok, r.launched, r.tagged, r.runCalls,
        r.tagCalls, options.ec2Batch, r.runSeconds, r.tagSeconds, r.runSeconds + r.tagSeconds,
        jsonEscape(r.error));
  return r.ok ? 0 : 1;
}

int run(const Options& options) {
  const Scenario* scenario = findScenario(options.action);
  if (scenario == nullptr) {
    fmt::print(stderr, "overcast-loadgen: unknown --action {} (see --list)\n", options.action);
    return 2;
  }
  asio::io_context resolverIo;
  asio::ip::tcp::resolver resolver(resolverIo);
  auto results = resolver.resolve(options.host, std::to_string(options.port));
  asio::ip::tcp::endpoint endpoint = results.begin()->endpoint();

  SigningOptions signing = options.signing;
  signing.sign = !options.noSign;
  if (options.ec2Fill > 0) return ec2FillOnly(options, endpoint, signing);
  RequestBuilder builder(*scenario, fmt::format("{}:{}", options.host, options.port), signing);

  if (!scenario->setupBody.empty()) setUp(*scenario, endpoint, builder);

  // SQS scenarios: a fresh queue for this run (the URL as the server gave it), then sessions.
  std::optional<SqsRequests> sqsRequests;
  std::optional<SqsSessions> sqsSessions;
  std::optional<SqsFigures> sqs;
  if (scenario->sqs != SqsMode::kNone) {
    sqsRequests.emplace(scenario->sqsProtocol, builder.hostHeader(), signing.sign,
                        signing.accessKey, signing.secretKey, signing.region);
    std::string name = options.queueName;
    if (name.empty())
      name = fmt::format("overcast-bench-{}-{}-{}",
                         scenario->sqs == SqsMode::kCycle ? "cycle" : "send", getpid(),
                         std::chrono::system_clock::now().time_since_epoch().count() % 1000000);
    std::string error;
    sqsRequests->setQueueUrl(sqsCreateQueue(endpoint, *sqsRequests, name, &error));
    if (!error.empty())
      fmt::print(stderr, "overcast-loadgen: CreateQueue failed ({}); using {}\n", error,
                 sqsRequests->queueUrl());
    sqsSessions.emplace(*scenario, *sqsRequests);
    builder.setSessions(&*sqsSessions);
    sqs.emplace();
    sqs->cycle = scenario->sqs == SqsMode::kCycle;
    sqs->queueUrl = sqsRequests->queueUrl();
  }
  // SNS scenarios: a fresh topic with N queues subscribed (SQS over the JSON protocol, which
  // every SNS peer speaks), then Publish sessions.
  std::optional<SnsRequests> snsRequests;
  std::optional<SnsFanout> fanout;
  std::optional<SnsSessions> snsSessions;
  std::optional<SnsFigures> sns;
  if (scenario->snsSubscriptions > 0) {
    snsRequests.emplace(builder.hostHeader(), signing.sign, signing.accessKey, signing.secretKey,
                        signing.region);
    SqsRequests queueRequests(SqsProtocol::kJson, builder.hostHeader(), signing.sign,
                              signing.accessKey, signing.secretKey, signing.region);
    std::string name = options.queueName;
    if (name.empty())
      name = fmt::format("overcast-bench-sns-{}-{}", getpid(),
                         std::chrono::system_clock::now().time_since_epoch().count() % 1000000);
    std::string error;
    fanout = snsSetUpFanout(endpoint, *snsRequests, queueRequests, name,
                            scenario->snsSubscriptions, options.snsRaw, error);
    if (!fanout) {
      fmt::print(stderr, "overcast-loadgen: SNS setup failed: {}\n", error);
      return 1;
    }
    snsSessions.emplace(*snsRequests, fanout->topicArn, options.messages);
    builder.setSessions(&*snsSessions);
    sns.emplace();
    sns->subscriptions = scenario->snsSubscriptions;
    sns->raw = options.snsRaw;
    sns->topicArn = fanout->topicArn;
  }
  // Publish to a topic someone else made and subscribed (bench/sns-http): no setup, no count.
  if (scenario->snsExisting) {
    if (options.snsTopicArn.empty()) {
      fmt::print(stderr, "overcast-loadgen: {} needs --sns-topic-arn\n", scenario->name);
      return 2;
    }
    snsRequests.emplace(builder.hostHeader(), signing.sign, signing.accessKey, signing.secretKey,
                        signing.region);
    snsSessions.emplace(*snsRequests, options.snsTopicArn, options.messages);
    builder.setSessions(&*snsSessions);
    sns.emplace();
    sns->existing = true;
    sns->raw = options.snsRaw;
    sns->topicArn = options.snsTopicArn;
  }
  // EC2 scenarios: the ids of one tag group of the filled account (which also primes the
  // server), then describe sessions replaying one request signed here, or run sessions.
  std::optional<Ec2Requests> ec2Requests;
  std::optional<Ec2Sessions> ec2Sessions;
  std::optional<Ec2Figures> ec2;
  if (scenario->ec2 != Ec2Mode::kNone) {
    ec2Requests.emplace(builder.hostHeader(), signing.sign, signing.accessKey, signing.secretKey,
                        signing.region);
    ec2.emplace();
    ec2->run = scenario->ec2 == Ec2Mode::kRun;
    if (ec2->run) {
      ec2->expected = kEc2GroupSize;
      ec2Sessions.emplace(*ec2Requests, options.ec2Image, options.ec2InstanceType,
                          kEc2GroupSize);
    } else {
      std::string error;
      auto ids = ec2GroupIds(endpoint, *ec2Requests, options.ec2Group, error);
      if (ids.empty()) {
        fmt::print(stderr, "overcast-loadgen: EC2 setup failed: {}\n", error);
        return 1;
      }
      std::string request;
      if (scenario->ec2 == Ec2Mode::kDescribeTag)
        ec2Requests->describeByTag("Name", options.ec2Group, request);
      else if (scenario->ec2 == Ec2Mode::kDescribeIdFilter)
        ec2Requests->describeByIdFilter(ids, request);
      else
        ec2Requests->describeByIds(ids, request);
      ec2->group = options.ec2Group;
      ec2->expected = static_cast<int>(ids.size());
      ec2Sessions.emplace(std::move(request), ec2->expected);
    }
    builder.setSessions(&*ec2Sessions);
  }
  // SQS and SNS scenarios are primed by their setup: a primed send whose successor the priming
  // connection never reads would count as an unconfirmed message in sqs-cycle's tally. EC2's
  // setup primes too, and a primed RunInstances would leave instances behind.
  if (options.prime > 0 && !sqs && !sns && !ec2 && !prime(options, endpoint, builder)) return 1;

  using Clock = std::chrono::steady_clock;
  auto toDuration = [](double seconds) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  };
  MeasureWindow window;
  window.start = Clock::now() + toDuration(options.warmup);
  window.end = window.start + toDuration(options.duration);

  auto unixNs = [](Clock::time_point t) {
    auto now = std::chrono::system_clock::now();
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               (now + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                          t - Clock::now()))
                   .time_since_epoch())
        .count();
  };
  std::int64_t startUnixNs = unixNs(window.start);
  std::vector<Stats> stats(static_cast<std::size_t>(options.threads));
  std::vector<std::thread> threads;
  for (int t = 1; t < options.threads; ++t)
    threads.emplace_back([&, t] {
      runThread(options, endpoint, builder, window, t, stats[static_cast<std::size_t>(t)]);
    });
  runThread(options, endpoint, builder, window, 0, stats[0]);
  for (auto& thread : threads) thread.join();
  if (sqs && sqs->cycle) {
    auto drainedAt = Clock::now();
    sqs->drainSeconds = std::chrono::duration<double>(drainedAt - window.end).count();
    sqs->drained = drainedAt < window.end + toDuration(options.drainTimeout);
    sqs->tally = sqsSessions->tally().result();
  }
  // With --messages the run may end before the window: rates are over the time it took.
  double seconds = std::chrono::duration<double>(window.end - window.start).count();
  if (options.messages > 0)
    seconds = std::clamp(std::chrono::duration<double>(Clock::now() - window.start).count(),
                         1e-6, seconds);
  if (sns) {
    auto drainedAt = Clock::now();
    sns->startUnixNs = startUnixNs;
    sns->endUnixNs = unixNs(drainedAt);
    sns->drainSeconds = std::max(0.0, std::chrono::duration<double>(drainedAt - window.end).count());
    sns->drained = drainedAt < window.end + toDuration(options.drainTimeout);
    const SnsTally& t = snsSessions->tally();
    sns->sent = t.sent;
    sns->acked = t.acked;
    sns->noId = t.noId;
    sns->failed = t.failed;
    sns->unanswered = t.unanswered();
  }
  if (sns && !sns->existing) {
    sns->expected = static_cast<std::uint64_t>(sns->subscriptions) * sns->acked;
    // Copies are stored before Publish answers on overcast; a server that delivers later gets
    // --count-timeout seconds to catch up.
    auto countStart = Clock::now();
    auto countDeadline = countStart + toDuration(options.countTimeout);
    for (;;) {
      std::string error;
      auto counts = sqsCountMessages(endpoint, fanout->queues, error);
      sns->countError = error;
      sns->found = 0;
      sns->queueMin = counts.empty() ? 0 : counts.front();
      sns->queueMax = sns->queueMin;
      for (long c : counts) {
        sns->found += c > 0 ? c : 0;
        sns->queueMin = std::min(sns->queueMin, c);
        sns->queueMax = std::max(sns->queueMax, c);
      }
      if ((error.empty() && sns->found >= static_cast<long>(sns->expected)) ||
          Clock::now() >= countDeadline)
        break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    sns->countSeconds = std::chrono::duration<double>(Clock::now() - countStart).count();
  }

  Stats total;
  for (const auto& s : stats) total.merge(s);
  if (ec2) {
    Ec2Tally& t = ec2Sessions->tally();
    ec2->describes = t.describes;
    ec2->wrongCount = t.wrongCount;
    ec2->failed = t.failed;
    ec2->runs = t.runs;
    ec2->launched = t.launched;
    ec2->terminates = t.terminates;
    ec2->allResponses = total.responses;
    ec2->allP50us = micros(total.latency.percentile(0.5));
    ec2->allP99us = micros(total.latency.percentile(0.99));
    std::lock_guard lock(t.mutex);
    std::sort(t.latencyUs.begin(), t.latencyUs.end());
    ec2->samples = t.latencyUs.size();
    for (double us : t.latencyUs) ec2->meanUs += us;
    if (ec2->samples > 0) ec2->meanUs /= static_cast<double>(ec2->samples);
    ec2->p50us = exactPercentile(t.latencyUs, 0.5);
    ec2->p90us = exactPercentile(t.latencyUs, 0.9);
    ec2->p99us = exactPercentile(t.latencyUs, 0.99);
    ec2->maxUs = t.latencyUs.empty() ? 0 : t.latencyUs.back();
    // ec2-run-10: the row's requests are RunInstances alone; errors and statuses stay all.
    if (ec2->run) total.responses = ec2->samples;
  }
  report(options, total, seconds, cpuSecondsUsed(), sqs, sns, ec2);
  return total.responses > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"overcast-loadgen: closed-loop HTTP/1.1 load generator (see bench/README.md)"};
  app.add_option("--host", options.host, "server address")->capture_default_str();
  app.add_option("--port", options.port, "server port");
  app.add_option("--action", options.action, "scenario (see --list)")->capture_default_str();
  app.add_option("--connections,-c", options.connections, "concurrent keep-alive connections")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--duration,-d", options.duration, "measured seconds")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--warmup", options.warmup, "seconds of load before measuring")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--threads,-t", options.threads, "generator threads")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--access-key", options.signing.accessKey, "SigV4 access key id")
      ->capture_default_str();
  app.add_option("--secret-key", options.signing.secretKey, "SigV4 secret key")
      ->capture_default_str();
  app.add_option("--region", options.signing.region, "SigV4 region")->capture_default_str();
  app.add_flag("--no-sign", options.noSign, "send requests unsigned");
  app.add_flag("--json", options.json, "also print one JSON line with the results");
  app.add_option("--label", options.label, "free text copied into the JSON line (e.g. the peer)");
  app.add_option("--prime", options.prime,
                 "requests sent and answered on one connection before the warm-up")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--prime-timeout", options.primeTimeout, "seconds to wait for them")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--drain-timeout", options.drainTimeout,
                 "sqs-cycle: seconds after the window to drain the queue (receive + delete until "
                 "empty) before counting lost and duplicated messages")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--queue-name", options.queueName,
                 "SQS scenarios: the queue to create and use (default: a fresh one per run); SNS "
                 "scenarios: the topic's name, its queues are NAME-0, NAME-1...");
  app.add_flag("--sns-raw", options.snsRaw,
               "SNS scenarios: subscribe with RawMessageDelivery=true (default: the JSON envelope)");
  app.add_option("--count-timeout", options.countTimeout,
                 "SNS scenarios: seconds to wait after the run for the queues to hold every copy")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--sns-topic-arn", options.snsTopicArn,
                 "sns-publish-existing: the topic to publish to (made and subscribed beforehand)");
  app.add_option("--messages", options.messages,
                 "SNS publish scenarios: stop after this many publishes (all connections; the "
                 "rates are then over the time they took, up to --duration)")
      ->capture_default_str();
  app.add_option("--ec2-fill", options.ec2Fill,
                 "fill the account with this many instances (RunInstances of up to --ec2-batch, "
                 "then CreateTags Name=group-<k> on each 10 in launch order) and exit")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--ec2-batch", options.ec2Batch, "--ec2-fill: instances per RunInstances")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--ec2-image", options.ec2Image, "EC2: the image RunInstances launches")
      ->capture_default_str();
  app.add_option("--ec2-instance-type", options.ec2InstanceType, "EC2: the instance type")
      ->capture_default_str();
  app.add_option("--ec2-group", options.ec2Group,
                 "ec2-describe-*: the Name tag value of the 10 instances to describe")
      ->capture_default_str();
  app.add_option("--ec2-call-timeout", options.ec2CallTimeout,
                 "--ec2-fill: seconds allowed for each request (moto launches slowly)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_flag("--list", options.list, "list the scenarios and exit");
  CLI11_PARSE(app, argc, argv);

  if (options.list) {
    for (const auto& scenario : scenarios())
      fmt::print("{:34} {}\n", scenario.name, scenario.description);
    return 0;
  }
  if (options.port == 0) {
    fmt::print(stderr, "overcast-loadgen: --port is required\n");
    return 2;
  }
  if (options.threads > options.connections) options.threads = options.connections;
  try {
    return run(options);
  } catch (const std::exception& e) {
    fmt::print(stderr, "overcast-loadgen: {}\n", e.what());
    return 2;
  }
}
