#include "admin/admin_cli.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <cstdlib>

#include <boost/json.hpp>

#include "accounts/account_repository.h"
#include "admin/admin_client.h"
#include "core/clock.h"
#include "core/id_generator.h"
#include "compute/driver.h"
#include "server/admin_api.h"
#include "services/quotas/quota_admin.h"
#include "services/ec2/ec2_service.h"
#include "services/ec2/images.h"
#include "services/sns/delivery/mailer.h"
#include "services/sns/model/message_signing.h"
#include "server/local_admin.h"
#include "store/data_dir.h"
#include "store/sqlite/sqlite_store.h"

namespace overcast::admin {
namespace {

namespace json = boost::json;

std::string envOr(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

json::object requestFor(const AdminCliOptions& o) {
  json::object r;
  if (o.command == "create-account") {
    r["Action"] = "CreateAccount";
    if (!o.accountId.empty()) r["AccountId"] = o.accountId;
  } else if (o.command == "list-accounts") {
    r["Action"] = "ListAccounts";
  } else if (o.command == "create-key") {
    r["Action"] = "CreateAccessKey";
    r["AccountId"] = o.accountId;
    r["Admin"] = o.admin;
  } else if (o.command == "list-keys") {
    r["Action"] = "ListAccessKeys";
    if (!o.accountId.empty()) r["AccountId"] = o.accountId;
  } else if (o.command == "delete-key") {
    r["Action"] = "DeleteAccessKey";
    r["AccessKeyId"] = o.targetAccessKeyId;
  } else if (o.command == "quota-set" || o.command == "quota-ceiling") {
    r["Action"] = o.command == "quota-set" ? "SetQuota" : "SetQuotaCeiling";
    if (o.command == "quota-set") {
      r["AccountId"] = o.accountId;
      r["Region"] = o.quotaRegion;
    }
    r["ServiceCode"] = o.quotaService;
    r["QuotaCode"] = o.quotaCode;
    r["Value"] = o.quotaValue;
  } else if (o.command == "quota-list") {
    r["Action"] = "ListQuotas";
    r["AccountId"] = o.accountId;
    if (!o.quotaRegion.empty()) r["Region"] = o.quotaRegion;
  } else if (o.command == "image-import") {
    r["Action"] = "ImportImage";
    r["ImageId"] = o.imageId;
    if (!o.imageName.empty()) r["Name"] = o.imageName;
    if (!o.imageDescription.empty()) r["Description"] = o.imageDescription;
    if (!o.imageArchitecture.empty()) r["Architecture"] = o.imageArchitecture;
    if (!o.imageRegion.empty()) r["Region"] = o.imageRegion;
  }
  return r;
}

// Runs the request against the data directory itself (no server holds it).
Result<json::object> runLocally(store::DataDir& dir, const json::object& request) {
  store::SqliteOptions options;
  options.path = dir.dbPath().string();
  options.readPoolSize = 1;
  auto db = store::openSqliteStore(options);
  if (!db) return db.error();
  RealClock clock;
  auto ids = makeRandomIdGenerator();
  accounts::AccountRepository accounts(**db, clock, *ids);
  if (auto created = accounts.ensureDefaultAccount(); !created) return created.error();
  Result<json::object> result = Error(ErrorCode::InternalFailure, "no result");
  if (auto* action = request.if_contains("Action"); action && action->is_string() &&
                                                   quotas::isQuotaAdminAction(action->get_string())) {
    quotas::QuotaBook book(**db);
    auto loaded = book.load();
    result = loaded ? quotas::runQuotaAdminAction(book, request,
                                                  [&accounts](std::string_view id) {
                                                    auto list = accounts.listAccounts();
                                                    return list && std::any_of(list->begin(), list->end(),
                                                                               [id](const auto& a) {
                                                                                 return a.accountId == id;
                                                                               });
                                                  })
                    : Result<json::object>(loaded.error());
  } else if (request.contains("Action") && request.at("Action") == "ImportImage") {
    auto driver = compute::makeNoneDriver();
    auto ec2 = ec2::makeEc2Service(**db, clock, *ids, *driver, ec2::Ec2Options{});
    result = ec2 ? ec2::importPlatformImage(*ec2::ec2HandleOf(**ec2), request) : Result<json::object>(ec2.error());
  } else {
    result = server::AdminApi::run(accounts, request);
  }
  (*db)->close();
  return result;
}

}  // namespace

void addAdminCommands(CLI::App& admin, AdminCliOptions& o) {
  admin.require_subcommand(1);
  admin.add_option("--data", o.dataDir, "Data directory (of a stopped or a running server)")
      ->envname("OVERCAST_DATA")->capture_default_str();
  admin.add_option("--endpoint", o.endpoint, "A running server, http://host:port (instead of --data)");
  admin.add_option("--access-key", o.accessKeyId, "Admin access key for --endpoint (default $AWS_ACCESS_KEY_ID or test)");
  admin.add_option("--secret-key", o.secretAccessKey, "Its secret (default $AWS_SECRET_ACCESS_KEY or test)");

  auto sub = [&](const char* name, const char* help) {
    auto* c = admin.add_subcommand(name, help);
    c->callback([&o, name] { o.command = name; });
    return c;
  };
  sub("create-account", "Create an account (prints its id)")
      ->add_option("--account-id", o.accountId, "12-digit id (default: a random unused one)");
  sub("list-accounts", "List the accounts");
  auto* createKey = sub("create-key", "Create an access key for an account (prints key and secret)");
  createKey->add_option("--account-id", o.accountId, "Account id")->required();
  createKey->add_flag("--admin", o.admin, "The key may also call the admin API");
  sub("list-keys", "List access keys (secrets are not shown)")->add_option("--account-id", o.accountId, "Only this account");
  sub("delete-key", "Delete an access key")->add_option("--access-key-id", o.targetAccessKeyId, "The key")->required();
  sub("mail", "List the SNS mails written to <data>/mail (when no --smtp relay is set)");
  auto* quota = admin.add_subcommand("quota", "Service Quotas: set an account's quota, list them, set ceilings");
  quota->require_subcommand(1);
  auto quotaSub = [&](const char* name, const char* command, const char* help) {
    auto* c = quota->add_subcommand(name, help);
    c->callback([&o, command] { o.command = command; });
    c->add_option("--service", o.quotaService, "Service code")->capture_default_str();
    return c;
  };
  auto* quotaSet = quotaSub("set", "quota-set", "Set an account's quota in a region to any value (no ceiling)");
  quotaSet->add_option("--account", o.accountId, "Account id")->required();
  quotaSet->add_option("--region", o.quotaRegion, "Region")->required();
  quotaSet->add_option("--quota", o.quotaCode, "Quota code, e.g. L-1216C47A (vCPUs) or L-OVERCAST-INSTANCES")->required();
  quotaSet->add_option("--value", o.quotaValue, "The new value")->required();
  auto* quotaList = quotaSub("list", "quota-list", "List an account's quotas (in a region, or every value set)");
  quotaList->add_option("--account", o.accountId, "Account id")->required();
  quotaList->add_option("--region", o.quotaRegion, "Only this region: every quota's value there");
  auto* quotaCeiling = quotaSub("ceiling", "quota-ceiling",
                                "Set the highest value RequestServiceQuotaIncrease grants at once (every account)");
  quotaCeiling->add_option("--quota", o.quotaCode, "Quota code")->required();
  quotaCeiling->add_option("--value", o.quotaValue, "The ceiling")->required();
  auto* image = admin.add_subcommand("image", "Platform images (public, owned by \"amazon\")");
  image->require_subcommand(1);
  auto* import = image->add_subcommand("import", "Register a public platform image under a chosen id");
  import->callback([&o] { o.command = "image-import"; });
  import->add_option("--id", o.imageId, "ami- + 8 or 17 hex digits, e.g. ami-12c6146b")->required();
  import->add_option("--name", o.imageName, "Name (default: overcast-imported-<id>)");
  import->add_option("--description", o.imageDescription, "Description");
  import->add_option("--architecture", o.imageArchitecture, "x86_64 (default), arm64 or i386");
  import->add_option("--region", o.imageRegion, "Only this region (default: every region)");
}

namespace {

// `admin mail`: the outbox is plain files, readable whether or not a server runs.
int listMail(const AdminCliOptions& o) {
  if (!o.endpoint.empty()) {
    std::fprintf(stderr, "overcast admin mail: reads the data directory; use --data, not --endpoint\n");
    return 1;
  }
  const auto dir = std::filesystem::path(o.dataDir) / "mail";
  auto mails = sns::Mailer::listOutbox(dir);
  if (!mails) {
    std::fprintf(stderr, "overcast admin mail: %s\n", mails.error().message().c_str());
    return 1;
  }
  json::array list;
  for (const auto& m : *mails)
    list.push_back(json::object{{"File", (dir / m.fileName).string()},
                                {"To", m.to},
                                {"Subject", m.subject},
                                {"Time", sns::formatTimestamp(m.time)}});
  std::printf("%s\n", json::serialize(json::object{{"Mails", std::move(list)}}).c_str());
  return 0;
}

}  // namespace

int runAdminCommand(const AdminCliOptions& o) {
  if (o.command == "mail") return listMail(o);
  json::object request = requestFor(o);
  Result<json::object> result = Error(ErrorCode::InternalFailure, "no command");
  if (!o.endpoint.empty()) {
    result = callAdminApi(o.endpoint, o.accessKeyId.empty() ? envOr("AWS_ACCESS_KEY_ID", "test") : o.accessKeyId,
                          o.secretAccessKey.empty() ? envOr("AWS_SECRET_ACCESS_KEY", "test") : o.secretAccessKey,
                          request);
  } else if (auto dir = store::DataDir::open(o.dataDir)) {
    result = runLocally(*dir, request);
  } else {
    // A server holds the data directory: use the admin key it left there for us.
    auto local = server::readLocalAdmin(o.dataDir);
    if (!local) {
      std::fprintf(stderr, "overcast admin: %s\n", dir.error().message().c_str());
      return 1;
    }
    result = callAdminApi(local->endpoint, local->accessKeyId, local->secretAccessKey, request);
  }
  if (!result) {
    std::fprintf(stderr, "overcast admin: %s: %s\n", std::string(result.error().wireCode()).c_str(),
                 result.error().message().c_str());
    return 1;
  }
  std::printf("%s\n", json::serialize(*result).c_str());
  return 0;
}

}  // namespace overcast::admin
