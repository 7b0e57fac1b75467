#include "http/http_server.h"

#include <mutex>
#include <optional>
#include <unordered_map>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <spdlog/spdlog.h>

namespace overcast::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// A connection the server can ask to close once it is between requests.
class ConnectionBase {
 public:
  virtual ~ConnectionBase() = default;
  virtual void closeWhenIdle() = 0;
};

struct HttpServer::Shared {
  Shared(asio::io_context& io, HttpServerOptions o, Handler h)
      : io(io), options(o), handler(std::move(h)) {}

  asio::io_context& io;
  const HttpServerOptions options;
  const Handler handler;
  std::atomic<size_t> connections{0};
  std::atomic<bool> shuttingDown{false};

  std::mutex mu;
  uint64_t nextConnectionId = 0;
  std::unordered_map<uint64_t, std::weak_ptr<ConnectionBase>> live;  // GUARDED_BY(mu)
  std::vector<std::shared_ptr<tcp::acceptor>> acceptors;             // GUARDED_BY(mu)

  uint64_t add(std::weak_ptr<ConnectionBase> c) {
    std::lock_guard lock(mu);
    live.emplace(nextConnectionId, std::move(c));
    return nextConnectionId++;
  }
  void remove(uint64_t id) {
    std::lock_guard lock(mu);
    live.erase(id);
  }
};

namespace {

beast::tcp_stream& lowest(beast::tcp_stream& s) { return s; }
beast::tcp_stream& lowest(beast::ssl_stream<beast::tcp_stream>& s) { return s.next_layer(); }

HttpResponse plainError(int status, std::string_view text) {
  HttpResponse r;
  r.status = status;
  r.setHeader("Content-Type", "text/plain");
  r.body = std::string(text) + "\n";
  r.closeConnection = true;
  return r;
}

template <class Stream>
class Connection final : public ConnectionBase, public std::enable_shared_from_this<Connection<Stream>> {
 public:
  template <class... Args>
  Connection(std::shared_ptr<HttpServer::Shared> shared, bool tls, Args&&... streamArgs)
      : shared_(std::move(shared)), stream_(std::forward<Args>(streamArgs)...), tls_(tls) {}

  ~Connection() override {
    shared_->remove(id_);
    shared_->connections.fetch_sub(1);
  }

  void start() {
    id_ = shared_->add(this->weak_from_this());
    beast::error_code ec;
    auto ep = lowest(stream_).socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string() + ":" + std::to_string(ep.port());
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->handshake(); });
  }

  void closeWhenIdle() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (!self->busy_) self->close();
    });
  }

 private:
  void handshake() {
    if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
      lowest(stream_).expires_after(shared_->options.requestTimeout);
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->close();
                                self->readHeader();
                              });
    } else {
      readHeader();
    }
  }

  void readHeader() {
    if (shared_->shuttingDown) return close();
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(shared_->options.maxHeaderBytes));
    parser_->body_limit(shared_->options.maxBodyBytes);
    lowest(stream_).expires_after(shared_->options.idleTimeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = this->shared_from_this()](beast::error_code ec, size_t) {
                               self->onHeader(ec);
                             });
  }

  void onHeader(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return dispatch(/*bodyTooLarge=*/true);
    if (ec) return onReadError(ec);
    lowest(stream_).expires_after(shared_->options.requestTimeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = this->shared_from_this()](beast::error_code ec, size_t) {
                        if (ec == bhttp::error::body_limit) return self->dispatch(true);
                        if (ec) return self->onReadError(ec);
                        self->dispatch(false);
                      });
  }

  void onReadError(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == beast::error::timeout || ec == asio::error::eof || ec == asio::error::connection_reset ||
        ec == asio::ssl::error::stream_truncated) {
      return close();
    }
    if (ec == bhttp::error::header_limit) return write(plainError(431, "Request Header Fields Too Large"));
    // Anything else is a request we cannot parse: say so once, then close.
    write(plainError(400, "Bad Request"));
  }

  void dispatch(bool bodyTooLarge) {
    busy_ = true;
    lowest(stream_).expires_never();
    auto& msg = parser_->get();
    IncomingRequest in;
    in.bodyTooLarge = bodyTooLarge;
    in.request.method = std::string(msg.method_string());
    in.request.target = std::string(msg.target());
    in.request.headers.reserve(8);
    for (const auto& field : msg)
      in.request.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    if (!bodyTooLarge) in.request.body = std::move(msg.body());
    in.request.remoteAddress = remote_;
    in.request.tls = tls_;
    keepAlive_ = msg.keep_alive() && !bodyTooLarge;
    auto self = this->shared_from_this();
    shared_->handler(std::move(in), [self](HttpResponse&& response) {
      asio::post(self->stream_.get_executor(),
                 [self, r = std::move(response)]() mutable { self->write(std::move(r)); });
    });
  }

  void write(HttpResponse&& r) {
    busy_ = true;
    response_.emplace();
    auto& res = *response_;
    res.version(11);
    res.result(static_cast<unsigned>(r.status));
    for (auto& h : r.headers) res.set(h.name, h.value);
    res.body() = std::move(r.body);
    res.prepare_payload();
    bool keep = keepAlive_ && !r.closeConnection && !shared_->shuttingDown;
    res.keep_alive(keep);
    lowest(stream_).expires_after(shared_->options.requestTimeout);
    bhttp::async_write(stream_, res, [self = this->shared_from_this(), keep](beast::error_code ec, size_t) {
      self->busy_ = false;
      self->response_.reset();
      if (ec || !keep) return self->close();
      self->readHeader();
    });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ec;
    lowest(stream_).socket().shutdown(tcp::socket::shutdown_send, ec);
    lowest(stream_).close();
  }

  std::shared_ptr<HttpServer::Shared> shared_;
  Stream stream_;
  bool tls_;
  uint64_t id_ = 0;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::string_body>> response_;
  bool keepAlive_ = true;
  bool busy_ = false;
  bool closed_ = false;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(std::shared_ptr<HttpServer::Shared> shared, std::shared_ptr<tcp::acceptor> acceptor,
           std::shared_ptr<asio::ssl::context> tls)
      : shared_(std::move(shared)), acceptor_(std::move(acceptor)), tls_(std::move(tls)) {}

  void accept() {
    acceptor_->async_accept(asio::make_strand(shared_->io),
                            [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
                              self->onAccept(ec, std::move(socket));
                            });
  }

 private:
  void onAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_->is_open()) return;
    if (!ec) {
      if (shared_->connections.fetch_add(1) >= shared_->options.maxConnections) {
        shared_->connections.fetch_sub(1);
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        socket.set_option(tcp::no_delay(true), ec);
        if (tls_) {
          std::make_shared<Connection<beast::ssl_stream<beast::tcp_stream>>>(shared_, true, std::move(socket), *tls_)
              ->start();
        } else {
          std::make_shared<Connection<beast::tcp_stream>>(shared_, false, std::move(socket))->start();
        }
      }
    } else {
      spdlog::warn("accept failed: {}", ec.message());
    }
    accept();
  }

  std::shared_ptr<HttpServer::Shared> shared_;
  std::shared_ptr<tcp::acceptor> acceptor_;
  std::shared_ptr<asio::ssl::context> tls_;
};

}  // namespace

Result<tcp::endpoint> parseEndpoint(const std::string& text) {
  std::string host, port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return Error(ErrorCode::InvalidParameterValue, "bad address '" + text + "': expected [v6]:port");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string::npos)
      return Error(ErrorCode::InvalidParameterValue, "bad address '" + text + "': expected host:port");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host == "localhost") host = "127.0.0.1";
  beast::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) return Error(ErrorCode::InvalidParameterValue, "bad address '" + text + "': " + ec.message());
  char* end = nullptr;
  long p = std::strtol(port.c_str(), &end, 10);
  if (port.empty() || *end != '\0' || p < 0 || p > 65535)
    return Error(ErrorCode::InvalidParameterValue, "bad port in '" + text + "'");
  return tcp::endpoint(address, static_cast<unsigned short>(p));
}

HttpServer::HttpServer(asio::io_context& io, HttpServerOptions options, Handler handler)
    : shared_(std::make_shared<Shared>(io, options, std::move(handler))) {}

HttpServer::~HttpServer() { beginShutdown(); }

Result<tcp::endpoint> HttpServer::listen(const std::string& endpointText, std::shared_ptr<asio::ssl::context> tls) {
  auto endpoint = parseEndpoint(endpointText);
  if (!endpoint) return endpoint.error();
  auto acceptor = std::make_shared<tcp::acceptor>(asio::make_strand(shared_->io));
  beast::error_code ec;
  acceptor->open(endpoint->protocol(), ec);
  if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(*endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error(ErrorCode::InternalFailure, "cannot listen on " + endpointText + ": " + ec.message());
  auto bound = acceptor->local_endpoint(ec);
  {
    std::lock_guard lock(shared_->mu);
    shared_->acceptors.push_back(acceptor);
  }
  std::make_shared<Listener>(shared_, acceptor, std::move(tls))->accept();
  return bound;
}

void HttpServer::beginShutdown() {
  if (shared_->shuttingDown.exchange(true)) return;
  std::vector<std::shared_ptr<ConnectionBase>> connections;
  {
    std::lock_guard lock(shared_->mu);
    for (auto& a : shared_->acceptors)
      asio::post(a->get_executor(), [a] {
        beast::error_code ec;
        a->close(ec);
      });
    for (auto& [id, weak] : shared_->live)
      if (auto c = weak.lock()) connections.push_back(std::move(c));
  }
  for (auto& c : connections) c->closeWhenIdle();
}

size_t HttpServer::activeConnections() const { return shared_->connections.load(); }

}  // namespace overcast::http
