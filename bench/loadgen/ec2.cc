#include "ec2.h"

#include <algorithm>
#include <unordered_set>

#include <fmt/format.h>

#include "sqs.h"  // sqsExchange

namespace overcast::bench {

namespace {

constexpr std::string_view kForm = "application/x-www-form-urlencoded; charset=utf-8";
constexpr std::string_view kVersion = "Version=2016-11-15";
constexpr auto kSetupTimeout = std::chrono::seconds(60);

void appendFormEncoded(std::string_view value, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : value) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[static_cast<unsigned char>(c) >> 4];
      out += kHex[static_cast<unsigned char>(c) & 0xF];
    }
  }
}

std::string& scratchBody() {
  thread_local std::string body;
  body.clear();
  return body;
}

std::string describe(int status, const std::string& body) {
  return status == 0 ? body : fmt::format("HTTP {}: {}", status, body.substr(0, 300));
}

constexpr std::string_view kIdOpen = "<instanceId>", kIdClose = "</instanceId>";

}  // namespace

std::string ec2GroupName(long k) { return fmt::format("group-{}", k); }

Ec2Requests::Ec2Requests(std::string host, bool sign, std::string accessKey,
                         std::string secretKey, std::string region)
    : host_(std::move(host)),
      sign_(sign),
      signer_(std::move(accessKey), std::move(secretKey), std::move(region), "ec2") {}

void Ec2Requests::finish(const std::string& body, std::string& out) const {
  out.clear();
  out.append("POST / HTTP/1.1\r\nHost: ").append(host_).append("\r\nContent-Type: ");
  out.append(kForm).append("\r\n");
  if (sign_) signer_.appendAuthHeaders(host_, kForm, {}, body, out);
  fmt::format_to(std::back_inserter(out), "Content-Length: {}\r\n\r\n", body.size());
  out.append(body);
}

void Ec2Requests::runInstances(int count, std::string_view image, std::string_view instanceType,
                               std::string& out) const {
  std::string& b = scratchBody();
  fmt::format_to(std::back_inserter(b), "Action=RunInstances&{}&ImageId=", kVersion);
  appendFormEncoded(image, b);
  b.append("&InstanceType=");
  appendFormEncoded(instanceType, b);
  fmt::format_to(std::back_inserter(b), "&MinCount={}&MaxCount={}", count, count);
  finish(b, out);
}

void Ec2Requests::terminateInstances(std::span<const std::string> ids, std::string& out) const {
  std::string& b = scratchBody();
  fmt::format_to(std::back_inserter(b), "Action=TerminateInstances&{}", kVersion);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    fmt::format_to(std::back_inserter(b), "&InstanceId.{}=", i + 1);
    appendFormEncoded(ids[i], b);
  }
  finish(b, out);
}

void Ec2Requests::createTags(std::span<const std::string> ids, std::string_view key,
                             std::string_view value, std::string& out) const {
  std::string& b = scratchBody();
  fmt::format_to(std::back_inserter(b), "Action=CreateTags&{}", kVersion);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    fmt::format_to(std::back_inserter(b), "&ResourceId.{}=", i + 1);
    appendFormEncoded(ids[i], b);
  }
  b.append("&Tag.1.Key=");
  appendFormEncoded(key, b);
  b.append("&Tag.1.Value=");
  appendFormEncoded(value, b);
  finish(b, out);
}

void Ec2Requests::describeByTag(std::string_view key, std::string_view value,
                                std::string& out) const {
  std::string& b = scratchBody();
  fmt::format_to(std::back_inserter(b), "Action=DescribeInstances&{}&Filter.1.Name=", kVersion);
  appendFormEncoded(fmt::format("tag:{}", key), b);
  b.append("&Filter.1.Value.1=");
  appendFormEncoded(value, b);
  finish(b, out);
}

void Ec2Requests::describeByIdFilter(std::span<const std::string> ids, std::string& out) const {
  std::string& b = scratchBody();
  fmt::format_to(std::back_inserter(b), "Action=DescribeInstances&{}&Filter.1.Name=instance-id",
                 kVersion);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    fmt::format_to(std::back_inserter(b), "&Filter.1.Value.{}=", i + 1);
    appendFormEncoded(ids[i], b);
  }
  finish(b, out);
}

void Ec2Requests::describeByIds(std::span<const std::string> ids, std::string& out) const {
  std::string& b = scratchBody();
  fmt::format_to(std::back_inserter(b), "Action=DescribeInstances&{}", kVersion);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    fmt::format_to(std::back_inserter(b), "&InstanceId.{}=", i + 1);
    appendFormEncoded(ids[i], b);
  }
  finish(b, out);
}

void ec2InstanceIds(std::string_view body, std::vector<std::string>& out) {
  out.clear();
  std::unordered_set<std::string_view> seen;
  for (auto at = body.find(kIdOpen); at != std::string_view::npos;
       at = body.find(kIdOpen, at)) {
    at += kIdOpen.size();
    auto end = body.find(kIdClose, at);
    if (end == std::string_view::npos) break;
    std::string_view id = body.substr(at, end - at);
    if (seen.insert(id).second) out.emplace_back(id);
    at = end;
  }
}

int ec2CountInstanceIds(std::string_view body) {
  thread_local std::vector<std::string> ids;
  ec2InstanceIds(body, ids);
  return static_cast<int>(ids.size());
}

Ec2FillResult ec2Fill(const boost::asio::ip::tcp::endpoint& endpoint, const Ec2Requests& ec2,
                      long instances, int batch, std::string_view image,
                      std::string_view instanceType, std::chrono::milliseconds callTimeout) {
  using Clock = std::chrono::steady_clock;
  Ec2FillResult r;
  std::vector<std::string> all, ids;
  std::string request;
  auto start = Clock::now();
  while (r.launched < instances) {
    int count = static_cast<int>(std::min<long>(batch, instances - r.launched));
    ec2.runInstances(count, image, instanceType, request);
    auto [status, body] = sqsExchange(endpoint, request, callTimeout);
    ++r.runCalls;
    ec2InstanceIds(status == 200 ? std::string_view(body) : std::string_view(), ids);
    if (static_cast<int>(ids.size()) != count) {
      r.error = fmt::format("RunInstances of {} (after {} launched) gave {} ids: {}", count,
                            r.launched, ids.size(), describe(status, body));
      return r;
    }
    r.launched += count;
    all.insert(all.end(), ids.begin(), ids.end());
  }
  auto launchedAt = Clock::now();
  r.runSeconds = std::chrono::duration<double>(launchedAt - start).count();
  for (std::size_t at = 0; at < all.size(); at += kEc2GroupSize) {
    std::size_t n = std::min<std::size_t>(kEc2GroupSize, all.size() - at);
    ec2.createTags(std::span(all).subspan(at, n), "Name",
                   ec2GroupName(static_cast<long>(at / kEc2GroupSize)), request);
    auto [status, body] = sqsExchange(endpoint, request, callTimeout);
    ++r.tagCalls;
    if (status != 200) {
      r.error = fmt::format("CreateTags of group {}: {}", at / kEc2GroupSize, describe(status, body));
      return r;
    }
    r.tagged += static_cast<long>(n);
  }
  r.tagSeconds = std::chrono::duration<double>(Clock::now() - launchedAt).count();
  r.ok = true;
  return r;
}

std::vector<std::string> ec2GroupIds(const boost::asio::ip::tcp::endpoint& endpoint,
                                     const Ec2Requests& ec2, std::string_view group,
                                     std::string& error) {
  std::string request;
  ec2.describeByTag("Name", group, request);
  auto [status, body] = sqsExchange(endpoint, request, kSetupTimeout * 10);
  std::vector<std::string> ids;
  if (status == 200) ec2InstanceIds(body, ids);
  if (ids.empty())
    error = fmt::format("DescribeInstances tag:Name={} found no instance ({}); fill the account "
                        "first (--ec2-fill)",
                        group, describe(status, body));
  return ids;
}

// ---- sessions

namespace {

// Replays the one describe request; checks each answer's instance count.
// Keeps the exact latency of each measured request; hands them to the tally when destroyed
// (after the run, when the connections go).
class TimedSession : public Session {
 public:
  using Clock = std::chrono::steady_clock;

  explicit TimedSession(Ec2Tally& tally) : tally_(tally) {}
  ~TimedSession() override {
    std::lock_guard lock(tally_.mutex);
    tally_.latencyUs.insert(tally_.latencyUs.end(), latencyUs_.begin(), latencyUs_.end());
  }

 protected:
  void sent() { sentAt_ = Clock::now(); }
  void answered() {
    latencyUs_.push_back(std::chrono::duration<double, std::micro>(Clock::now() - sentAt_).count());
  }

  Ec2Tally& tally_;

 private:
  Clock::time_point sentAt_;
  std::vector<double> latencyUs_;
};

class DescribeSession : public TimedSession {
 public:
  DescribeSession(const std::string& request, int expected, Ec2Tally& tally)
      : TimedSession(tally), request_(request), expected_(expected) {}

  bool finished() const override { return false; }
  void next(std::string& out) override {
    sent();
    out.assign(request_);
  }

  void onResponse(int status, std::string_view body, bool inWindow, Stats& stats) override {
    if (inWindow) answered();
    if (status != 200) {
      tally_.failed.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    tally_.describes.fetch_add(1, std::memory_order_relaxed);
    if (ec2CountInstanceIds(body) != expected_) {
      tally_.wrongCount.fetch_add(1, std::memory_order_relaxed);
    } else if (inWindow) {
      ++stats.messages;
    }
  }

 private:
  const std::string& request_;
  int expected_;
};

// RunInstances of `count`, then TerminateInstances of what it launched, and again.
class RunSession : public TimedSession {
 public:
  RunSession(const Ec2Requests& requests, const std::string& image,
             const std::string& instanceType, int count, Ec2Tally& tally)
      : TimedSession(tally),
        requests_(requests),
        image_(image),
        instanceType_(instanceType),
        count_(count) {}

  bool finished() const override { return false; }

  void next(std::string& out) override {
    sent();
    if (launched_.empty()) requests_.runInstances(count_, image_, instanceType_, out);
    else requests_.terminateInstances(launched_, out);
  }

  void onResponse(int status, std::string_view body, bool inWindow, Stats& stats) override {
    bool wasRun = launched_.empty();
    if (wasRun && inWindow) answered();
    if (status != 200) {
      tally_.failed.fetch_add(1, std::memory_order_relaxed);
      // A failed terminate is not retried: the next step launches again.
      launched_.clear();
      return;
    }
    if (!wasRun) {
      tally_.terminates.fetch_add(1, std::memory_order_relaxed);
      launched_.clear();
      return;
    }
    ec2InstanceIds(body, launched_);
    tally_.runs.fetch_add(1, std::memory_order_relaxed);
    tally_.launched.fetch_add(launched_.size(), std::memory_order_relaxed);
    if (static_cast<int>(launched_.size()) != count_)
      tally_.wrongCount.fetch_add(1, std::memory_order_relaxed);
    if (inWindow) stats.messages += launched_.size();
  }

 private:
  const Ec2Requests& requests_;
  const std::string& image_;
  const std::string& instanceType_;
  int count_;
  std::vector<std::string> launched_;  // to terminate next; empty: launch next
};

}  // namespace

std::unique_ptr<Session> Ec2Sessions::make(std::uint32_t, MeasureWindow) {
  if (describe_) return std::make_unique<DescribeSession>(request_, expected_, tally_);
  return std::make_unique<RunSession>(*requests_, image_, instanceType_, expected_, tally_);
}

}  // namespace overcast::bench
