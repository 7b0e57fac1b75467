// FakeHttpServer: an in-process HTTP/1.1 (or HTTPS) endpoint on 127.0.0.1:0 that records
// what it receives, for HttpPoster tests. One Asio thread; the destructor stops and joins it.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace overcast::sns::testing {

struct RecordedRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first header of that name (case-insensitive), or "".
  std::string header(std::string_view name) const;
};

struct FakeHttpServerOptions {
  int status = 200;
  // false: read each request and never reply (the connection stays open).
  bool answer = true;
  std::size_t responseBodyBytes = 2;
  // Both set: serve HTTPS with this certificate.
  std::string certPem;
  std::string keyPem;
};

class FakeHttpServer {
 public:
  explicit FakeHttpServer(FakeHttpServerOptions options = {});
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  uint16_t port() const;
  // "http(s)://127.0.0.1:<port><path>"
  std::string url(std::string_view path = "/") const;
  void setStatus(int status);
  std::vector<RecordedRequest> requests() const;
  // TCP connections accepted so far.
  int accepts() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace overcast::sns::testing
