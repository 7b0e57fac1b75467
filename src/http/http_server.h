// HttpServer: the only code in overcast that touches sockets. Accepts HTTP/1.1 (and HTTPS)
// connections on Asio, reads requests into plain HttpRequest values under size and time
// limits, hands them to a Handler, and writes the HttpResponse back (keep-alive).
//
// Threads: everything runs on the io_context threads the caller runs. Each connection lives on
// its own strand (or, with one thread, on the io_context itself); the handler's `respond` may be
// called from any thread (it is posted back).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "core/http_message.h"
#include "core/result.h"

namespace overcast::http {

struct HttpServerOptions {
  size_t maxHeaderBytes = 64 * 1024;       // larger -> 431 and close
  size_t maxBodyBytes = 8 * 1024 * 1024;   // larger -> the handler answers (bodyTooLarge) and we close
  std::chrono::seconds idleTimeout{60};    // keep-alive connection with no request
  std::chrono::seconds requestTimeout{30}; // a started request must arrive whole within this
  size_t maxConnections = 10000;           // beyond this, new connections are closed at once
  // Each connection's handlers run on a strand. Needed only when more than one thread runs the
  // io_context; with one thread every handler already runs there in turn.
  bool strandPerConnection = true;
};

// A request whose body exceeded maxBodyBytes arrives with an empty body and this flag set,
// so the API layer can answer in the protocol's own error format.
struct IncomingRequest {
  HttpRequest request;
  bool bodyTooLarge = false;
};

using Respond = std::function<void(HttpResponse&&)>;
using Handler = std::function<void(IncomingRequest&&, Respond)>;

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, HttpServerOptions options, Handler handler);
  ~HttpServer();

  // Binds and starts accepting on `endpoint` ("127.0.0.1:4566", "[::1]:0"). With `tls`, the
  // listener speaks HTTPS. Returns the bound endpoint (the real port when 0 was asked).
  Result<boost::asio::ip::tcp::endpoint> listen(const std::string& endpoint,
                                                std::shared_ptr<boost::asio::ssl::context> tls = nullptr);

  // Stops accepting and asks every connection to close after its current response.
  void beginShutdown();

  size_t activeConnections() const;

  struct Shared;  // state shared with listeners and connections (they may outlive a call)

 private:
  std::shared_ptr<Shared> shared_;
};

// Parses "host:port" / "[v6]:port". Error InvalidParameterValue.
Result<boost::asio::ip::tcp::endpoint> parseEndpoint(const std::string& text);

}  // namespace overcast::http
