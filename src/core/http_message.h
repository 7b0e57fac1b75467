// HttpRequest / HttpResponse: plain values that cross from the socket layer (src/http) to the
// pure layers (auth, protocol, api). No Beast types here, so those layers stay testable.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace overcast {

struct HttpHeader {
  std::string name;   // as received (case preserved)
  std::string value;  // as received (not trimmed)
};

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // raw request-target: path plus "?query" if any, still percent-encoded
  std::vector<HttpHeader> headers;  // in arrival order; duplicates kept
  std::string body;
  std::string remoteAddress;  // "127.0.0.1:54321"; empty in tests
  bool tls = false;

  // Path part of `target` (before '?'), still percent-encoded.
  std::string_view path() const {
    auto q = target.find('?');
    return std::string_view(target).substr(0, q);
  }
  // Query part of `target` (after '?'), still percent-encoded; empty if none.
  std::string_view query() const {
    auto q = target.find('?');
    return q == std::string::npos ? std::string_view() : std::string_view(target).substr(q + 1);
  }
  // First header with this name (compared ASCII case-insensitively), or null.
  const HttpHeader* findHeader(std::string_view name) const;
  // Its value; empty if absent.
  std::string_view header(std::string_view name) const {
    const HttpHeader* h = findHeader(name);
    return h ? std::string_view(h->value) : std::string_view();
  }
  bool hasHeader(std::string_view name) const { return findHeader(name) != nullptr; }
};

struct HttpResponse {
  int status = 200;
  std::vector<HttpHeader> headers;  // Content-Type goes here too
  std::string body;
  bool closeConnection = false;

  void setHeader(std::string name, std::string value) {
    headers.push_back({std::move(name), std::move(value)});
  }
};

// ASCII case-insensitive equality (HTTP field names are ASCII; no locale lookups on the hot path).
bool equalsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace overcast
