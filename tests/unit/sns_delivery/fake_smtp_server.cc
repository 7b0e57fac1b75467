#include "fake_smtp_server.h"

#include <openssl/evp.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <cctype>
#include <mutex>
#include <thread>

namespace overcast::sns::testing {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

std::string base64Decode(const std::string& text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return {};
  out.resize(static_cast<std::size_t>(n));
  // EVP_DecodeBlock counts padding as zero bytes.
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) out.pop_back();
  return out;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string insideBrackets(const std::string& line) {
  const auto open = line.find('<');
  const auto close = line.find('>', open == std::string::npos ? 0 : open);
  if (open == std::string::npos || close == std::string::npos) return {};
  return line.substr(open + 1, close - open - 1);
}

}  // namespace

struct FakeSmtpServer::Impl {
  explicit Impl(FakeSmtpServerOptions opts) : options(std::move(opts)) {
    if (options.tls != SmtpTls::None) {
      sslContext.use_certificate_chain(asio::buffer(options.certPem));
      sslContext.use_private_key(asio::buffer(options.keyPem), asio::ssl::context::pem);
    }
    acceptor.open(tcp::v4());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    acceptor.listen();
    port = acceptor.local_endpoint().port();
    accept();
    thread = std::thread([this] { ioc.run(); });
  }

  ~Impl() {
    ioc.stop();
    thread.join();
  }

  void accept();

  const FakeSmtpServerOptions options;
  uint16_t port = 0;
  mutable std::mutex mu;
  std::vector<SmtpMessage> recorded;                              // GUARDED_BY(mu)
  std::vector<std::string> commandLog;                            // GUARDED_BY(mu)
  asio::ssl::context sslContext{asio::ssl::context::tls_server};  // outlives the sessions
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::thread thread;
};

namespace {

class SmtpSession : public std::enable_shared_from_this<SmtpSession> {
 public:
  SmtpSession(tcp::socket socket, FakeSmtpServer::Impl& server)
      : socket_(std::move(socket)), server_(server) {}

  void start() {
    if (server_.options.tls == SmtpTls::Implicit) {
      startTls([](SmtpSession& self) {
        if (self.reply("220 fake.smtp ESMTP ready")) self.read();
      });
    } else if (reply("220 fake.smtp ESMTP ready")) {
      read();
    }
  }

 private:
  using TlsStream = asio::ssl::stream<tcp::socket&>;

  // Calls f with the socket, or with the TLS stream once there is one.
  template <class F>
  void withStream(F&& f) {
    if (tls_) {
      f(*tls_);
    } else {
      f(socket_);
    }
  }

  template <class Then>
  void startTls(Then then) {
    tls_ = std::make_unique<TlsStream>(socket_, server_.sslContext);
    tls_->async_handshake(asio::ssl::stream_base::server,
                          [self = shared_from_this(), then](boost::system::error_code ec) {
                            if (!ec) then(*self);
                          });
  }

  // Replies are a few bytes on loopback: written synchronously between reads.
  bool reply(const std::string& text) {
    boost::system::error_code ec;
    withStream([&](auto& stream) { asio::write(stream, asio::buffer(text + "\r\n"), ec); });
    return !ec;
  }

  void read() {
    auto onRead = [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
      if (ec) return;
      std::string line = self->input_.substr(0, n - 2);
      self->input_.erase(0, n);
      if (self->onLine(line)) self->read();
    };
    withStream([&](auto& stream) {
      asio::async_read_until(stream, asio::dynamic_buffer(input_), "\r\n", std::move(onRead));
    });
  }

  // Returns whether to keep reading.
  bool onLine(const std::string& line) {
    if (inData_) {
      if (line == ".") {
        inData_ = false;
        {
          std::lock_guard lock(server_.mu);
          current_.overTls = tls_ != nullptr;
          server_.recorded.push_back(current_);
        }
        current_ = SmtpMessage{"", {}, {}, current_.authPlain};
        return reply("250 2.0.0 queued");
      }
      current_.data += (!line.empty() && line[0] == '.') ? line.substr(1) : line;
      current_.data += "\r\n";
      return true;
    }
    {
      std::lock_guard lock(server_.mu);
      server_.commandLog.push_back(line);
    }
    if (awaitingAuth_) {
      awaitingAuth_ = false;
      current_.authPlain = base64Decode(line);
      return reply("235 2.7.0 authenticated");
    }
    const std::string verb = upper(line.substr(0, line.find(' ')));
    const bool offerStartTls = server_.options.tls == SmtpTls::StartTls && !tls_;
    if (verb == "EHLO") {
      std::string text = "250-fake.smtp\r\n";
      if (server_.options.advertiseAuth) text += "250-AUTH PLAIN\r\n";
      if (offerStartTls) text += "250-STARTTLS\r\n";
      return reply(text + "250 8BITMIME");
    }
    if (verb == "STARTTLS" && offerStartTls) {
      if (!reply("220 2.0.0 ready to start TLS")) return false;
      input_.clear();
      current_ = SmtpMessage{};
      startTls([](SmtpSession& self) { self.read(); });  // the client says EHLO again
      return false;
    }
    if (verb == "HELO" || verb == "NOOP") return reply("250 OK");
    if (verb == "AUTH") {
      const std::string rest = line.size() > 11 ? line.substr(11) : "";  // "AUTH PLAIN "
      if (upper(line).rfind("AUTH PLAIN", 0) != 0) return reply("504 5.5.4 unsupported");
      if (rest.empty()) {
        awaitingAuth_ = true;
        return reply("334 ");
      }
      current_.authPlain = base64Decode(rest);
      return reply("235 2.7.0 authenticated");
    }
    if (verb == "MAIL") {
      current_.mailFrom = insideBrackets(line);
      current_.rcptTo.clear();
      return reply("250 2.1.0 OK");
    }
    if (verb == "RCPT") {
      if (server_.options.refuseRcpt) return reply("550 5.1.1 no such user");
      current_.rcptTo.push_back(insideBrackets(line));
      return reply("250 2.1.5 OK");
    }
    if (verb == "DATA") {
      if (current_.rcptTo.empty()) return reply("503 5.5.1 no valid recipients");
      inData_ = true;
      current_.data.clear();
      return reply("354 end data with <CR><LF>.<CR><LF>");
    }
    if (verb == "RSET") {
      current_ = SmtpMessage{"", {}, {}, current_.authPlain};
      return reply("250 OK");
    }
    if (verb == "QUIT") {
      reply("221 2.0.0 bye");
      return false;
    }
    return reply("502 5.5.2 command not recognized");
  }

  tcp::socket socket_;
  std::unique_ptr<TlsStream> tls_;  // over socket_ after a TLS handshake began
  FakeSmtpServer::Impl& server_;
  std::string input_;
  bool inData_ = false;
  bool awaitingAuth_ = false;
  SmtpMessage current_;
};

}  // namespace

void FakeSmtpServer::Impl::accept() {
  acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec) return;
    std::make_shared<SmtpSession>(std::move(socket), *this)->start();
    accept();
  });
}

FakeSmtpServer::FakeSmtpServer(FakeSmtpServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

FakeSmtpServer::~FakeSmtpServer() = default;

uint16_t FakeSmtpServer::port() const { return impl_->port; }

std::string FakeSmtpServer::url() const {
  const bool implicitTls = impl_->options.tls == SmtpTls::Implicit;
  return (implicitTls ? "smtps://127.0.0.1:" : "smtp://127.0.0.1:") + std::to_string(port());
}

std::vector<SmtpMessage> FakeSmtpServer::messages() const {
  std::lock_guard lock(impl_->mu);
  return impl_->recorded;
}

std::vector<std::string> FakeSmtpServer::commands() const {
  std::lock_guard lock(impl_->mu);
  return impl_->commandLog;
}

}  // namespace overcast::sns::testing
