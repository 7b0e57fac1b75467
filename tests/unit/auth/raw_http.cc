#include "raw_http.h"

#include <stdexcept>
#include <string>

namespace overcast::auth::testing {
namespace {

std::string_view nextLine(std::string_view& rest) {
  std::size_t nl = rest.find('\n');
  std::string_view line = rest.substr(0, nl);
  rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

HttpRequest parseRawRequest(std::string_view text) {
  HttpRequest request;
  std::string_view rest = text;
  std::string_view requestLine = nextLine(rest);
  std::size_t first = requestLine.find(' ');
  std::size_t last = requestLine.rfind(' ');
  if (first == std::string_view::npos || last == first) throw std::runtime_error("bad request line");
  request.method = requestLine.substr(0, first);
  request.target = requestLine.substr(first + 1, last - first - 1);

  bool inBody = false;
  while (!rest.empty() && !inBody) {
    std::string_view line = nextLine(rest);
    if (line.empty()) {
      inBody = true;
    } else if (line.front() == ' ' || line.front() == '\t') {
      if (request.headers.empty()) throw std::runtime_error("continuation before any header");
      request.headers.back().value.append("\n").append(line);
    } else {
      std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) throw std::runtime_error("header without ':'");
      request.headers.push_back({std::string(line.substr(0, colon)), std::string(line.substr(colon + 1))});
    }
  }
  request.body = rest;
  return request;
}

}  // namespace overcast::auth::testing
