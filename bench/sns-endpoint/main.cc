// overcast-sns-endpoint: an HTTP/1.1 endpoint for SNS http subscriptions (bench/sns-http,
// bench/README.md). A thread per accepted connection, keep-alive: every POST is answered 200 with
// an empty body. A `x-amz-sns-message-type: SubscriptionConfirmation` POST has its `SubscribeURL`
// (from the JSON body) fetched with a plain-HTTP GET before it is answered, so the subscription
// is confirmed. Notifications are counted (total, per request path, duplicate
// `x-amz-sns-message-id` per path), with the wall-clock times (CLOCK_REALTIME, ns since the
// epoch) of the first and the last; so are the TCP connections that carried SNS POSTs
// (`connections`) and all accepted ones (`accepted`, the /stats polls included).
//
//   overcast-sns-endpoint --listen 127.0.0.1:0     # prints "...listening on http://ADDR:PORT"
//   curl http://ADDR:PORT/stats                    # {"notifications":…,"connections":…,
//                                                  #  "accepted":…,"first_ns":…,"last_ns":…,"confirmations":…,
//                                                  #  "duplicates":…,"other_posts":…,
//                                                  #  "confirm_failures":…,"paths":{"/hook/0":…}}
//   curl -X POST http://ADDR:PORT/reset            # zeroes the notification counts
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include <CLI/CLI.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using asio::ip::tcp;

std::int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Counters {
  std::atomic<std::uint64_t> accepted{0};     // every TCP connection (curl /stats included)
  std::atomic<std::uint64_t> connections{0};  // those that carried an SNS POST
  std::atomic<std::uint64_t> confirmations{0};
  std::atomic<std::uint64_t> confirmFailures{0};
  std::atomic<std::uint64_t> otherPosts{0};
  std::mutex mutex;  // guards what follows
  std::uint64_t notifications = 0;
  std::uint64_t duplicates = 0;
  std::int64_t firstNs = 0, lastNs = 0;
  std::map<std::string, std::uint64_t> perPath;
  std::set<std::string> seen;  // path + ' ' + message id

  void notification(std::string_view path, std::string_view messageId) {
    std::int64_t t = nowNs();
    std::string key;
    key.reserve(path.size() + 1 + messageId.size());
    key.append(path).append(" ").append(messageId);
    std::lock_guard lock(mutex);
    ++notifications;
    if (firstNs == 0) firstNs = t;
    lastNs = t;
    ++perPath[std::string(path)];
    if (!messageId.empty() && !seen.insert(std::move(key)).second) ++duplicates;
  }

  void reset() {
    std::lock_guard lock(mutex);
    notifications = duplicates = 0;
    firstNs = lastNs = 0;
    perPath.clear();
    seen.clear();
  }

  std::string statsJson() {
    std::lock_guard lock(mutex);
    json::object paths;
    for (const auto& [path, n] : perPath) paths[path] = n;
    json::object o;
    o["notifications"] = notifications;
    o["connections"] = connections.load();
    o["accepted"] = accepted.load();
    o["first_ns"] = firstNs;
    o["last_ns"] = lastNs;
    o["confirmations"] = confirmations.load();
    o["confirm_failures"] = confirmFailures.load();
    o["duplicates"] = duplicates;
    o["other_posts"] = otherPosts.load();
    o["paths"] = std::move(paths);
    return json::serialize(o);
  }
};

Counters counters;

// GET of a plain http:// URL; true on a 2xx answer. `why` says what went wrong otherwise.
bool httpGet(std::string_view url, std::string& why) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) {
    why = fmt::format("not a plain http URL: {}", url);
    return false;
  }
  std::string_view rest = url.substr(kScheme.size());
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  std::string host(authority), port = "80";
  if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = std::string(authority.substr(0, colon));
    port = std::string(authority.substr(colon + 1));
  }
  try {
    asio::io_context io(1);
    tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(30));
    stream.connect(resolver.resolve(host, port));
    http::request<http::empty_body> request(http::verb::get, target, 11);
    request.set(http::field::host, authority);
    request.set(http::field::user_agent, "overcast-sns-endpoint");
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    if (response.result_int() / 100 != 2) {
      why = fmt::format("GET {} answered {}: {}", url, response.result_int(),
                        response.body().substr(0, 300));
      return false;
    }
    return true;
  } catch (const std::exception& e) {
    why = fmt::format("GET {}: {}", url, e.what());
    return false;
  }
}

void confirm(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  std::string why = "no SubscribeURL in the body";
  if (!ec && v.is_object()) {
    const auto& o = v.get_object();
    auto it = o.find("SubscribeURL");
    if (it != o.end() && it->value().is_string()) {
      if (httpGet(std::string_view(it->value().get_string()), why)) {
        counters.confirmations.fetch_add(1);
        return;
      }
    }
  }
  counters.confirmFailures.fetch_add(1);
  fmt::print(stderr, "overcast-sns-endpoint: confirmation failed: {}\n", why);
}

void serve(tcp::socket socket) {
  beast::error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  beast::flat_buffer buffer;
  bool sns = false;
  for (;;) {
    http::request<http::string_body> request;
    http::read(socket, buffer, request, ec);
    if (ec) break;  // closed by the peer, or garbage
    http::response<http::string_body> response(http::status::ok, request.version());
    response.keep_alive(request.keep_alive());
    std::string_view target = request.target();
    std::string_view path = target.substr(0, target.find('?'));
    if (request.method() == http::verb::get && path == "/stats") {
      response.set(http::field::content_type, "application/json");
      response.body() = counters.statsJson();
    } else if (request.method() == http::verb::post && path == "/reset") {
      counters.reset();
    } else if (request.method() == http::verb::post) {
      auto type = request["x-amz-sns-message-type"];
      if (!type.empty() && !sns) {
        sns = true;
        counters.connections.fetch_add(1);
      }
      if (type == "Notification")
        counters.notification(path, request["x-amz-sns-message-id"]);
      else if (type == "SubscriptionConfirmation")
        confirm(request.body());
      else
        counters.otherPosts.fetch_add(1);
    } else {
      response.result(http::status::not_found);
    }
    response.prepare_payload();
    http::write(socket, response, ec);
    if (ec || !response.keep_alive()) break;
  }
  socket.shutdown(tcp::socket::shutdown_send, ec);
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:0";
  CLI::App app{"overcast-sns-endpoint: counts SNS http notifications, confirms subscriptions"};
  app.add_option("--listen", listen, "ADDR:PORT (port 0 picks one)")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) {
    fmt::print(stderr, "overcast-sns-endpoint: --listen wants ADDR:PORT\n");
    return 2;
  }
  try {
    asio::io_context io(1);
    tcp::endpoint endpoint(asio::ip::make_address(listen.substr(0, colon)),
                           static_cast<unsigned short>(std::stoul(listen.substr(colon + 1))));
    tcp::acceptor acceptor(io, endpoint);
    auto bound = acceptor.local_endpoint();
    fmt::print("overcast-sns-endpoint: listening on http://{}:{}\n", bound.address().to_string(),
               bound.port());
    std::fflush(stdout);
    for (;;) {
      tcp::socket socket(io);
      acceptor.accept(socket);
      counters.accepted.fetch_add(1);
      std::thread(serve, std::move(socket)).detach();
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "overcast-sns-endpoint: {}\n", e.what());
    return 1;
  }
}
