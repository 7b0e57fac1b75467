// ServerConfig: everything `overcast serve` can be told (flags and OVERCAST_* variables).
#pragma once

#include <string>

namespace overcast::server {

struct ServerConfig {
  std::string listen = "127.0.0.1:4566";
  std::string dataDir = "./data";
  std::string region = "us-east-1";  // default when a request names no real region
  unsigned threads = 0;              // 0 = number of cores
  bool acceptAnyKey = false;
  std::string defaultAccount = "000000000000";
  int maxClockSkewSeconds = 300;
  bool uniformAzMapping = false;
  std::string compute = "none";         // compute driver: none (container: the compute issue)
  int lifecycleDelayMs = 100;           // pending -> running etc. with the none driver
  std::string quotaModel = "instances"; // instances | vcpus
  bool allowReset = false;              // POST /_overcast/reset and /moto-api/reset
  std::string tlsListen;  // empty = no HTTPS listener
  std::string tlsCert;    // PEM; empty = make one from the data directory's CA
  std::string tlsKey;
  std::string logLevel = "info";
  std::string accessLogLevel = "info";
  size_t maxBodyBytes = 8 * 1024 * 1024;
  size_t maxHeaderBytes = 64 * 1024;
  int idleTimeoutSeconds = 60;
  int requestTimeoutSeconds = 30;
  size_t maxConnections = 10000;
  int shutdownGraceSeconds = 10;
  std::string sqsQueueUrlHost;  // host[:port] in SQS queue URLs; empty = the request's Host header
  std::string snsUrlHost;       // host[:port] in SNS's SubscribeURL/UnsubscribeURL/SigningCertURL
  std::string smtpUrl;          // smtp://host:port or smtps://; empty = mails go to <data>/mail as .eml
  std::string smtpUser;
  std::string smtpPassword;
  bool smtpStartTls = false;
  std::string mailFrom = "no-reply@sns.overcast.local";
  std::string snsCaBundle;      // extra CA bundle (PEM) for HTTPS deliveries to self-signed endpoints
};

}  // namespace overcast::server
