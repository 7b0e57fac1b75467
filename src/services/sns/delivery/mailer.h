// Mailer: the mail transport of SNS `email` and `email-json` deliveries. send() builds an
// RFC 5322 message and either hands it to an SMTP relay (libcurl) or, with no relay
// configured, writes it durably into an outbox directory as an .eml file, so that no message
// is silently lost on a machine without mail set up (`overcast admin mail` lists the outbox).
//
// Message format: CRLF line endings; From, To, Subject (RFC 2047 encoded-words when not plain
// ASCII), Date, Message-ID, MIME-Version: 1.0, Content-Type: text/plain; charset=UTF-8, and
// Content-Transfer-Encoding 7bit for short-lined ASCII bodies, quoted-printable otherwise (so
// no line exceeds 76 characters and relays without 8BITMIME take it). Dot-stuffing is
// libcurl's job. Recipients are plain ASCII addresses (no SMTPUTF8).
//
// Header injection is impossible by construction: a recipient, subject, From or extra header
// holding CR or LF is rejected with InvalidParameterValue before anything is sent.
//
// Outbox files: `<outboxDir>/<yyyymmddThhmmss.mmmZ>-<16 hex>.eml`, written to a hidden temp
// file, fsynced, renamed into place, then the directory is fsynced.
//
// Threads: send() may be called from several worker threads at once; it blocks (up to
// `timeout` for a relay). Each relay send opens its own SMTP session.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/id_generator.h"
#include "core/result.h"

namespace overcast::sns {

struct MailerOptions {
  // smtp://host:port (plain, or STARTTLS with startTls) or smtps://host:port (implicit TLS).
  // A path names the EHLO domain (smtp://relay:587/sns.example.com). Empty: no relay, use
  // the outbox.
  std::string smtpUrl;
  // SMTP AUTH when username is not empty (libcurl picks the mechanism the relay offers).
  std::string username;
  std::string password;
  // On smtp://: require STARTTLS (CURLUSESSL_ALL); a relay that does not offer it fails.
  bool startTls = false;
  // Extra trusted CA certificates (PEM) for the relay's TLS, added to the system store (as
  // HttpPosterOptions::caBundle). An unreadable file makes every relay send fail.
  std::string caBundle;
  // From header and envelope sender: "addr@domain" or "Name <addr@domain>".
  std::string from = "no-reply@sns.overcast.local";
  // Where .eml files go when smtpUrl is empty; created when missing.
  std::filesystem::path outboxDir;
  // Whole SMTP session limit.
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
};

struct Mail {
  std::string to;        // one address: local@domain
  std::string subject;   // UTF-8; empty: no Subject header
  std::string textBody;  // UTF-8; LF, CRLF or CR line ends (all sent as CRLF)
  // Added after the standard headers, e.g. {"List-Unsubscribe", "<https://...>"}: printable
  // ASCII, and not one of the headers the Mailer writes itself.
  std::vector<std::pair<std::string, std::string>> extraHeaders;
  // The sender's display name ("" = the configured From as it is): SNS puts the topic's
  // DisplayName there, as AWS does. UTF-8; no line breaks.
  std::string fromName{};
};

// One message in the outbox, as read back from its headers.
struct MailFile {
  std::string fileName;  // name within the outbox directory
  std::string to;
  std::string subject;  // encoded-words decoded back to UTF-8
  TimePoint time;       // the Date header; the file's mtime when that is missing or unreadable
};

class Mailer {
 public:
  // Production: the real clock and random ids.
  explicit Mailer(MailerOptions options);
  // Injected clock (Date, file names) and ids (Message-ID, file names); both must outlive
  // the Mailer.
  Mailer(MailerOptions options, const Clock& clock, IdGenerator& ids);
  virtual ~Mailer();
  Mailer(const Mailer&) = delete;
  Mailer& operator=(const Mailer&) = delete;

  // Sends `mail` through the relay, or writes it to the outbox (durable when this returns
  // ok). Invalid input -> InvalidParameterValue; relay or file failures -> InternalFailure.
  // Virtual so that delivery-job tests can substitute a fake. Thread-safe; blocks.
  virtual Result<void> send(const Mail& mail);

  // The complete message send() would transmit, CRLF line ends. Pure apart from the clock
  // and id generator.
  Result<std::string> buildMessage(const Mail& mail) const;

  // The outbox's .eml files, oldest first (by name). A missing directory is an empty outbox.
  static Result<std::vector<MailFile>> listOutbox(const std::filesystem::path& dir);

 private:
  Result<void> sendViaRelay(const Mail& mail, const std::string& message);
  Result<void> writeToOutbox(const std::string& message);
  void loadTrust();

  MailerOptions options_;
  std::unique_ptr<Clock> ownedClock_;
  std::unique_ptr<IdGenerator> ownedIds_;
  const Clock& clock_;
  IdGenerator& ids_;
  std::string caBlob_;   // system CA file + caBundle (PEM); constant after construction
  std::string caError_;  // why caBundle could not be read; constant after construction
};

// Message-format pieces, pure; exposed for tests and the admin command.
namespace mail_format {

// A Subject value: unchanged when printable ASCII (and no "=?"), otherwise RFC 2047
// "=?UTF-8?B?...?=" words of at most 75 characters, split on UTF-8 character boundaries and
// folded with CRLF SP.
std::string encodeSubject(std::string_view subject);
// Decodes RFC 2047 encoded-words (B and Q; charset taken as UTF-8) in an unfolded header.
std::string decodeEncodedWords(std::string_view value);
// Quoted-printable body (RFC 2045 6.7): CRLF hard breaks, soft breaks keep lines <= 76.
std::string encodeQuotedPrintable(std::string_view text);
// RFC 5322 date-time in UTC: "Mon, 01 Jan 2024 00:00:00 +0000".
std::string formatDate(TimePoint t);
// Parses an RFC 5322 date-time (day name optional, any numeric zone); false if malformed.
bool parseDate(std::string_view text, TimePoint& out);

}  // namespace mail_format

}  // namespace overcast::sns
