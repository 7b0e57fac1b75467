// Scheduler over an io_context: timers are steady_timers on the server's I/O threads, so a
// waiting SQS receive costs a timer, not a thread.
#pragma once

#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/scheduler.h"

namespace overcast::server {

class AsioScheduler final : public Scheduler {
 public:
  explicit AsioScheduler(boost::asio::io_context& io) : io_(io) {}

  void runAfter(std::chrono::milliseconds delay, std::function<void()> fn) override {
    auto timer = std::make_shared<boost::asio::steady_timer>(io_, delay);
    timer->async_wait([timer, fn = std::move(fn)](boost::system::error_code ec) {
      if (!ec) fn();
    });
  }
  void post(std::function<void()> fn) override { boost::asio::post(io_, std::move(fn)); }

 private:
  boost::asio::io_context& io_;
};

}  // namespace overcast::server
