// Client-side SigV4 header signing, for tests, the bench load generator and the admin CLI. It
// goes through the same canonicalRequest/stringToSign/computeSignature as verify(), so what it
// signs verify() accepts by construction; the AWS suite pins both to AWS's bytes.
#include <algorithm>
#include <array>

#include "auth/amz_date.h"
#include "auth/ascii.h"
#include "auth/sigv4.h"

namespace overcast::auth {
namespace {

// Headers that proxies and HTTP stacks may add, drop or rewrite in transit; botocore never
// signs them (auth.py SIGNED_HEADERS_BLACKLIST), and neither do we.
constexpr std::array<std::string_view, 12> kUnsignedHeaders = {
    "authorization", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization",
    "te",            "trailer",    "transfer-encoding",    "upgrade",          "user-agent",
    "x-amzn-trace-id"};

// Used only when the caller set no Host header: HttpRequest carries no authority otherwise.
constexpr std::string_view kDefaultHost = "localhost";

}  // namespace

void signRequest(HttpRequest& request, std::string_view accessKeyId, std::string_view secretAccessKey,
                 std::string_view region, std::string_view service, TimePoint now) {
  std::erase_if(request.headers, [](const HttpHeader& h) {
    return equalsIgnoreCase(h.name, "Authorization") || equalsIgnoreCase(h.name, "X-Amz-Date");
  });
  if (!request.hasHeader("Host")) request.headers.push_back({"Host", std::string(kDefaultHost)});

  SignatureInfo info;
  info.amzDate = formatAmzDate(now);
  request.headers.push_back({"X-Amz-Date", info.amzDate});
  info.accessKeyId = accessKeyId;
  info.scope = Scope{info.amzDate.substr(0, 8), std::string(region), std::string(service)};
  for (const HttpHeader& h : request.headers) {
    std::string name = toAsciiLower(h.name);
    if (std::find(kUnsignedHeaders.begin(), kUnsignedHeaders.end(), name) == kUnsignedHeaders.end())
      info.signedHeaders.push_back(std::move(name));
  }
  std::sort(info.signedHeaders.begin(), info.signedHeaders.end());
  info.signedHeaders.erase(std::unique(info.signedHeaders.begin(), info.signedHeaders.end()),
                           info.signedHeaders.end());

  std::string signature = computeSignature(secretAccessKey, info, stringToSign(info, canonicalRequest(request, info)));
  std::string authorization = "AWS4-HMAC-SHA256 Credential=";
  authorization.append(accessKeyId);
  authorization.push_back('/');
  authorization.append(info.scope.date).append("/").append(region).append("/").append(service);
  authorization.append("/aws4_request, SignedHeaders=");
  for (std::size_t i = 0; i < info.signedHeaders.size(); ++i) {
    if (i > 0) authorization.push_back(';');
    authorization.append(info.signedHeaders[i]);
  }
  authorization.append(", Signature=").append(signature);
  request.headers.push_back({"Authorization", std::move(authorization)});
}

}  // namespace overcast::auth
