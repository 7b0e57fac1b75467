#include "request_builder.h"

#include <chrono>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "core/http_message.h"
#if OVERCAST_BENCH_HAVE_SIGNER
#include "auth/sigv4.h"
#endif

namespace overcast::bench {

RequestBuilder::RequestBuilder(const Scenario& scenario, std::string hostHeader,
                               SigningOptions signing)
    : scenario_(scenario), hostHeader_(std::move(hostHeader)), signing_(std::move(signing)) {
  if (signs() && !signerAvailable() && !scenario_.usesSession())
    throw std::runtime_error(
        "this overcast-loadgen was built without the SigV4 signer (src/auth had no "
        "implementation); rebuild, or pass --no-sign");
  if (!perRequest() && !scenario_.usesSession()) serialize(scenario_.body, fixed_);
}

bool RequestBuilder::signerAvailable() { return OVERCAST_BENCH_HAVE_SIGNER != 0; }

void RequestBuilder::build(std::uint64_t seq, std::string& out) const {
  if (!perRequest()) {
    out = fixed_;
    return;
  }
  std::string body;
  scenario_.makeBody(seq, setupResult_, body);
  serialize(body, out);
}

std::string RequestBuilder::setupRequest() const {
  std::string out;
  if (!scenario_.setupBody.empty()) serialize(scenario_.setupBody, out);
  return out;
}

void RequestBuilder::serialize(std::string_view body, std::string& out) const {
  HttpRequest request;
  request.method = std::string(scenario_.method);
  request.target = std::string(scenario_.target);
  request.headers.push_back({"Host", hostHeader_});
  if (!scenario_.contentType.empty())
    request.headers.push_back({"Content-Type", std::string(scenario_.contentType)});
  request.body = std::string(body);
#if OVERCAST_BENCH_HAVE_SIGNER
  if (signs())
    auth::signRequest(request, signing_.accessKey, signing_.secretKey, signing_.region,
                      scenario_.service, std::chrono::system_clock::now());
#endif

  out.clear();
  fmt::format_to(std::back_inserter(out), "{} {} HTTP/1.1\r\n", request.method, request.target);
  for (const auto& header : request.headers)
    fmt::format_to(std::back_inserter(out), "{}: {}\r\n", header.name, header.value);
  // Content-Length goes on after signing, as boto3 does (it does not sign it).
  if (!request.body.empty() || request.method != "GET")
    fmt::format_to(std::back_inserter(out), "Content-Length: {}\r\n", request.body.size());
  out += "\r\n";
  out += request.body;
}

}  // namespace overcast::bench
