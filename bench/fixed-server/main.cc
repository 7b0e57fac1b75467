// overcast-fixed-server: a one-thread Beast HTTP/1.1 server that answers every request with
// 200 and the same ~380-byte SQS SendMessageResponse, keeping connections alive. It does what
// overcast's HTTP layer does (Beast parse of the request into a string body, Beast serialization
// of a string-body response) and nothing else, so the gap between it and nginx is what our HTTP
// layer costs, and the gap between it and overcast is what everything behind that costs.
//
//   overcast-fixed-server --listen 127.0.0.1:0   # prints "...listening on http://ADDR:PORT"
//   overcast-fixed-server --print-body           # the body, for bench/run's nginx.conf
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <fmt/format.h>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

// The same shape and size as SQS's answer to SendMessage (query protocol).
constexpr std::string_view kBody =
    "<?xml version=\"1.0\"?><SendMessageResponse "
    "xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><SendMessageResult>"
    "<MessageId>5fea7756-0ea4-451a-a703-a558b933e274</MessageId>"
    "<MD5OfMessageBody>fafb00f5732ab283681e124bf8747ed1</MD5OfMessageBody>"
    "</SendMessageResult><ResponseMetadata>"
    "<RequestId>27daac76-34dd-47df-bd01-1f6e873584a0</RequestId>"
    "</ResponseMetadata></SendMessageResponse>";

// One connection: read a request, answer it, repeat until the client closes.
class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket socket) : stream_(std::move(socket)) {}

  void start() { read(); }

 private:
  void read() {
    request_ = {};
    http::async_read(stream_, buffer_, request_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       self->onRead(ec);
                     });
  }

  void onRead(beast::error_code ec) {
    if (ec) return;  // closed by the client, or garbage: drop the connection
    response_ = {};
    response_.result(http::status::ok);
    response_.version(request_.version());
    response_.set(http::field::content_type, "text/xml");
    response_.keep_alive(request_.keep_alive());
    response_.body() = kBody;
    response_.prepare_payload();
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code writeEc, std::size_t) {
                        self->onWrite(writeEc);
                      });
  }

  void onWrite(beast::error_code ec) {
    if (ec || !response_.keep_alive()) {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      return;
    }
    read();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

class Listener {
 public:
  Listener(asio::io_context& io, const tcp::endpoint& endpoint) : acceptor_(io, endpoint) {}

  tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }

  void accept() {
    acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (!ec) {
        socket.set_option(tcp::no_delay(true), ec);
        std::make_shared<Session>(std::move(socket))->start();
      }
      accept();
    });
  }

 private:
  tcp::acceptor acceptor_;
};

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:0";
  bool printBody = false;
  CLI::App app{"overcast-fixed-server: fixed 200 + SendMessageResponse, one thread"};
  app.add_option("--listen", listen, "ADDR:PORT (port 0 picks one)")->capture_default_str();
  app.add_flag("--print-body", printBody, "print the response body and exit");
  CLI11_PARSE(app, argc, argv);

  if (printBody) {
    fmt::print("{}", kBody);
    return 0;
  }
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) {
    fmt::print(stderr, "overcast-fixed-server: --listen wants ADDR:PORT\n");
    return 2;
  }
  try {
    asio::io_context io(1);
    tcp::endpoint endpoint(asio::ip::make_address(listen.substr(0, colon)),
                           static_cast<unsigned short>(std::stoul(listen.substr(colon + 1))));
    Listener listener(io, endpoint);
    listener.accept();
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&io](beast::error_code, int) { io.stop(); });
    auto bound = listener.endpoint();
    fmt::print("overcast-fixed-server: listening on http://{}:{}\n", bound.address().to_string(),
               bound.port());
    std::fflush(stdout);
    io.run();
  } catch (const std::exception& e) {
    fmt::print(stderr, "overcast-fixed-server: {}\n", e.what());
    return 1;
  }
  return 0;
}
