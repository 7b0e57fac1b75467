#include "connection.h"

#include <algorithm>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>

namespace overcast::bench {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {
// Sequence numbers: the connection id in the high bits, a counter in the low ones.
constexpr int kSeqConnectionShift = 40;

// A reused keep-alive connection that the server had already closed shows one of these before
// any byte of the response: the request was not processed and can be resent.
bool isStaleConnection(const error_code& ec) {
  return ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe;
}
}  // namespace

Connection::Connection(asio::io_context& io, asio::ip::tcp::endpoint endpoint,
                       const RequestBuilder& builder, Stats& stats, MeasureWindow window,
                       std::uint32_t id)
    : socket_(io),
      retryTimer_(io),
      endpoint_(endpoint),
      builder_(builder),
      stats_(stats),
      window_(window),
      nextSeq_(static_cast<std::uint64_t>(id) << kSeqConnectionShift) {
  if (builder.sessions() != nullptr) session_ = builder.sessions()->make(id, window);
}

void Connection::start() { beginRequest(); }

void Connection::beginRequest() {
  requestStart_ = Clock::now();
  resent_ = false;
  if (session_) {
    if (session_->finished()) {
      closeSocket();
      if (onFinished_) std::exchange(onFinished_, nullptr)();
      return;
    }
    session_->next(request_);
    wire_ = request_;
  } else if (builder_.perRequest()) {
    builder_.build(nextSeq_++, request_);
    wire_ = request_;
  } else {
    wire_ = builder_.fixedRequest();
  }
  if (connected_) send();
  else connect();
}

void Connection::connect() {
  closeSocket();
  socket_.async_connect(endpoint_, [this](const error_code& ec) { onConnect(ec); });
}

void Connection::onConnect(const error_code& ec) {
  if (ec) {
    fail("connect", ec);
    return;
  }
  error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  if (everConnected_ && window_.contains(Clock::now())) ++stats_.reconnects;
  everConnected_ = true;
  connected_ = true;
  responsesOnSocket_ = 0;
  send();
}

void Connection::send() {
  parser_.reset(session_ ? &body_ : nullptr);
  asio::async_write(socket_, asio::buffer(wire_.data(), wire_.size()),
                    [this](const error_code& ec, std::size_t bytes) { onWrite(ec, bytes); });
}

void Connection::onWrite(const error_code& ec, std::size_t) {
  if (ec) {
    if (responsesOnSocket_ > 0 && !resent_ && isStaleConnection(ec)) {
      resent_ = true;
      connect();
      return;
    }
    fail("write", ec);
    return;
  }
  readMore();
}

void Connection::readMore() {
  socket_.async_read_some(asio::buffer(readBuffer_),
                          [this](const error_code& ec, std::size_t bytes) { onRead(ec, bytes); });
}

void Connection::onRead(const error_code& ec, std::size_t bytes) {
  if (bytes > 0) {
    if (window_.contains(Clock::now())) stats_.bytesReceived += bytes;
    parser_.feed(readBuffer_.data(), bytes);
    if (parser_.failed()) {
      fail(fmt::format("malformed response ({})", parser_.error()), {});
      return;
    }
    if (parser_.done()) {
      finishResponse();
      return;
    }
  }
  if (ec) {
    if (ec == asio::error::eof) {
      parser_.onEof();
      if (parser_.done()) {
        connected_ = false;  // the server closed it: the next request reconnects
        finishResponse();
        return;
      }
    }
    if (!parser_.started() && responsesOnSocket_ > 0 && !resent_ && isStaleConnection(ec)) {
      resent_ = true;
      connect();
      return;
    }
    fail(parser_.failed() ? fmt::format("read ({})", parser_.error()) : "read", ec);
    return;
  }
  readMore();
}

void Connection::finishResponse() {
  auto now = Clock::now();
  if (window_.contains(now)) {
    stats_.latency.record(now - requestStart_);
    ++stats_.responses;
    stats_.bytesSent += wire_.size();
    int status = parser_.status();
    ++stats_.statusCounts[static_cast<std::size_t>(
        std::clamp(status, 0, static_cast<int>(stats_.statusCounts.size()) - 1))];
    if (status < 200 || status > 299) ++stats_.non2xx;
    if (status != 200) {
      ++stats_.non200;
      if (stats_.firstNon200.empty())
        stats_.firstNon200 = fmt::format("HTTP {}: {}", status, parser_.bodySample());
    }
  }
  if (session_) session_->onResponse(parser_.status(), body_, window_.contains(now), stats_);
  ++responsesOnSocket_;
  if (parser_.closeAfter()) closeSocket();
  beginRequest();
}

void Connection::fail(std::string_view what, const error_code& ec) {
  if (window_.contains(Clock::now())) {
    ++stats_.errors;
    if (stats_.firstError.empty())
      stats_.firstError = ec ? fmt::format("{}: {}", what, ec.message()) : std::string(what);
  }
  closeSocket();
  retryTimer_.expires_after(kRetryDelay);
  retryTimer_.async_wait([this](const error_code& timerEc) {
    if (!timerEc) beginRequest();
  });
}

void Connection::closeSocket() {
  error_code ignored;
  if (socket_.is_open()) socket_.close(ignored);
  connected_ = false;
}

}  // namespace overcast::bench
