// Scenario setup: one request on a fresh connection before the run (CreateQueue, say), and the
// value the scenario wants from its answer.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <boost/asio/ip/tcp.hpp>

namespace overcast::bench {

struct ExchangeResult {
  bool ok = false;    // a complete response arrived in time
  int status = 0;
  std::string body;   // its first ResponseParser::kBodySampleBytes bytes, or all of it (fullBody)
  std::string error;  // why not ok
};

// Sends `request` (raw bytes) on a new connection and reads one response, for at most `timeout`.
ExchangeResult exchangeOnce(const boost::asio::ip::tcp::endpoint& endpoint,
                            std::string_view request, std::chrono::milliseconds timeout,
                            bool fullBody = false);

// The text of the first <name>...</name> element in `xml` ("&amp;" decoded), or empty.
std::string firstElementText(std::string_view xml, std::string_view name);

}  // namespace overcast::bench
