#include "fake_http_server.h"

#include <strings.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

namespace overcast::sns::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string RecordedRequest::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n.size() == name.size() && ::strncasecmp(n.data(), name.data(), n.size()) == 0) return v;
  }
  return {};
}

struct FakeHttpServer::Impl {
  explicit Impl(FakeHttpServerOptions opts) : options(std::move(opts)), status(options.status) {
    tls = !options.certPem.empty() && !options.keyPem.empty();
    if (tls) {
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

  void record(RecordedRequest request) {
    std::lock_guard lock(mu);
    recorded.push_back(std::move(request));
  }

  const FakeHttpServerOptions options;
  bool tls = false;
  uint16_t port = 0;
  std::atomic<int> status;
  std::atomic<int> acceptCount{0};
  mutable std::mutex mu;
  std::vector<RecordedRequest> recorded;  // GUARDED_BY(mu)
  // Destroyed in reverse: the thread is joined before the context (and the sessions its
  // handlers own) go, and the SSL context outlives them all.
  asio::ssl::context sslContext{asio::ssl::context::tls_server};
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::thread thread;
};

namespace {

template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(Stream stream, FakeHttpServer::Impl& server)
      : stream_(std::move(stream)), server_(server) {}

  void start() {
    if constexpr (std::is_same_v<Stream, tcp::socket>) {
      read();
    } else {
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (!ec) self->read();
                              });
    }
  }

 private:
  void read() {
    request_ = {};
    http::async_read(stream_, buffer_, request_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                       if (!ec) self->onRequest();
                     });
  }

  void onRequest() {
    RecordedRequest recorded;
    recorded.method = std::string(request_.method_string());
    recorded.target = std::string(request_.target());
    for (const auto& field : request_) {
      recorded.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    recorded.body = request_.body();
    server_.record(std::move(recorded));
    if (!server_.options.answer) {
      read();  // keeps the connection open and silent until the client gives up
      return;
    }
    response_ = {};
    response_.version(11);
    response_.result(static_cast<unsigned>(server_.status.load()));
    if (response_.result_int() >= 300 && response_.result_int() < 400) {
      response_.set(http::field::location, "/redirected");
    }
    if (response_.result_int() != 204 && response_.result_int() != 304) {  // no body allowed
      response_.body().assign(server_.options.responseBodyBytes, 'x');
    }
    response_.keep_alive(request_.keep_alive());
    response_.prepare_payload();
    http::async_write(stream_, response_,
                      [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                        if (!ec && self->response_.keep_alive()) self->read();
                      });
  }

  Stream stream_;
  FakeHttpServer::Impl& server_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

}  // namespace

void FakeHttpServer::Impl::accept() {
  acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec) return;
    ++acceptCount;
    if (tls) {
      using TlsStream = asio::ssl::stream<tcp::socket>;
      std::make_shared<Session<TlsStream>>(TlsStream(std::move(socket), sslContext), *this)
          ->start();
    } else {
      std::make_shared<Session<tcp::socket>>(std::move(socket), *this)->start();
    }
    accept();
  });
}

FakeHttpServer::FakeHttpServer(FakeHttpServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

FakeHttpServer::~FakeHttpServer() = default;

uint16_t FakeHttpServer::port() const { return impl_->port; }

std::string FakeHttpServer::url(std::string_view path) const {
  return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port()) +
         std::string(path);
}

void FakeHttpServer::setStatus(int status) { impl_->status = status; }

std::vector<RecordedRequest> FakeHttpServer::requests() const {
  std::lock_guard lock(impl_->mu);
  return impl_->recorded;
}

int FakeHttpServer::accepts() const { return impl_->acceptCount.load(); }

}  // namespace overcast::sns::testing
