// overcast: a self-hosted cloud that speaks AWS.
//   overcast serve [flags]      run the server (see --help)
//   overcast admin <command>    manage accounts, access keys and service quotas
#include <CLI/CLI.hpp>

#include "admin/admin_cli.h"
#include "server/config.h"
#include "server/server.h"
#include "server/version.h"

int main(int argc, char** argv) {
  CLI::App app{"overcast: a self-hosted cloud that speaks AWS (EC2, EBS, SNS, SQS)"};
  app.set_version_flag("--version", std::string(overcast::server::kVersion));
  app.require_subcommand(1);

  overcast::server::ServerConfig config;
  auto* serve = app.add_subcommand("serve", "Run the server");
  serve->add_option("--listen", config.listen, "HTTP address:port (port 0 picks a free one)")
      ->envname("OVERCAST_LISTEN")->capture_default_str();
  serve->add_option("--data", config.dataDir, "Data directory")->envname("OVERCAST_DATA")->capture_default_str();
  serve->add_option("--region", config.region, "Region for requests that name no real region")
      ->envname("OVERCAST_REGION")->capture_default_str();
  serve->add_option("--threads", config.threads, "I/O threads (0 = number of cores)")
      ->envname("OVERCAST_THREADS")->capture_default_str();
  serve->add_flag("--accept-any-key", config.acceptAnyKey,
                  "Emulator mode: accept any access key without checking signatures (a 12-digit key selects that account)")
      ->envname("OVERCAST_ACCEPT_ANY_KEY");
  serve->add_option("--default-account", config.defaultAccount, "Account for non-numeric keys under --accept-any-key")
      ->envname("OVERCAST_DEFAULT_ACCOUNT")->capture_default_str();
  serve->add_option("--max-clock-skew", config.maxClockSkewSeconds, "Allowed request clock skew in seconds")
      ->envname("OVERCAST_MAX_CLOCK_SKEW")->capture_default_str();
  serve->add_flag("--uniform-az-mapping", config.uniformAzMapping,
                  "Give every account the same Availability Zone name-to-id mapping")
      ->envname("OVERCAST_UNIFORM_AZ_MAPPING");
  serve->add_option("--compute", config.compute, "Compute driver: none (the instance lifecycle only)")
      ->envname("OVERCAST_COMPUTE")->capture_default_str()->check(CLI::IsMember({"none"}));
  serve->add_option("--lifecycle-delay-ms", config.lifecycleDelayMs,
                    "Milliseconds an instance spends pending, stopping or shutting-down (none driver)")
      ->envname("OVERCAST_LIFECYCLE_DELAY_MS")->capture_default_str()->check(CLI::Range(0, 3600000));
  serve->add_option("--quota-model", config.quotaModel,
                    "EC2 On-Demand quota: instances (20 running per region) or vcpus (quota L-1216C47A)")
      ->envname("OVERCAST_QUOTA_MODEL")->capture_default_str()->check(CLI::IsMember({"instances", "vcpus"}));
  serve->add_flag("--allow-reset", config.allowReset,
                  "Test rigs: POST /_overcast/reset (and /moto-api/reset) wipes every account's resources")
      ->envname("OVERCAST_ALLOW_RESET");
  serve->add_option("--tls-listen", config.tlsListen, "HTTPS address:port (off by default)")->envname("OVERCAST_TLS_LISTEN");
  serve->add_option("--tls-cert", config.tlsCert, "PEM certificate chain (default: issued by the data directory's CA)")
      ->envname("OVERCAST_TLS_CERT");
  serve->add_option("--tls-key", config.tlsKey, "PEM private key for --tls-cert")->envname("OVERCAST_TLS_KEY");
  const auto levels = CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"});
  serve->add_option("--log-level", config.logLevel, "Least level logged")
      ->envname("OVERCAST_LOG_LEVEL")->capture_default_str()->check(levels);
  serve->add_option("--access-log-level", config.accessLogLevel,
                    "Level of the per-request access log lines (below --log-level: not written)")
      ->envname("OVERCAST_ACCESS_LOG_LEVEL")->capture_default_str()->check(levels);
  serve->add_option("--max-body-size", config.maxBodyBytes, "Largest request body in bytes")
      ->envname("OVERCAST_MAX_BODY_SIZE")->capture_default_str();
  serve->add_option("--max-header-size", config.maxHeaderBytes, "Largest request header block in bytes")
      ->envname("OVERCAST_MAX_HEADER_SIZE")->capture_default_str();
  serve->add_option("--idle-timeout", config.idleTimeoutSeconds, "Seconds a keep-alive connection may idle")
      ->envname("OVERCAST_IDLE_TIMEOUT")->capture_default_str();
  serve->add_option("--request-timeout", config.requestTimeoutSeconds, "Seconds a client has to send a whole request")
      ->envname("OVERCAST_REQUEST_TIMEOUT")->capture_default_str();
  serve->add_option("--max-connections", config.maxConnections, "Most simultaneous connections")
      ->envname("OVERCAST_MAX_CONNECTIONS")->capture_default_str();
  serve->add_option("--shutdown-grace", config.shutdownGraceSeconds, "Seconds in-flight requests get on SIGTERM")
      ->envname("OVERCAST_SHUTDOWN_GRACE")->capture_default_str();

  serve->add_option("--sqs-queue-url-host", config.sqsQueueUrlHost,
                    "host[:port] written in SQS queue URLs (default: the Host the client used)")
      ->envname("OVERCAST_SQS_QUEUE_URL_HOST");

  serve->add_option("--sns-url-host", config.snsUrlHost,
                    "host[:port] written in SNS SubscribeURL, UnsubscribeURL and SigningCertURL (default: the Host "
                    "the client used)")
      ->envname("OVERCAST_SNS_URL_HOST");
  serve->add_option("--smtp", config.smtpUrl,
                    "SMTP relay for SNS email (smtp://host:port or smtps://host:port); without one, mails are "
                    "written to <data>/mail as .eml files")
      ->envname("OVERCAST_SMTP");
  serve->add_option("--smtp-user", config.smtpUser, "SMTP user name")->envname("OVERCAST_SMTP_USER");
  serve->add_option("--smtp-password", config.smtpPassword, "SMTP password")->envname("OVERCAST_SMTP_PASSWORD");
  serve->add_flag("--smtp-starttls", config.smtpStartTls, "Require STARTTLS on an smtp:// relay")
      ->envname("OVERCAST_SMTP_STARTTLS");
  serve->add_option("--mail-from", config.mailFrom, "Sender address of SNS mails")
      ->envname("OVERCAST_MAIL_FROM")->capture_default_str();
  serve->add_option("--sns-ca-bundle", config.snsCaBundle,
                    "PEM file of CA certificates trusted for HTTPS deliveries (e.g. a self-signed test endpoint)")
      ->envname("OVERCAST_SNS_CA_BUNDLE");

  overcast::admin::AdminCliOptions adminOptions;
  auto* admin = app.add_subcommand("admin", "Manage accounts, access keys and service quotas; list the mail outbox");
  overcast::admin::addAdminCommands(*admin, adminOptions);

  CLI11_PARSE(app, argc, argv);
  if (serve->parsed()) return overcast::server::runServer(config);
  return overcast::admin::runAdminCommand(adminOptions);
}
