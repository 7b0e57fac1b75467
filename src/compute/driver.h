// Driver: how an instance's lifecycle is carried out (design: "Compute"). The EC2 model decides
// states and records them; a driver makes them real: `none` (lifecycle only), `container`
// (namespaces + cgroups, the compute issue), `vm` (later).
//
// Every call runs on a job worker thread (never an I/O thread), may block, and must be
// idempotent: a job that died half-way runs again after a restart.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace overcast::compute {

// What a driver needs to know of an instance.
struct InstanceSpec {
  std::string accountId;
  std::string region;
  std::string instanceId;
  std::string imageId;
  std::string instanceType;
  std::string availabilityZone;
  std::string privateIp;
  std::string keyName;
  std::string userData;  // base64, as given to RunInstances
};

class Driver {
 public:
  virtual ~Driver() = default;
  virtual std::string_view name() const = 0;
  // Makes the instance's root volume from its image (before the first start).
  virtual Result<void> prepare(const InstanceSpec& spec) = 0;
  // Boots the instance; returns when it is up.
  virtual Result<void> start(const InstanceSpec& spec) = 0;
  // Shuts the instance down (force: no grace period).
  virtual Result<void> stop(const InstanceSpec& spec, bool force) = 0;
  virtual Result<void> reboot(const InstanceSpec& spec) = 0;
  // Stops it if needed and frees what prepare() made.
  virtual Result<void> terminate(const InstanceSpec& spec) = 0;
  // The console log so far ("" if none).
  virtual Result<std::string> consoleOutput(const InstanceSpec& spec) = 0;
};

// The lifecycle-only driver: every step succeeds at once and nothing runs.
std::unique_ptr<Driver> makeNoneDriver();

}  // namespace overcast::compute
