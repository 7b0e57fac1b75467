// overcast-sqs-probe: the SQS measurements that are not closed-loop throughput (bench/README.md).
//
//   longpoll  N idle long-polling receivers (WaitTimeSeconds=20) on one queue; the server's CPU
//             over --idle seconds while they wait (from /proc/<--pid>/stat); then --trials times:
//             SendMessage on another connection, and the time until a waiting ReceiveMessage
//             returns with it (the receiver deletes it and polls again).
//   fill      --messages 256-byte messages into the queue, SendMessageBatch of --batch over
//             --connections connections (--batch 1: SendMessage).
//   latency   --samples times: SendMessage (not timed), then ReceiveMessage(1) + DeleteMessage
//             of what came back, timed together; the queue's depth stays where it was.
//   fanout    SNS: a topic with --subscriptions SQS queues, one long-polling receiver on each;
//             --samples times: Publish one message, and the time from writing it until the last
//             (and the first) copy has come back from its queue; every copy checked (envelope,
//             MessageId, duplicates), deleted, and the receiver polls again before the next one.
//
// Every mode creates (or finds: CreateQueue is idempotent) the queue --queue and uses the URL the
// server answers. Output: human lines, and with --json one JSON line.
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <unistd.h>
#include <unordered_set>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>

#include "../loadgen/response_parser.h"
#include "../loadgen/sns.h"
#include "../loadgen/sqs.h"

namespace {

namespace asio = boost::asio;
using namespace overcast::bench;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

// One HTTP/1.1 connection, one request at a time; reconnects when the server closed it.
class Conn {
 public:
  using Done = std::function<void(int status, const std::string& body)>;
  Conn(asio::io_context& io, asio::ip::tcp::endpoint endpoint) : socket_(io), endpoint_(endpoint) {}

  void request(std::string wire, Done done) {
    wire_ = std::move(wire);
    done_ = std::move(done);
    if (socket_.is_open()) {
      write();
      return;
    }
    socket_.async_connect(endpoint_, [this](const error_code& ec) {
      if (ec) return finish(0, "connect: " + ec.message());
      socket_.set_option(asio::ip::tcp::no_delay(true));
      write();
    });
  }

  Clock::time_point lastWrite() const { return written_; }

 private:
  void write() {
    parser_.reset(&body_);
    written_ = Clock::now();
    asio::async_write(socket_, asio::buffer(wire_), [this](const error_code& ec, std::size_t) {
      if (ec) return finish(0, "write: " + ec.message());
      read();
    });
  }
  void read() {
    socket_.async_read_some(asio::buffer(buffer_), [this](const error_code& ec, std::size_t n) {
      parser_.feed(buffer_.data(), n);
      if (ec == asio::error::eof) parser_.onEof();
      if (parser_.done()) {
        if (parser_.closeAfter()) close();
        return finish(parser_.status(), body_);
      }
      if (parser_.failed()) return finish(0, std::string(parser_.error()));
      if (ec) return finish(0, "read: " + ec.message());
      read();
    });
  }
  void close() {
    error_code ignored;
    socket_.close(ignored);
  }
  void finish(int status, const std::string& body) {
    if (status == 0) close();
    auto done = std::move(done_);
    done(status, body);
  }

  asio::ip::tcp::socket socket_;
  asio::ip::tcp::endpoint endpoint_;
  std::string wire_, body_;
  Done done_;
  ResponseParser parser_;
  std::array<char, 16 * 1024> buffer_{};
  Clock::time_point written_;
};

// Runs `io` until `*flag` is set.
void runUntil(asio::io_context& io, const bool& flag) {
  io.restart();
  while (!flag && io.run_one() > 0) {
  }
}

// A blocking request on `conn`: (status, body).
std::pair<int, std::string> call(asio::io_context& io, Conn& conn, std::string wire) {
  bool done = false;
  std::pair<int, std::string> result;
  conn.request(std::move(wire), [&](int status, const std::string& body) {
    result = {status, body};
    done = true;
  });
  runUntil(io, done);
  return result;
}

double cpuSecondsOf(int pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string line;
  std::getline(in, line);
  auto close = line.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream rest(line.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i)
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::string jsonEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<int>(c));
    } else {
      out += c;
    }
  }
  return out;
}

double percentileUs(std::vector<double> v, double fraction) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto rank = static_cast<std::size_t>(fraction * static_cast<double>(v.size()) + 0.999999);
  return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string protocol = "json";
  std::string queue = "overcast-bench-probe";
  std::string label;
  bool sign = true;
  bool json = false;
  int pid = 0;
  int receivers = 1000;
  double idle = 10;
  int trials = 100;
  long messages = 1'000'000;
  int connections = 32;
  int batch = 10;
  int samples = 2000;
  int subscriptions = 1;
  bool raw = false;
  double gapMs = 20;
};

struct Setup {
  asio::ip::tcp::endpoint endpoint;
  std::unique_ptr<SqsRequests> requests;
};

Setup setUp(const Options& o) {
  Setup s;
  s.endpoint = asio::ip::tcp::endpoint(asio::ip::make_address(o.host), o.port);
  s.requests = std::make_unique<SqsRequests>(
      o.protocol == "query" ? SqsProtocol::kQuery : SqsProtocol::kJson,
      fmt::format("{}:{}", o.host, o.port), o.sign, "test", "test", "us-east-1");
  std::string error;
  s.requests->setQueueUrl(sqsCreateQueue(s.endpoint, *s.requests, o.queue, &error));
  if (!error.empty())
    throw std::runtime_error(fmt::format("CreateQueue {} failed: {}", o.queue, error));
  return s;
}

std::string header(const Options& o, std::string_view mode) {
  return fmt::format("{{\"label\":\"{}\",\"mode\":\"{}\",\"protocol\":\"{}\",\"queue\":\"{}\"", o.label,
                     mode, o.protocol, o.queue);
}

// ---- longpoll

int longpoll(const Options& o) {
  Setup s = setUp(o);
  asio::io_context io(1);
  const SqsRequests& rq = *s.requests;
  std::vector<std::unique_ptr<Conn>> receivers;
  long returnsEmpty = 0, returnsWithMessage = 0, errors = 0;
  bool counting = false;
  long returnsWhileIdle = 0;
  bool inTrials = false;
  long emptyDuringTrials = 0;  // receivers woken by a send that came back without it
  std::string firstError;
  // A trial: the send's write time; set when the receiver that got it returns.
  const Conn* sender = nullptr;  // the trial's clock starts at its last write
  bool trialOpen = false, trialDone = false;
  std::vector<double> latencies;

  std::function<void(Conn&)> poll = [&](Conn& c) {
    std::string wire;
    rq.receiveMessage(1, 20, wire);
    c.request(std::move(wire), [&, conn = &c](int status, const std::string& body) {
      auto now = Clock::now();
      if (counting) ++returnsWhileIdle;
      if (status != 200) {
        ++errors;
        if (firstError.empty()) firstError = fmt::format("HTTP {}: {}", status, body.substr(0, 300));
        auto timer = std::make_shared<asio::steady_timer>(io, std::chrono::milliseconds(100));
        timer->async_wait([&, conn, timer](const error_code&) { poll(*conn); });
        return;
      }
      std::vector<SqsMessage> got;
      rq.parseReceive(body, got);
      if (got.empty()) {
        ++returnsEmpty;
        if (inTrials) ++emptyDuringTrials;
        poll(*conn);
        return;
      }
      ++returnsWithMessage;
      if (trialOpen) {
        latencies.push_back(std::chrono::duration<double, std::micro>(now - sender->lastWrite()).count());
        trialOpen = false;
        trialDone = true;
      }
      std::string del;
      rq.deleteMessage(got.front().receiptHandle, del);
      conn->request(std::move(del), [&, conn](int, const std::string&) { poll(*conn); });
    });
  };

  for (int i = 0; i < o.receivers; ++i) {
    receivers.push_back(std::make_unique<Conn>(io, s.endpoint));
    poll(*receivers.back());
  }
  // Let every receiver connect and send its request, then measure the idle server.
  auto settle = Clock::now() + std::chrono::seconds(2);
  io.run_until(settle);
  counting = true;
  double cpu0 = o.pid ? cpuSecondsOf(o.pid) : 0;
  auto t0 = Clock::now();
  io.restart();
  io.run_until(t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.idle)));
  double idleWall = std::chrono::duration<double>(Clock::now() - t0).count();
  double cpu1 = o.pid ? cpuSecondsOf(o.pid) : 0;
  counting = false;
  double idleCpu = cpu1 - cpu0;

  // Trials: send on a separate connection; a waiting receiver returns with the message.
  Conn senderConn(io, s.endpoint);
  sender = &senderConn;
  std::string body;
  long sendFailures = 0;
  inTrials = true;
  for (int t = 0; t < o.trials; ++t) {
    sqsMessageBody(static_cast<std::uint64_t>(t), body);
    std::string wire;
    rq.sendMessage(body, wire);
    trialDone = false;
    bool sent = false;
    int sendStatus = 0;
    senderConn.request(std::move(wire), [&](int status, const std::string&) {
      sendStatus = status;
      sent = true;
    });
    // The clock starts when the sender writes the request (after connecting, the first time).
    trialOpen = true;
    auto deadline = Clock::now() + std::chrono::seconds(25);
    io.restart();
    while ((!trialDone || !sent) && Clock::now() < deadline) io.run_one_until(deadline);
    if (sendStatus != 200) ++sendFailures;
    if (!trialDone) {
      trialOpen = false;
      fmt::print(stderr, "overcast-sqs-probe: trial {}: no receiver returned within 25 s\n", t);
    }
    io.restart();
    io.run_for(std::chrono::milliseconds(20));  // the receiver deletes and polls again
  }
  double p50 = percentileUs(latencies, 0.5), p90 = percentileUs(latencies, 0.9),
         mx = percentileUs(latencies, 1.0);
  fmt::print(
      "longpoll: {} receivers waiting (WaitTimeSeconds=20); server CPU over {:.1f} s idle: "
      "{:.3f} s ({:.2f}% of a core); {} receives returned while idle\n",
      o.receivers, idleWall, idleCpu, 100 * idleCpu / idleWall, returnsWhileIdle);
  fmt::print(
      "longpoll: send -> waiting receive returns: median {:.0f} µs, p90 {:.0f} µs, max {:.0f} µs "
      "over {} of {} trials; {:.1f} receivers per trial returned empty before their wait ended; "
      "{} send failures, {} receive errors{}{}\n",
      p50, p90, mx, latencies.size(), o.trials,
      static_cast<double>(emptyDuringTrials) / std::max(1, o.trials), sendFailures, errors,
      firstError.empty() ? "" : "; first: ", firstError);
  if (o.json)
    fmt::print(
        "{},\"receivers\":{},\"idle_s\":{:.3f},\"idle_server_cpu_s\":{:.4f},"
        "\"idle_server_cpu_pct\":{:.3f},\"returns_while_idle\":{},\"trials\":{},"
        "\"trials_ok\":{},\"wake_p50_us\":{:.1f},\"wake_p90_us\":{:.1f},\"wake_max_us\":{:.1f},"
        "\"send_failures\":{},\"receive_errors\":{},\"returns_empty\":{},"
        "\"empty_returns_during_trials\":{}}}\n",
        header(o, "longpoll"), o.receivers, idleWall, idleCpu, 100 * idleCpu / idleWall,
        returnsWhileIdle, o.trials, latencies.size(), p50, p90, mx, sendFailures, errors,
        returnsEmpty, emptyDuringTrials);
  return latencies.empty() ? 1 : 0;
}

// ---- fill

int fill(const Options& o) {
  Setup s = setUp(o);
  asio::io_context io(1);
  const SqsRequests& rq = *s.requests;
  long next = 0, confirmed = 0, failed = 0, inflight = 0;
  std::string firstError;
  std::vector<std::unique_ptr<Conn>> conns;
  std::function<void(Conn&)> step = [&](Conn& c) {
    if (next >= o.messages) return;
    int n = static_cast<int>(std::min<long>(o.batch, o.messages - next));
    std::vector<std::string> bodies(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) sqsMessageBody(static_cast<std::uint64_t>(next + i), bodies[static_cast<std::size_t>(i)]);
    next += n;
    std::string wire;
    if (n == 1) rq.sendMessage(bodies[0], wire);
    else rq.sendMessageBatch(bodies, wire);
    ++inflight;
    c.request(std::move(wire), [&, n, conn = &c](int status, const std::string& body) {
      --inflight;
      int ok = status == 200 ? (n == 1 ? 1 : rq.parseBatchSuccesses(body)) : 0;
      confirmed += ok;
      failed += n - ok;
      if (ok < n && firstError.empty()) firstError = fmt::format("HTTP {}: {}", status, body.substr(0, 300));
      step(*conn);
    });
  };
  auto t0 = Clock::now();
  for (int i = 0; i < o.connections; ++i) {
    conns.push_back(std::make_unique<Conn>(io, s.endpoint));
    step(*conns.back());
  }
  io.run();
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  fmt::print("fill: {} messages sent ({} failed) in {:.1f} s: {:.0f} msg/s, {} per request over {} connections{}{}\n",
             confirmed, failed, secs, static_cast<double>(confirmed) / secs, o.batch,
             o.connections, firstError.empty() ? "" : "; first failure: ", firstError);
  if (o.json)
    fmt::print("{},\"messages\":{},\"failed\":{},\"seconds\":{:.3f},\"msg_per_s\":{:.1f},\"batch\":{},"
               "\"connections\":{}}}\n",
               header(o, "fill"), confirmed, failed, secs, static_cast<double>(confirmed) / secs,
               o.batch, o.connections);
  return failed == 0 ? 0 : 1;
}

// ---- latency

int latency(const Options& o) {
  Setup s = setUp(o);
  asio::io_context io(1);
  const SqsRequests& rq = *s.requests;
  Conn conn(io, s.endpoint);
  std::vector<double> us;
  long empty = 0, failures = 0;
  std::string body, wire, firstError;
  std::vector<SqsMessage> got;
  for (int i = 0; i < o.samples; ++i) {
    sqsMessageBody(static_cast<std::uint64_t>(0xFFFF0000000000ull + static_cast<std::uint64_t>(i)), body);
    rq.sendMessage(body, wire);
    auto [sendStatus, sendBody] = call(io, conn, wire);
    if (sendStatus != 200) {
      ++failures;
      if (firstError.empty()) firstError = fmt::format("send HTTP {}: {}", sendStatus, sendBody.substr(0, 300));
      continue;
    }
    auto t0 = Clock::now();
    rq.receiveMessage(1, 0, wire);
    auto [status, answer] = call(io, conn, wire);
    rq.parseReceive(answer, got);
    if (status != 200 || got.empty()) {
      if (status == 200) ++empty;
      else ++failures;
      if (status != 200 && firstError.empty()) firstError = fmt::format("receive HTTP {}: {}", status, answer.substr(0, 300));
      continue;
    }
    rq.deleteMessage(got.front().receiptHandle, wire);
    auto [delStatus, delBody] = call(io, conn, wire);
    auto t1 = Clock::now();
    if (delStatus != 200) {
      ++failures;
      if (firstError.empty()) firstError = fmt::format("delete HTTP {}: {}", delStatus, delBody.substr(0, 300));
      continue;
    }
    us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  double p50 = percentileUs(us, 0.5), p99 = percentileUs(us, 0.99), mx = percentileUs(us, 1.0);
  fmt::print("latency: ReceiveMessage(1) + DeleteMessage: p50 {:.0f} µs, p99 {:.0f} µs, max {:.0f} µs "
             "over {} samples; {} empty receives, {} failures{}{}\n",
             p50, p99, mx, us.size(), empty, failures, firstError.empty() ? "" : "; first: ", firstError);
  if (o.json)
    fmt::print("{},\"samples\":{},\"p50_us\":{:.1f},\"p99_us\":{:.1f},\"max_us\":{:.1f},\"empty\":{},"
               "\"failures\":{}}}\n",
               header(o, "latency"), us.size(), p50, p99, mx, empty, failures);
  return us.empty() ? 1 : 0;
}

// ---- fanout

int fanout(const Options& o) {
  asio::ip::tcp::endpoint endpoint(asio::ip::make_address(o.host), o.port);
  const std::string host = fmt::format("{}:{}", o.host, o.port);
  SnsRequests sns(host, o.sign, "test", "test", "us-east-1");
  SqsRequests queueTemplate(o.protocol == "query" ? SqsProtocol::kQuery : SqsProtocol::kJson, host,
                            o.sign, "test", "test", "us-east-1");
  std::string error;
  auto f = snsSetUpFanout(endpoint, sns, queueTemplate, o.queue, o.subscriptions, o.raw, error);
  if (!f) throw std::runtime_error(fmt::format("SNS setup failed: {}", error));
  const auto n = static_cast<std::size_t>(o.subscriptions);

  asio::io_context io(1);
  struct Receiver {
    std::unique_ptr<Conn> conn;
    bool polling = false;         // its ReceiveMessage is on the wire
    bool got = false;             // this trial's copy came back
    Clock::time_point arrived;
    std::string copyId;           // the MessageId in the copy's envelope
    std::unordered_set<std::uint64_t> seen;  // sequence numbers received from this queue
  };
  std::vector<Receiver> receivers(n);
  std::int64_t trial = -1;
  long copies = 0, duplicates = 0, late = 0, foreign = 0, badEnvelope = 0, receiveErrors = 0,
       deleteErrors = 0;
  std::string firstError;
  auto noteError = [&](std::string what) {
    if (firstError.empty()) firstError = std::move(what);
  };

  std::function<void(std::size_t)> poll = [&](std::size_t q) {
    Receiver& r = receivers[q];
    std::string wire;
    f->queues[q].receiveMessage(10, 20, wire);
    r.polling = true;
    r.conn->request(std::move(wire), [&, q](int status, const std::string& body) {
      auto now = Clock::now();
      Receiver& rr = receivers[q];
      rr.polling = false;
      if (status != 200) {
        ++receiveErrors;
        noteError(fmt::format("receive HTTP {}: {}", status, body.substr(0, 300)));
        auto timer = std::make_shared<asio::steady_timer>(io, std::chrono::milliseconds(100));
        timer->async_wait([&, q, timer](const error_code&) { poll(q); });
        return;
      }
      std::vector<SqsMessage> got;
      f->queues[q].parseReceive(body, got);
      for (const auto& m : got) {
        std::string_view text = m.body;
        std::optional<SnsEnvelope> envelope;
        if (!o.raw) {
          envelope = parseSnsEnvelope(m.body);
          if (!envelope || envelope->type != "Notification" || envelope->topicArn != f->topicArn ||
              envelope->messageId.empty()) {
            ++badEnvelope;
            noteError(fmt::format("copy without the expected envelope: {}", m.body.substr(0, 300)));
          }
          if (envelope) text = envelope->message;
        }
        auto seq = sqsMessageSeq(text);
        if (!seq) {
          ++foreign;
          continue;
        }
        ++copies;
        if (!rr.seen.insert(*seq).second) {
          ++duplicates;
        } else if (static_cast<std::int64_t>(*seq) == trial) {
          rr.got = true;
          rr.arrived = now;
          rr.copyId = envelope ? envelope->messageId : std::string();
        } else {
          ++late;  // a copy of an earlier trial, after that trial gave up on it
        }
      }
      if (got.empty()) return poll(q);
      std::string del;
      f->queues[q].deleteMessageBatch(got, del);
      rr.conn->request(std::move(del), [&, q, count = got.size()](int dStatus, const std::string& dBody) {
        if (dStatus != 200 || f->queues[q].parseBatchSuccesses(dBody) != static_cast<int>(count)) {
          ++deleteErrors;
          noteError(fmt::format("delete HTTP {}: {}", dStatus, dBody.substr(0, 300)));
        }
        poll(q);
      });
    });
  };
  for (std::size_t q = 0; q < n; ++q) {
    receivers[q].conn = std::make_unique<Conn>(io, endpoint);
    poll(q);
  }
  // Until every receiver waits (its request written and given --gap-ms to reach the server).
  auto settle = [&] {
    auto deadline = Clock::now() + std::chrono::seconds(10);
    io.restart();
    while (Clock::now() < deadline) {
      bool all = true;
      for (const auto& r : receivers) all = all && r.polling;
      if (all) break;
      io.run_one_until(deadline);
    }
    io.restart();
    io.run_for(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, std::milli>(o.gapMs)));
  };
  settle();

  Conn publisher(io, endpoint);
  std::vector<double> lastUs, firstUs, publishUs;
  long published = 0, publishFailures = 0, incomplete = 0, missing = 0, idMismatch = 0;
  std::string message;
  for (int t = 0; t < o.samples; ++t) {
    trial = t;
    for (auto& r : receivers) r.got = false;
    sqsMessageBody(static_cast<std::uint64_t>(t), message);
    std::string wire;
    sns.publish(f->topicArn, message, wire);
    bool answered = false;
    int status = 0;
    std::string messageId;
    Clock::time_point answeredAt;
    publisher.request(std::move(wire), [&](int s, const std::string& body) {
      answeredAt = Clock::now();
      status = s;
      messageId = std::string(snsPublishMessageId(body));
      if (s != 200 || messageId.empty())
        noteError(fmt::format("publish HTTP {}: {}", s, body.substr(0, 300)));
      answered = true;
    });
    auto deadline = Clock::now() + std::chrono::seconds(25);
    auto allGot = [&] {
      for (const auto& r : receivers)
        if (!r.got) return false;
      return true;
    };
    io.restart();
    while ((!answered || !allGot()) && Clock::now() < deadline) io.run_one_until(deadline);
    auto start = publisher.lastWrite();
    if (!answered || status != 200 || messageId.empty()) {
      ++publishFailures;
    } else {
      ++published;
      publishUs.push_back(std::chrono::duration<double, std::micro>(answeredAt - start).count());
    }
    Clock::time_point first = Clock::time_point::max(), last = Clock::time_point::min();
    for (const auto& r : receivers) {
      if (!r.got) {
        ++missing;
        continue;
      }
      first = std::min(first, r.arrived);
      last = std::max(last, r.arrived);
      if (!o.raw && !messageId.empty() && r.copyId != messageId) ++idMismatch;
    }
    if (allGot()) {
      lastUs.push_back(std::chrono::duration<double, std::micro>(last - start).count());
      firstUs.push_back(std::chrono::duration<double, std::micro>(first - start).count());
    } else {
      ++incomplete;
      fmt::print(stderr, "overcast-sqs-probe: trial {}: not every copy came back within 25 s\n", t);
    }
    settle();
  }
  trial = -1;
  io.restart();
  io.run_for(std::chrono::milliseconds(200));  // late copies

  const long expected = published * static_cast<long>(n);
  auto ms = [](double us) { return us / 1000; };
  fmt::print(
      "fanout: {} subscription{} ({}), {} samples: publish sent -> last copy received: p50 {:.2f} "
      "ms, p99 {:.2f} ms, max {:.2f} ms; first copy p50 {:.2f} ms; Publish answered p50 {:.2f} ms, "
      "p99 {:.2f} ms; copies {} received of {} expected, {} missing, {} duplicated, {} late, {} "
      "with another MessageId, {} bad envelopes, {} foreign; {} publish failures, {} receive "
      "errors, {} delete errors{}{}\n",
      n, n == 1 ? "" : "s", o.raw ? "raw delivery" : "JSON envelope", o.samples,
      ms(percentileUs(lastUs, 0.5)), ms(percentileUs(lastUs, 0.99)), ms(percentileUs(lastUs, 1.0)),
      ms(percentileUs(firstUs, 0.5)), ms(percentileUs(publishUs, 0.5)),
      ms(percentileUs(publishUs, 0.99)), copies - duplicates, expected, missing, duplicates, late,
      idMismatch, badEnvelope, foreign, publishFailures, receiveErrors, deleteErrors,
      firstError.empty() ? "" : "; first problem: ", firstError);
  if (o.json)
    fmt::print(
        "{},\"subscriptions\":{},\"raw\":{},\"samples\":{},\"trials_ok\":{},\"incomplete\":{},"
        "\"last_p50_us\":{:.1f},\"last_p90_us\":{:.1f},\"last_p99_us\":{:.1f},\"last_max_us\":{:.1f},"
        "\"first_p50_us\":{:.1f},\"first_p99_us\":{:.1f},\"publish_p50_us\":{:.1f},"
        "\"publish_p99_us\":{:.1f},\"published\":{},\"publish_failures\":{},"
        "\"copies_expected\":{},\"copies_received\":{},\"missing\":{},\"duplicated\":{},"
        "\"late\":{},\"id_mismatch\":{},\"bad_envelope\":{},\"foreign\":{},"
        "\"receive_errors\":{},\"delete_errors\":{},\"first_problem\":\"{}\"}}\n",
        header(o, "fanout"), n, o.raw, o.samples, lastUs.size(), incomplete,
        percentileUs(lastUs, 0.5), percentileUs(lastUs, 0.9), percentileUs(lastUs, 0.99),
        percentileUs(lastUs, 1.0), percentileUs(firstUs, 0.5), percentileUs(firstUs, 0.99),
        percentileUs(publishUs, 0.5), percentileUs(publishUs, 0.99), published, publishFailures,
        expected, copies - duplicates, missing, duplicates, late, idMismatch, badEnvelope, foreign,
        receiveErrors, deleteErrors, jsonEscape(firstError));
  bool clean = incomplete == 0 && missing == 0 && duplicates == 0 && idMismatch == 0 &&
               badEnvelope == 0 && publishFailures == 0;
  return lastUs.empty() ? 1 : clean ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"overcast-sqs-probe: SQS long-poll, fill and latency measurements (bench/README.md)"};
  app.require_subcommand(1);
  auto common = [&](CLI::App* sub) {
    sub->add_option("--host", o.host)->capture_default_str();
    sub->add_option("--port", o.port)->required();
    sub->add_option("--protocol", o.protocol, "json or query")
        ->check(CLI::IsMember({"json", "query"}))
        ->capture_default_str();
    sub->add_option("--queue", o.queue, "queue name (created if missing)")->capture_default_str();
    sub->add_option("--label", o.label, "copied into the JSON line");
    sub->add_flag("--json", o.json, "also print one JSON line");
    sub->add_flag("!--no-sign", o.sign, "send unsigned requests");
  };
  auto* lp = app.add_subcommand("longpoll", "idle long-polling receivers: server CPU, wake-up latency");
  common(lp);
  lp->add_option("--pid", o.pid, "the server's PID, for its CPU time");
  lp->add_option("--receivers", o.receivers)->capture_default_str();
  lp->add_option("--idle", o.idle, "seconds of idle measurement")->capture_default_str();
  lp->add_option("--trials", o.trials)->capture_default_str();
  auto* fi = app.add_subcommand("fill", "queue many 256-byte messages");
  common(fi);
  fi->add_option("--messages", o.messages)->capture_default_str();
  fi->add_option("--connections", o.connections)->capture_default_str();
  fi->add_option("--batch", o.batch, "messages per request (SendMessageBatch; 1: SendMessage)")
      ->check(CLI::Range(1, 10))
      ->capture_default_str();
  auto* la = app.add_subcommand("latency", "ReceiveMessage + DeleteMessage latency at the current depth");
  common(la);
  la->add_option("--samples", o.samples)->capture_default_str();
  auto* fo = app.add_subcommand("fanout", "SNS Publish -> copies in N subscribed queues: latency");
  common(fo);
  fo->add_option("--subscriptions", o.subscriptions, "queues subscribed to the topic")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  fo->add_option("--samples", o.samples, "publishes, one at a time (default 200)");
  fo->add_flag("--raw", o.raw, "subscribe with RawMessageDelivery=true (default: JSON envelope)");
  fo->add_option("--gap-ms", o.gapMs, "pause once every receiver polls again, before the next")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (fo->parsed()) {
    if (fo->count("--samples") == 0) o.samples = 200;
    // A topic and queues of its own (--queue names them: NAME-0, NAME-1...).
    if (o.queue == "overcast-bench-probe")
      o.queue = fmt::format("overcast-bench-fanout-{}-{}", o.subscriptions, getpid());
  }

  // 1,000 receivers need more descriptors than the usual soft limit of 1024.
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  try {
    if (lp->parsed()) return longpoll(o);
    if (fi->parsed()) return fill(o);
    if (fo->parsed()) return fanout(o);
    return latency(o);
  } catch (const std::exception& e) {
    fmt::print(stderr, "overcast-sqs-probe: {}\n", e.what());
    return 2;
  }
}
