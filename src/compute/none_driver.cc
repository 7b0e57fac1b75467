#include "compute/driver.h"

namespace overcast::compute {
namespace {

class NoneDriver final : public Driver {
 public:
  std::string_view name() const override { return "none"; }
  Result<void> prepare(const InstanceSpec&) override { return {}; }
  Result<void> start(const InstanceSpec&) override { return {}; }
  Result<void> stop(const InstanceSpec&, bool) override { return {}; }
  Result<void> reboot(const InstanceSpec&) override { return {}; }
  Result<void> terminate(const InstanceSpec&) override { return {}; }
  Result<std::string> consoleOutput(const InstanceSpec&) override { return std::string(); }
};

}  // namespace

std::unique_ptr<Driver> makeNoneDriver() { return std::make_unique<NoneDriver>(); }

}  // namespace overcast::compute
