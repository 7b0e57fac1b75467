// FakeSmtpServer: an in-process SMTP relay on 127.0.0.1:0 speaking the plain line protocol
// (220 greeting, EHLO/HELO, optional AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT). It
// records each accepted message with its envelope, dot-stuffing undone. With a certificate
// it speaks implicit TLS (smtps) or offers STARTTLS. One Asio thread; the destructor stops
// and joins it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace overcast::sns::testing {

struct SmtpMessage {
  std::string mailFrom;             // inside the angle brackets
  std::vector<std::string> rcptTo;  // inside the angle brackets
  std::string data;                 // the message as sent, CRLF line ends, no final "."
  std::string authPlain;            // decoded AUTH PLAIN credentials, "" when none
  bool overTls = false;             // the session was encrypted when DATA ended
};

enum class SmtpTls { None, Implicit, StartTls };

struct FakeSmtpServerOptions {
  bool refuseRcpt = false;      // answer RCPT TO with 550
  bool advertiseAuth = false;   // offer AUTH PLAIN in the EHLO reply
  SmtpTls tls = SmtpTls::None;  // Implicit or StartTls need certPem and keyPem
  std::string certPem;
  std::string keyPem;
};

class FakeSmtpServer {
 public:
  explicit FakeSmtpServer(FakeSmtpServerOptions options = {});
  ~FakeSmtpServer();
  FakeSmtpServer(const FakeSmtpServer&) = delete;
  FakeSmtpServer& operator=(const FakeSmtpServer&) = delete;

  uint16_t port() const;
  std::string url() const;  // "smtp://127.0.0.1:<port>", "smtps://..." for implicit TLS
  std::vector<SmtpMessage> messages() const;
  // Every command line received (DATA content excluded), in order.
  std::vector<std::string> commands() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace overcast::sns::testing
