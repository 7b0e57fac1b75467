// SNS: topics, subscriptions confirmed for real, and delivery to SQS, HTTP/HTTPS and mail over
// the query protocol (boto 2's ContentType=JSON answers too). See docs/services/sns.md.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "api/service.h"
#include "core/clock.h"
#include "core/id_generator.h"
#include "core/result.h"
#include "jobs/job.h"
#include "services/sns/delivery/http_poster.h"
#include "services/sns/delivery/mailer.h"
#include "services/sqs/sqs_service.h"
#include "store/store.h"

namespace overcast::sns {

struct SnsOptions {
  // Host (and port) in the URLs SNS puts in messages: SubscribeURL, UnsubscribeURL and
  // SigningCertURL. Empty: the Host header of the request that caused the message.
  std::string urlHost;
  // Where the signing key and certificate live (made at first start).
  std::filesystem::path signingDir;
  HttpPosterOptions http;
  MailerOptions mail;  // mail.outboxDir: where mails go without an SMTP relay
};

class SnsHandle {
 public:
  virtual ~SnsHandle() = default;
  // The job handler for delivery jobs (register it with a WorkerPool).
  virtual jobs::JobOutcome runDelivery(const jobs::Job& job) = 0;
  virtual void setJobWaker(std::function<void()> wake) = 0;
  // The HTTPS listener ("https://host:port"), if any: SigningCertURL then points there. Call
  // before serving requests.
  virtual void setTlsBaseUrl(std::string url) = 0;
  // The signing certificate: its file name (served at "/<name>") and PEM text.
  virtual const std::string& certificateFileName() const = 0;
  virtual const std::string& certificatePem() const = 0;
};

// The handle side of a service made by makeSnsService (null for any other service).
SnsHandle* snsHandleOf(api::Service& service);

inline constexpr std::string_view kSnsDeliveryJobKind = "sns-delivery";

// Loads topics and subscriptions from the store and the signing identity from signingDir
// (blocking: call at start). Everything passed must outlive the service.
Result<std::unique_ptr<api::Service>> makeSnsService(store::Store& store, const Clock& clock, IdGenerator& ids,
                                                     sqs::SqsDelivery& sqs, SnsOptions options);

}  // namespace overcast::sns
