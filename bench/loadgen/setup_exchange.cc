#include "setup_exchange.h"

#include <array>

#include <boost/asio/buffer.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>

#include "response_parser.h"

namespace overcast::bench {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

// The state of one exchange; every handler runs inside exchangeOnce's run_for.
struct Exchange {
  explicit Exchange(asio::io_context& io) : socket(io) {}

  void read() {
    socket.async_read_some(asio::buffer(buffer), [this](const error_code& ec, std::size_t n) {
      parser.feed(buffer.data(), n);
      if (ec == asio::error::eof) parser.onEof();
      if (parser.done() || parser.failed()) {
        finished = true;
        if (parser.failed()) error = std::string(parser.error());
      } else if (ec) {
        finished = true;
        error = fmt::format("read: {}", ec.message());
      } else {
        read();
      }
    });
  }

  asio::ip::tcp::socket socket;
  ResponseParser parser;
  std::array<char, 16 * 1024> buffer{};
  std::string fullBody;  // filled when the caller wants the whole body
  bool finished = false;
  std::string error;
};

}  // namespace

ExchangeResult exchangeOnce(const asio::ip::tcp::endpoint& endpoint, std::string_view request,
                            std::chrono::milliseconds timeout, bool fullBody) {
  asio::io_context io(1);
  auto exchange = std::make_unique<Exchange>(io);
  Exchange& x = *exchange;
  x.parser.reset(fullBody ? &x.fullBody : nullptr);
  x.socket.async_connect(endpoint, [&x, request](const error_code& ec) {
    if (ec) {
      x.finished = true;
      x.error = fmt::format("connect: {}", ec.message());
      return;
    }
    asio::async_write(x.socket, asio::buffer(request.data(), request.size()),
                      [&x](const error_code& writeEc, std::size_t) {
                        if (writeEc) {
                          x.finished = true;
                          x.error = fmt::format("write: {}", writeEc.message());
                          return;
                        }
                        x.read();
                      });
  });
  io.run_for(timeout);

  ExchangeResult result;
  if (!x.finished) {
    result.error = "timed out";
  } else if (x.error.empty()) {
    result.ok = true;
    result.status = x.parser.status();
    result.body = fullBody ? std::move(x.fullBody) : std::string(x.parser.bodySample());
  } else {
    result.error = x.error;
  }
  return result;
}

std::string firstElementText(std::string_view xml, std::string_view name) {
  std::string open = fmt::format("<{}>", name);
  std::string close = fmt::format("</{}>", name);
  auto start = xml.find(open);
  if (start == std::string_view::npos) return {};
  start += open.size();
  auto end = xml.find(close, start);
  if (end == std::string_view::npos) return {};
  std::string text(xml.substr(start, end - start));
  for (std::size_t at = text.find("&amp;"); at != std::string::npos; at = text.find("&amp;", at + 1))
    text.replace(at, 5, "&");
  return text;
}

}  // namespace overcast::bench
