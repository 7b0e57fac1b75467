// EC2: regions and zones, key pairs, images, instances (their lifecycle carried out by a
// compute::Driver), the default VPC with its subnets and security groups, tags and filters, on
// the ec2 query protocol. See docs/services/ec2.md.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>

#include "api/service.h"
#include "compute/driver.h"
#include "core/clock.h"
#include "core/id_generator.h"
#include "core/result.h"
#include "jobs/job.h"
#include "services/ec2/quota_source.h"
#include "store/store.h"

namespace overcast::ec2 {

enum class QuotaModel { Instances, Vcpus };

struct Ec2Options {
  bool uniformAzMapping = false;  // --uniform-az-mapping
  // pending -> running (and stopping -> stopped, shutting-down -> terminated) after this long.
  std::chrono::milliseconds lifecycleDelay{100};
  // How long a terminated instance stays visible (AWS: about an hour).
  std::chrono::milliseconds terminatedRetention{std::chrono::hours(1)};
  QuotaModel quotaModel = QuotaModel::Instances;  // --quota-model
  const QuotaSource* quotas = nullptr;             // null: every quota at its default
};

class Ec2Handle {
 public:
  virtual ~Ec2Handle() = default;
  // The job handler for lifecycle jobs (register it with a WorkerPool for kEc2JobKind).
  virtual jobs::JobOutcome runJob(const jobs::Job& job) = 0;
  virtual void setJobWaker(std::function<void()> wake) = 0;
};

inline constexpr std::string_view kEc2JobKind = "ec2-lifecycle";

// The handle side of a service made by makeEc2Service (null for any other service).
Ec2Handle* ec2HandleOf(api::Service& service);

// Loads the EC2 resources from the store (blocking: call at start). Everything passed must
// outlive the service.
Result<std::unique_ptr<api::Service>> makeEc2Service(store::Store& store, const Clock& clock, IdGenerator& ids,
                                                     compute::Driver& driver, Ec2Options options);

}  // namespace overcast::ec2
