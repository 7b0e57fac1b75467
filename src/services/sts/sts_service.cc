#include "services/sts/sts_service.h"

namespace overcast::sts {
namespace {

class StsService final : public api::TableService {
 public:
  StsService() {
    // overcast keys belong to the account itself, so the caller is the account's root user.
    addSync("GetCallerIdentity", [](const RequestContext& ctx, const boost::json::object&) -> Result<api::Output> {
      return api::Output{{"UserId", ctx.accountId},
                         {"Account", ctx.accountId},
                         {"Arn", "arn:aws:iam::" + ctx.accountId + ":root"}};
    });
  }
  std::string_view name() const override { return "sts"; }
};

}  // namespace

std::unique_ptr<api::Service> makeStsService() { return std::make_unique<StsService>(); }

}  // namespace overcast::sts
