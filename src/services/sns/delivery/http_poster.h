// HttpPoster: the HTTP/HTTPS transport of SNS deliveries. One blocking POST per call, made on
// a job worker thread (never on an I/O thread: it waits up to `timeout`).
//
// What counts as delivered follows AWS (docs/aws-reference.md D2): a response with a status of
// 200–499 within the timeout. A 5xx, a timeout, a refused connection or a TLS failure is a
// failed attempt, which the caller retries under the delivery policy (D4).
//
// Transport rules:
//  - http:// and https:// only. HTTPS always verifies the certificate chain and the host name;
//    there is no switch to turn that off. `caBundle` adds trust (see HttpPosterOptions).
//  - Redirects are not followed (a 3xx is a response like any other).
//  - Proxy environment variables (http_proxy, ALL_PROXY...) are ignored: deliveries go direct.
//  - Connections are kept alive and reused: the poster keeps a small pool of libcurl handles,
//    each with its own connection cache, so repeated posts to one endpoint from a worker
//    do not reconnect.
//  - The response body is read and discarded; past kMaxResponseBody bytes the connection is
//    dropped (the status already received still counts).
//
// Threads: post() may be called from any number of threads at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace overcast::sns {

using HttpHeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpPosterOptions {
  // Whole-request limit: connect, TLS, send and the response (AWS waits 15 s).
  std::chrono::milliseconds timeout{std::chrono::seconds(15)};
  // A PEM file of extra trusted certificates (self-signed test endpoints). It is ADDED to the
  // system store: the poster hands libcurl one in-memory bundle made of libcurl's default CA
  // file and this file (CURLOPT_CAINFO_BLOB), and libcurl's default CA directory stays in use.
  // Empty: the system store only. An unreadable file makes every post fail with an error.
  std::string caBundle;
  std::string userAgent = "Amazon Simple Notification Service Agent";
};

struct HttpPostResult {
  // The HTTP status of the response; 0 when no response arrived.
  int status = 0;
  // Why the attempt failed below HTTP (connect, timeout, TLS, bad argument); empty when a
  // complete response arrived.
  std::string error;

  // AWS's rule: a complete response with status 200–499 within the timeout.
  bool delivered() const { return error.empty() && status >= 200 && status <= 499; }
};

class HttpPoster {
 public:
  // Bytes of response body read before the connection is dropped.
  static constexpr std::size_t kMaxResponseBody = 64 * 1024;
  // Idle libcurl handles (each with its kept-alive connections) the pool holds on to.
  static constexpr std::size_t kMaxIdleHandles = 16;

  explicit HttpPoster(HttpPosterOptions options = {});
  virtual ~HttpPoster();
  HttpPoster(const HttpPoster&) = delete;
  HttpPoster& operator=(const HttpPoster&) = delete;

  // POSTs `body` to `url` with `headers` added. Adds `User-Agent: <userAgent>` unless a
  // User-Agent header is given, and `Content-Type: text/plain; charset=UTF-8` unless a
  // Content-Type is given. A header name that is not an HTTP token, or a value holding CR, LF
  // or NUL, fails the call (status 0, error set) without sending anything.
  // Virtual so that delivery-job tests can substitute a fake. Thread-safe; blocks.
  virtual HttpPostResult post(std::string_view url, const HttpHeaderList& headers,
                              std::string_view body);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace overcast::sns
