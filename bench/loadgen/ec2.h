// EC2 requests for the load generator: the EC2 query protocol (`Action=...&Version=2016-11-15`
// forms, SigV4 scope ec2, signed with FastSigner), the fill of an account with N instances tagged
// `Name=group-<k>` in groups of 10 (--ec2-fill), and the sessions of the ec2-describe-* and
// ec2-run-10 scenarios (bench/README.md, "The EC2 scenarios").
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "fast_signer.h"
#include "scenario.h"
#include "session.h"

namespace overcast::bench {

// Instances per tag group: a tag filter on one group's value returns this many.
inline constexpr int kEc2GroupSize = 10;

// The tag value of group `k` ("group-<k>").
std::string ec2GroupName(long k);

class Ec2Requests {
 public:
  // `host`: the Host header; `sign` false sends them unsigned.
  Ec2Requests(std::string host, bool sign, std::string accessKey, std::string secretKey,
              std::string region);

  // Each writes the whole request (wire bytes) into `out`.
  // RunInstances MinCount=MaxCount=count of `image` as `instanceType`.
  void runInstances(int count, std::string_view image, std::string_view instanceType,
                    std::string& out) const;
  void terminateInstances(std::span<const std::string> ids, std::string& out) const;
  void createTags(std::span<const std::string> ids, std::string_view key, std::string_view value,
                  std::string& out) const;
  // DescribeInstances with Filter.1.Name=tag:<key>, Filter.1.Value.1=<value>.
  void describeByTag(std::string_view key, std::string_view value, std::string& out) const;
  // DescribeInstances with Filter.1.Name=instance-id and one Value.N per id.
  void describeByIdFilter(std::span<const std::string> ids, std::string& out) const;
  // DescribeInstances with InstanceId.1..N.
  void describeByIds(std::span<const std::string> ids, std::string& out) const;

 private:
  void finish(const std::string& body, std::string& out) const;

  std::string host_;
  bool sign_;
  FastSigner signer_;
};

// Every distinct <instanceId> of an answer (RunInstances, DescribeInstances), in order.
void ec2InstanceIds(std::string_view body, std::vector<std::string>& out);
// How many distinct instance ids an answer lists (the describe sessions' check).
int ec2CountInstanceIds(std::string_view body);

// --ec2-fill: launches `instances` instances with RunInstances of up to `batch` each, then tags
// them in launch order in groups of kEc2GroupSize, `Name=group-0`, `group-1`... (one CreateTags
// per group). Requests go one at a time, each on a fresh connection.
struct Ec2FillResult {
  bool ok = false;
  std::string error;
  long launched = 0, tagged = 0;
  int runCalls = 0, tagCalls = 0;
  double runSeconds = 0, tagSeconds = 0;
};
Ec2FillResult ec2Fill(const boost::asio::ip::tcp::endpoint& endpoint, const Ec2Requests& ec2,
                      long instances, int batch, std::string_view image,
                      std::string_view instanceType, std::chrono::milliseconds callTimeout);

// The ids the group `group` carries, by a DescribeInstances tag filter (empty, with the reason
// in `error`, unless the server answered 200 with at least one).
std::vector<std::string> ec2GroupIds(const boost::asio::ip::tcp::endpoint& endpoint,
                                     const Ec2Requests& ec2, std::string_view group,
                                     std::string& error);

// What the EC2 sessions count over the whole run (warm-up included), and the latency of every
// measured request inside the window, exactly (the generator's histogram stops at 10 s, and
// moto's describe of 10,000 instances takes longer); for ec2-run-10 RunInstances alone (the
// TerminateInstances between them are not in it).
struct Ec2Tally {
  std::atomic<std::uint64_t> describes{0};       // describe answers 200
  std::atomic<std::uint64_t> wrongCount{0};      // ... whose instance count was not the expected
  std::atomic<std::uint64_t> failed{0};          // any request answered other than 200
  std::atomic<std::uint64_t> launched{0};        // instances RunInstances answered
  std::atomic<std::uint64_t> runs{0};            // RunInstances answered 200
  std::atomic<std::uint64_t> terminates{0};      // TerminateInstances answered 200
  std::vector<double> latencyUs;                 // inside the window, any status
  std::mutex mutex;                              // guards latencyUs
};

// The sessions of the EC2 scenarios. Describes replay one request made at setup (`request`,
// signed once) and check that each answer lists `expected` instances; ec2-run-10 alternates
// RunInstances of 10 with TerminateInstances of the 10 it launched, so the account's running
// instances stay put over the row.
class Ec2Sessions : public SessionFactory {
 public:
  // Describe scenarios.
  Ec2Sessions(std::string request, int expected)
      : describe_(true), request_(std::move(request)), expected_(expected), requests_(nullptr) {}
  // ec2-run-10.
  Ec2Sessions(const Ec2Requests& requests, std::string image, std::string instanceType, int count)
      : describe_(false),
        expected_(count),
        requests_(&requests),
        image_(std::move(image)),
        instanceType_(std::move(instanceType)) {}

  std::unique_ptr<Session> make(std::uint32_t id, MeasureWindow window) override;
  bool drains() const override { return false; }
  Ec2Tally& tally() { return tally_; }

 private:
  bool describe_;
  std::string request_;
  int expected_;
  const Ec2Requests* requests_;
  std::string image_, instanceType_;
  Ec2Tally tally_;
};

}  // namespace overcast::bench
