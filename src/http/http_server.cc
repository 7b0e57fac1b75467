#include "http/http_server.h"

#include <array>
#include <charconv>
#include <mutex>
#include <optional>
#include <unordered_map>

#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
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

using Clock = std::chrono::steady_clock;
using IoExecutor = asio::io_context::executor_type;
using StrandExecutor = asio::strand<IoExecutor>;

template <class Executor>
using Socket = asio::basic_stream_socket<tcp, Executor>;

template <class S>
auto& lowest(S& s) {
  if constexpr (requires { s.next_layer(); }) return s.next_layer();
  else return s;
}

HttpResponse plainError(int status, std::string_view text) {
  HttpResponse r;
  r.status = status;
  r.setHeader("Content-Type", "text/plain");
  r.body = std::string(text) + "\n";
  r.closeConnection = true;
  return r;
}

// Header names the serializer writes itself: a handler's copy would contradict it.
bool framingHeader(std::string_view name) {
  return equalsIgnoreCase(name, "Content-Length") || equalsIgnoreCase(name, "Transfer-Encoding") ||
         equalsIgnoreCase(name, "Connection");
}

// Appends `text` without CR or LF, so no value can end a header line early.
void appendFieldText(std::string& out, std::string_view text) {
  for (char c : text)
    if (c != '\r' && c != '\n') out.push_back(c);
}

// The status line and header block of `r` (HTTP/1.1, Content-Length framing).
void serializeHead(std::string& out, const HttpResponse& r, bool keepAlive) {
  out.clear();
  out.append("HTTP/1.1 ");
  char status[8];
  auto [end, ec] = std::to_chars(status, status + sizeof status, r.status);
  out.append(status, end);
  out.push_back(' ');
  out.append(bhttp::obsolete_reason(static_cast<bhttp::status>(r.status)));
  out.append("\r\n");
  for (const auto& h : r.headers) {
    if (framingHeader(h.name)) continue;
    appendFieldText(out, h.name);
    out.append(": ");
    appendFieldText(out, h.value);
    out.append("\r\n");
  }
  out.append("Content-Length: ");
  char length[24];
  auto [lengthEnd, lengthEc] = std::to_chars(length, length + sizeof length, r.body.size());
  out.append(length, lengthEnd);
  out.append(keepAlive ? "\r\n\r\n" : "\r\nConnection: close\r\n\r\n");
}

// One HTTP/1.1 connection. Reads with read_some and Beast's parser (no composed read ops),
// writes the serialized head and the body in one gathered write, and keeps one lazy timer:
// each phase only moves `deadline_`, and the timer, when it fires, either closes the
// connection or re-arms for the deadline now in force. So a request costs no timer
// operations. Executor is a strand when several threads run the io_context, else the
// io_context's own executor (every handler of a connection then runs on that one thread).
template <class Stream, class Executor>
class Connection final : public ConnectionBase, public std::enable_shared_from_this<Connection<Stream, Executor>> {
 public:
  template <class... Args>
  Connection(std::shared_ptr<HttpServer::Shared> shared, Socket<Executor> socket, Args&&... tlsArgs)
      : shared_(std::move(shared)),
        stream_(std::move(socket), std::forward<Args>(tlsArgs)...),
        timer_(lowest(stream_).get_executor()) {}

  ~Connection() override {
    shared_->remove(id_);
    shared_->connections.fetch_sub(1);
  }

  void start() {
    id_ = shared_->add(this->weak_from_this());
    beast::error_code ec;
    auto ep = lowest(stream_).remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string() + ":" + std::to_string(ep.port());
    asio::dispatch(executor(), [self = this->shared_from_this()] {
      auto now = Clock::now();
      self->deadline_ = now + self->shared_->options.idleTimeout;
      self->armTimer(now);
      self->handshake();
    });
  }

  void closeWhenIdle() override {
    asio::post(executor(), [self = this->shared_from_this()] {
      if (!self->busy_) self->close();
    });
  }

 private:
  Executor executor() { return lowest(stream_).get_executor(); }

  // The timer is always due no later than min(deadline_, armed-at + the shortest timeout). Every
  // deadline is set as now + a timeout, so no deadline can fall before the timer is due, and
  // moving deadline_ never needs a timer operation.
  std::chrono::steady_clock::duration shortestTimeout() const {
    auto shortest = std::min<Clock::duration>(shared_->options.idleTimeout, shared_->options.requestTimeout);
    return std::max<Clock::duration>(shortest, std::chrono::milliseconds(1));
  }

  void armTimer(Clock::time_point now) {
    timer_.expires_at(std::min(deadline_, now + shortestTimeout()));
    timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) { self->onTimer(ec); });
  }

  void onTimer(beast::error_code ec) {
    if (ec || closed_) return;
    auto now = Clock::now();
    if (deadline_ <= now) return close();  // a read or write still pending fails and ends
    armTimer(now);
  }

  void handshake() {
    if constexpr (requires { stream_.async_handshake(asio::ssl::stream_base::server, [](beast::error_code) {}); }) {
      deadline_ = Clock::now() + shared_->options.requestTimeout;
      stream_.async_handshake(asio::ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
        if (ec) return self->close();
        self->startRequest();
      });
    } else {
      startRequest();
    }
  }

  void startRequest() {
    if (shared_->shuttingDown) return close();
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(shared_->options.maxHeaderBytes));
    parser_->body_limit(shared_->options.maxBodyBytes);
    parser_->eager(true);
    if (buffer_.size() > 0) {  // the client sent its next request early (pipelining)
      deadline_ = Clock::now() + shared_->options.requestTimeout;
      return parse();
    }
    deadline_ = Clock::now() + shared_->options.idleTimeout;
    readMore();
  }

  void readMore() {
    if constexpr (kPlain) {
      // Wait for readability, then read: async_read_some would first try a read that, right
      // after an answer, almost always finds nothing (one wasted syscall per request). TLS
      // keeps async_read_some, since its stream may hold decrypted bytes the socket does not.
      lowest(stream_).async_wait(tcp::socket::wait_read, [self = this->shared_from_this()](beast::error_code ec) {
        if (ec) return self->onReadError(ec);
        self->readReady();
      });
    } else {
      auto space = buffer_.prepare(kReadChunk);
      stream_.async_read_some(space, [self = this->shared_from_this()](beast::error_code ec, size_t n) {
        self->onRead(ec, n);
      });
    }
  }

  void readReady() {
    beast::error_code ec;
    auto space = buffer_.prepare(kReadChunk);
    const size_t n = lowest(stream_).read_some(space, ec);  // the socket is non-blocking
    if (ec == asio::error::would_block || ec == asio::error::try_again) return readMore();
    onRead(ec, n);
  }

  void onRead(beast::error_code ec, size_t n) {
    if (ec) return onReadError(ec);
    if (buffer_.size() == 0 && !parser_->got_some())
      deadline_ = Clock::now() + shared_->options.requestTimeout;  // the request's first bytes
    buffer_.commit(n);
    parse();
  }

  void parse() {
    while (buffer_.size() > 0 && !parser_->is_done()) {
      beast::error_code ec;
      size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec == bhttp::error::need_more) break;
      if (ec == bhttp::error::body_limit) return dispatch(/*bodyTooLarge=*/true);
      if (ec == bhttp::error::header_limit) return write(plainError(431, "Request Header Fields Too Large"));
      if (ec) return write(plainError(400, "Bad Request"));  // a request we cannot parse: say so once, then close
      if (used == 0) break;
    }
    if (parser_->is_done()) return dispatch(false);
    readMore();  // the parser bounds what waits in the buffer (header_limit, then body_limit)
  }

  // End of stream, a reset, a timeout (the timer closed the socket) or TLS truncation: a client
  // that stops mid-request gets no answer either.
  void onReadError(beast::error_code) { close(); }

  void dispatch(bool bodyTooLarge) {
    busy_ = true;
    deadline_ = Clock::time_point::max();
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
    in.request.tls = !kPlain;
    keepAlive_ = msg.keep_alive() && !bodyTooLarge;
    auto self = this->shared_from_this();
    shared_->handler(std::move(in), [self](HttpResponse&& response) {
      asio::post(self->executor(), [self, r = std::move(response)]() mutable { self->write(std::move(r)); });
    });
  }

  void write(HttpResponse&& r) {
    busy_ = true;
    const bool keep = keepAlive_ && !r.closeConnection && !shared_->shuttingDown;
    serializeHead(head_, r, keep);
    body_ = std::move(r.body);
    deadline_ = Clock::now() + shared_->options.requestTimeout;
    std::array<asio::const_buffer, 2> buffers{asio::buffer(head_), asio::buffer(body_)};
    asio::async_write(stream_, buffers, [self = this->shared_from_this(), keep](beast::error_code ec, size_t) {
      self->busy_ = false;
      self->body_.clear();
      if (ec || !keep) return self->close();
      self->startRequest();
    });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ec;
    timer_.cancel();
    lowest(stream_).shutdown(tcp::socket::shutdown_send, ec);
    lowest(stream_).close(ec);
  }

  static constexpr size_t kReadChunk = 16 * 1024;
  static constexpr bool kPlain = std::is_same_v<Stream, Socket<Executor>>;

  std::shared_ptr<HttpServer::Shared> shared_;
  Stream stream_;
  asio::basic_waitable_timer<Clock, asio::wait_traits<Clock>, Executor> timer_;
  Clock::time_point deadline_{};
  uint64_t id_ = 0;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string head_;
  std::string body_;
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
    if (shared_->options.strandPerConnection)
      acceptor_->async_accept(asio::make_strand(shared_->io.get_executor()),
                              [self = shared_from_this()](beast::error_code ec, Socket<StrandExecutor> socket) {
                                self->onAccept(ec, std::move(socket));
                              });
    else
      acceptor_->async_accept(shared_->io.get_executor(),
                              [self = shared_from_this()](beast::error_code ec, Socket<IoExecutor> socket) {
                                self->onAccept(ec, std::move(socket));
                              });
  }

 private:
  template <class Executor>
  void onAccept(beast::error_code ec, Socket<Executor> socket) {
    if (ec == asio::error::operation_aborted || !acceptor_->is_open()) return;
    if (!ec) {
      if (shared_->connections.fetch_add(1) >= shared_->options.maxConnections) {
        shared_->connections.fetch_sub(1);
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        socket.set_option(tcp::no_delay(true), ec);
        socket.non_blocking(true, ec);  // reads after a readiness wait must never block the thread
        if (tls_) {
          using TlsStream = asio::ssl::stream<Socket<Executor>>;
          std::make_shared<Connection<TlsStream, Executor>>(shared_, std::move(socket), *tls_)->start();
        } else {
          std::make_shared<Connection<Socket<Executor>, Executor>>(shared_, std::move(socket))->start();
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
