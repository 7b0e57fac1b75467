// Connection: one keep-alive HTTP/1.1 client connection that sends one request at a time, reads
// the whole response, records it, and sends the next, until its io_context stops.
//
// When the server closes the connection (moto does after every response) it reconnects before
// the next request, and that connect counts in the request's latency, as it does for a real
// client. A request that finds a reused connection already closed by the server is resent once
// on a new one. Connect, read and write failures count as errors; the connection then reconnects
// (after kRetryDelay if connecting failed) and carries on.
//
// Threading: every handler runs on the one thread that runs `io`.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "request_builder.h"
#include "response_parser.h"
#include "stats.h"

namespace overcast::bench {

class Connection {
 public:
  static constexpr std::chrono::milliseconds kRetryDelay{10};
  static constexpr std::size_t kReadBufferBytes = 16 * 1024;

  // `id` makes the sequence numbers passed to per-request scenarios unique across connections.
  Connection(boost::asio::io_context& io, boost::asio::ip::tcp::endpoint endpoint,
             const RequestBuilder& builder, Stats& stats, MeasureWindow window, std::uint32_t id);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void start();

  // Called once when the connection's session is finished (stateful scenarios only).
  void setOnFinished(std::function<void()> onFinished) { onFinished_ = std::move(onFinished); }

 private:
  using Clock = std::chrono::steady_clock;

  void beginRequest();
  void connect();
  void onConnect(const boost::system::error_code& ec);
  void send();
  void onWrite(const boost::system::error_code& ec, std::size_t bytes);
  void readMore();
  void onRead(const boost::system::error_code& ec, std::size_t bytes);
  void finishResponse();
  void fail(std::string_view what, const boost::system::error_code& ec);
  void closeSocket();

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer retryTimer_;
  boost::asio::ip::tcp::endpoint endpoint_;
  const RequestBuilder& builder_;
  Stats& stats_;
  MeasureWindow window_;

  bool connected_ = false;
  bool everConnected_ = false;
  std::uint64_t responsesOnSocket_ = 0;  // responses read on the current socket
  bool resent_ = false;                   // the current request was already resent once
  std::uint64_t nextSeq_;
  std::string request_;  // per-request scenarios build here; fixed ones point at the template
  std::string_view wire_;
  Clock::time_point requestStart_;
  ResponseParser parser_;
  std::array<char, kReadBufferBytes> readBuffer_{};
  std::unique_ptr<Session> session_;  // stateful scenarios: builds the requests
  std::string body_;                  // ... and reads the whole answer
  std::function<void()> onFinished_;
};

}  // namespace overcast::bench
