#include "server/server.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "accounts/account_repository.h"
#include "api/dispatcher.h"
#include "core/clock.h"
#include "core/id_generator.h"
#include "http/http_server.h"
#include "jobs/worker_pool.h"
#include "protocol/service_model.h"
#include "server/access_log.h"
#include "server/asio_scheduler.h"
#include "server/admin_api.h"
#include "server/local_admin.h"
#include "server/metrics.h"
#include "server/ops_endpoints.h"
#include "server/tls.h"
#include "server/version.h"
#include "compute/driver.h"
#include "services/ec2/ec2_service.h"
#include "services/quotas/quota_admin.h"
#include "services/quotas/quotas_service.h"
#include "services/ec2/images.h"
#include "services/sns/sns_service.h"
#include "services/sqs/sqs_service.h"
#include "services/sts/sts_service.h"
#include "store/data_dir.h"
#include "store/sqlite/sqlite_store.h"

namespace overcast::server {
namespace {

namespace asio = boost::asio;

int fail(const std::string& message) {
  std::fprintf(stderr, "overcast: %s\n", message.c_str());
  return 1;
}

std::string urlOf(const char* scheme, const asio::ip::tcp::endpoint& ep) {
  auto a = ep.address();
  std::string host = a.is_v6() ? "[" + a.to_string() + "]" : a.to_string();
  return std::string(scheme) + "://" + host + ":" + std::to_string(ep.port());
}

// Logs go to stderr. The access log is written there too, in batches (access_log.h), when its
// level is at or above --log-level.
std::unique_ptr<AccessLog> setUpLogging(const ServerConfig& config) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("overcast"));
  spdlog::set_level(spdlog::level::from_str(config.logLevel));
  if (spdlog::level::from_str(config.accessLogLevel) < spdlog::level::from_str(config.logLevel)) return nullptr;
  return std::make_unique<AccessLog>(stderr);
}

}  // namespace

int runServer(const ServerConfig& config) {
  auto accessLog = setUpLogging(config);
  const unsigned threads = config.threads ? config.threads : std::max(1u, std::thread::hardware_concurrency());

  auto dataDir = store::DataDir::open(config.dataDir);
  if (!dataDir) return fail(dataDir.error().message());
  const auto root = std::filesystem::absolute(dataDir->root());

  store::SqliteOptions storeOptions;
  storeOptions.path = dataDir->dbPath().string();
  storeOptions.readPoolSize = threads + 2;
  auto db = store::openSqliteStore(storeOptions);
  if (!db) return fail(db.error().message());

  RealClock clock;
  auto ids = makeRandomIdGenerator();
  auto models = protocol::ModelRegistry::loadBuiltin();
  if (!models) return fail(models.error().message());

  accounts::AccountRepository accounts(**db, clock, *ids);
  auto created = accounts.ensureDefaultAccount();  // also loads the key cache
  if (!created) return fail(created.error().message());
  const auto& keyCache = accounts.keyCache();

  // Service Quotas: read by EC2 on every RunInstances, so made before it.
  quotas::QuotaBook quotaBook(**db);
  if (auto loaded = quotaBook.load(); !loaded) return fail(loaded.error().message());

  // A per-run admin key, for `overcast admin --data DIR` while this server runs.
  auth::Credential localAdmin{"OCLOCALADMIN" + ids->randomHex(4), ids->randomHex(20), "000000000000", true};
  WithLocalAdmin keys(keyCache, localAdmin);

  Metrics metrics(accessLog.get());

  api::DispatcherOptions dispatcherOptions;
  dispatcherOptions.verify.acceptAnyKey = config.acceptAnyKey;
  dispatcherOptions.verify.defaultAccountId = config.defaultAccount;
  dispatcherOptions.verify.maxClockSkew = std::chrono::seconds(config.maxClockSkewSeconds);
  dispatcherOptions.defaultRegion = config.region;
  api::Dispatcher dispatcher(**models, keys, clock, *ids, metrics, dispatcherOptions);
  asio::io_context io(static_cast<int>(threads));
  AsioScheduler scheduler(io);
  // Write completions (the answers to durable requests) run on the I/O threads, a group at a
  // time, in commit order (store.h).
  auto completions = asio::make_strand(io);
  (*db)->setCompletionExecutor([completions](std::function<void()> batch) { asio::post(completions, std::move(batch)); });

  dispatcher.addService(sts::makeStsService());
  auto driver = compute::makeNoneDriver();
  dispatcher.addService(quotas::makeServiceQuotasService(quotaBook));
  ec2::Ec2Options ec2Options;
  ec2Options.quotas = &quotaBook;
  ec2Options.uniformAzMapping = config.uniformAzMapping;
  ec2Options.lifecycleDelay = std::chrono::milliseconds(config.lifecycleDelayMs);
  ec2Options.quotaModel = config.quotaModel == "vcpus" ? ec2::QuotaModel::Vcpus : ec2::QuotaModel::Instances;
  auto ec2Service = ec2::makeEc2Service(**db, clock, *ids, *driver, ec2Options);
  if (!ec2Service) return fail(ec2Service.error().message());
  ec2::Ec2Handle* ec2Handle = ec2::ec2HandleOf(**ec2Service);
  dispatcher.addService(std::move(*ec2Service));
  sqs::SqsOptions sqsOptions;
  sqsOptions.queueUrlHost = config.sqsQueueUrlHost;
  auto sqsService = sqs::makeSqsService(**db, scheduler, clock, *ids, sqsOptions);
  if (!sqsService) return fail(sqsService.error().message());
  sqs::SqsDelivery* sqsDelivery = sqs::sqsDeliveryOf(**sqsService);
  dispatcher.addService(std::move(*sqsService));

  sns::SnsOptions snsOptions;
  snsOptions.urlHost = config.snsUrlHost;
  snsOptions.signingDir = root / "keys";
  snsOptions.http.caBundle = config.snsCaBundle;
  snsOptions.mail.smtpUrl = config.smtpUrl;
  snsOptions.mail.username = config.smtpUser;
  snsOptions.mail.password = config.smtpPassword;
  snsOptions.mail.startTls = config.smtpStartTls;
  snsOptions.mail.from = config.mailFrom;
  snsOptions.mail.outboxDir = root / "mail";
  auto snsService = sns::makeSnsService(**db, clock, *ids, *sqsDelivery, snsOptions);
  if (!snsService) return fail(snsService.error().message());
  sns::SnsHandle* snsHandle = sns::snsHandleOf(**snsService);
  dispatcher.addService(std::move(*snsService));

  jobs::WorkerPoolOptions workerOptions;
  jobs::WorkerPool workers(**db, clock, workerOptions);
  if (auto started = workers.start(); !started) return fail(started.error().message());
  // SNS deliveries have a pool of their own: its threads mostly wait on endpoints (up to 15 s
  // each), and a slow or dead endpoint must not hold up other deliveries or other kinds of job.
  jobs::WorkerPoolOptions deliveryOptions;
  deliveryOptions.threads = 16;
  jobs::WorkerPool deliveries(**db, clock, deliveryOptions);
  deliveries.registerHandler(std::string(sns::kSnsDeliveryJobKind),
                             [snsHandle](const jobs::Job& job) { return snsHandle->runDelivery(job); });
  snsHandle->setJobWaker([&deliveries] { deliveries.wake(); });
  if (auto started = deliveries.start(); !started) return fail(started.error().message());

  // EC2 lifecycle jobs (boots, stops, terminations): short, and due soon after they are made.
  jobs::WorkerPoolOptions lifecycleOptions;
  lifecycleOptions.threads = 4;  // they mostly wait for their writes: several share each group commit
  lifecycleOptions.batch = 16;   // a job is a few hundred microseconds: claim and finish them in batches
  lifecycleOptions.pollInterval = std::chrono::milliseconds(25);
  jobs::WorkerPool lifecycle(**db, clock, lifecycleOptions);
  lifecycle.registerHandler(std::string(ec2::kEc2JobKind), [ec2Handle](const jobs::Job& job) { return ec2Handle->runJob(job); });
  ec2Handle->setJobWaker([&lifecycle] { lifecycle.wake(); });
  if (auto started = lifecycle.start(); !started) return fail(started.error().message());

  asio::thread_pool blocking(1);  // admin actions wait on the store: never on an I/O thread
  AdminApi admin(accounts, keys, clock, dispatcherOptions.verify, blocking);
  for (std::string_view action : quotas::kQuotaAdminActions)
    admin.addAction(std::string(action), [&quotaBook, &accounts](const boost::json::object& r) {
      return quotas::runQuotaAdminAction(quotaBook, r, [&accounts](std::string_view id) {
        auto list = accounts.listAccounts();
        return list && std::any_of(list->begin(), list->end(), [id](const auto& a) { return a.accountId == id; });
      });
    });
  admin.addAction("ImportImage",
                  [ec2Handle](const boost::json::object& r) { return ec2::importPlatformImage(*ec2Handle, r); });

  OpsInfo info;
  info.version = kVersion;
  info.dataDir = root.string();
  info.services = {"ec2", "servicequotas", "sns", "sqs", "sts"};
  info.started = std::chrono::steady_clock::now();
  info.jobQueueDepth = [&workers]() -> size_t {
    auto depth = workers.queueDepth();
    return depth ? static_cast<size_t>(*depth) : 0;
  };

  http::HttpServerOptions httpOptions;
  httpOptions.maxBodyBytes = config.maxBodyBytes;
  httpOptions.maxHeaderBytes = config.maxHeaderBytes;
  httpOptions.idleTimeout = std::chrono::seconds(config.idleTimeoutSeconds);
  httpOptions.requestTimeout = std::chrono::seconds(config.requestTimeoutSeconds);
  httpOptions.maxConnections = config.maxConnections;
  httpOptions.strandPerConnection = threads > 1;
  http::HttpServer httpServer(io, httpOptions, [&](http::IncomingRequest&& in, http::Respond respond) {
    auto path = in.request.path();
    // Test rigs: wipe every account's resources (moto's server has the same at /moto-api/reset).
    if (path == "/_overcast/reset" || path == "/moto-api/reset") {
      HttpResponse r;
      r.setHeader("Content-Type", "application/json");
      if (!config.allowReset || in.request.method != "POST") {
        r.status = config.allowReset ? 405 : 403;
        r.body = config.allowReset ? R"({"error":"use POST"})" : R"({"error":"start overcast with --allow-reset"})";
        return respond(std::move(r));
      }
      return dispatcher.resetServices([respond = std::move(respond)](Result<void> done) mutable {
        HttpResponse out;
        out.setHeader("Content-Type", "application/json");
        if (done) {
          out.body = R"({"status":"ok"})";
        } else {
          out.status = 500;
          out.body = R"({"error":"reset failed"})";
          spdlog::error("reset failed: {}", done.error().message());
        }
        respond(std::move(out));
      });
    }
    if (isOpsPath(path)) return respond(handleOps(in.request, info, metrics, **db));
    if (path == "/_overcast/admin") return admin.handle(std::move(in.request), std::move(respond));
    // SNS's SigningCertURL: the certificate that verifies every message's signature.
    if (in.request.method == "GET" && path.size() > 1 && path.substr(1) == snsHandle->certificateFileName()) {
      HttpResponse r;
      r.setHeader("Content-Type", "application/x-x509-ca-cert");
      r.body = snsHandle->certificatePem();
      return respond(std::move(r));
    }
    dispatcher.handle(std::move(in.request), in.bodyTooLarge, std::move(respond));
  });

  auto bound = httpServer.listen(config.listen);
  if (!bound) return fail(bound.error().message());
  info.endpoint = urlOf("http", *bound);

  std::string tlsLine;
  if (!config.tlsListen.empty()) {
    std::string cert = config.tlsCert, key = config.tlsKey;
    if (cert.empty() != key.empty()) return fail("--tls-cert and --tls-key go together");
    if (cert.empty()) {
      auto host = config.tlsListen.substr(0, config.tlsListen.rfind(':'));
      auto local = ensureLocalCertificate(root, {host});
      if (!local) return fail(local.error().message());
      cert = local->serverCert.string();
      key = local->serverKey.string();
      tlsLine = "overcast: CA certificate at " + local->caCert.string() + "\n";
    }
    auto ctx = makeTlsContext(cert, key);
    if (!ctx) return fail(ctx.error().message());
    auto tlsBound = httpServer.listen(config.tlsListen, *ctx);
    if (!tlsBound) return fail(tlsBound.error().message());
    info.tlsEndpoint = urlOf("https", *tlsBound);
    snsHandle->setTlsBaseUrl(info.tlsEndpoint);
  }

  if (auto w = writeLocalAdmin(root, {info.endpoint, localAdmin.accessKeyId, localAdmin.secretAccessKey,
                                      static_cast<long>(::getpid())});
      !w)
    return fail(w.error().message());

  if (config.acceptAnyKey)
    spdlog::warn("--accept-any-key: signatures are NOT checked; any access key is accepted");
  std::string banner;
  banner += "overcast " + std::string(kVersion) + ", data in " + root.string() + "\n";
  if (*created)
    banner += "overcast: created account 000000000000 with access key 'test' and secret 'test'\n";
  if (keyCache.find("test"))
    banner += "overcast: credentials: AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test (account 000000000000)\n";
  banner += tlsLine;
  banner += "overcast: listening on " + info.endpoint + "\n";
  if (!info.tlsEndpoint.empty()) banner += "overcast: listening on " + info.tlsEndpoint + "\n";
  std::fputs(banner.c_str(), stdout);
  std::fflush(stdout);

  // Graceful shutdown: stop accepting, let in-flight requests finish (bounded), then stop.
  asio::signal_set signals(io, SIGINT, SIGTERM);
  asio::steady_timer drainTimer(io);
  auto deadline = std::chrono::steady_clock::now();
  std::function<void()> waitForDrain = [&] {
    if (httpServer.activeConnections() == 0 || std::chrono::steady_clock::now() >= deadline) return io.stop();
    drainTimer.expires_after(std::chrono::milliseconds(20));
    drainTimer.async_wait([&](boost::system::error_code) { waitForDrain(); });
  };
  signals.async_wait([&](boost::system::error_code ec, int signo) {
    if (ec) return;
    spdlog::info("signal {}: shutting down", signo);
    deadline = std::chrono::steady_clock::now() + std::chrono::seconds(config.shutdownGraceSeconds);
    httpServer.beginShutdown();
    waitForDrain();
  });

  std::vector<std::thread> ioThreads;
  for (unsigned i = 1; i < threads; ++i) ioThreads.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : ioThreads) t.join();

  blocking.join();
  (*db)->setCompletionExecutor({});  // the I/O threads have stopped: completions run on the writer
  dispatcher.stopServices();
  deliveries.stop();
  lifecycle.stop();
  workers.stop();
  (*db)->close();
  removeLocalAdmin(root);
  spdlog::info("stopped");
  if (accessLog) accessLog->flush();
  spdlog::shutdown();
  return 0;
}

}  // namespace overcast::server
