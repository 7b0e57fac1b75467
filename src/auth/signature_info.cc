// Reading what a request claims about its signature: the Authorization header form and the
// presigned query-string form. Only syntax is checked here; time and key checks are verify()'s.
// Messages follow what AWS answers for the same mistakes, so SDK users can search for them.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "auth/amz_date.h"
#include "auth/ascii.h"
#include "auth/sigv4.h"
#include "auth/uri_encode.h"

namespace overcast::auth {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kTerminator = "aws4_request";
constexpr std::chrono::seconds kMaxPresignedExpiry{604800};  // 7 days, the SigV4 presign limit

Error incomplete(std::string message) { return Error(ErrorCode::IncompleteSignature, std::move(message)); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// True if the raw query has a parameter named `name` (names AWS uses need no encoding).
bool queryHasParam(std::string_view query, std::string_view name) {
  std::size_t pos = 0;
  while (pos <= query.size()) {
    std::size_t amp = query.find('&', pos);
    std::string_view seg = query.substr(pos, amp == std::string_view::npos ? std::string_view::npos : amp - pos);
    if (seg.substr(0, name.size()) == name && (seg.size() == name.size() || seg[name.size()] == '='))
      return true;
    if (amp == std::string_view::npos) break;
    pos = amp + 1;
  }
  return false;
}

// "AKID/20150830/us-east-1/service/aws4_request"
Result<void> parseCredential(std::string_view credential, SignatureInfo& info) {
  std::array<std::string_view, 5> parts;
  bool wellFormed = std::count(credential.begin(), credential.end(), '/') == 4;
  for (std::size_t i = 0, pos = 0; wellFormed && i < parts.size(); ++i) {
    std::size_t slash = credential.find('/', pos);
    parts[i] = credential.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
    wellFormed = !parts[i].empty();
    pos = slash + 1;
  }
  if (!wellFormed)
    return incomplete(fmt::format(
        "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{}'",
        credential));
  if (parts[4] != kTerminator)
    return incomplete(
        fmt::format("Credential should be scoped with a valid terminator: 'aws4_request', not '{}'.", parts[4]));
  if (parts[1].size() != 8 || !std::all_of(parts[1].begin(), parts[1].end(), [](char c) { return c >= '0' && c <= '9'; }))
    return incomplete(fmt::format("Invalid credential date '{}': must be yyyymmdd.", parts[1]));
  info.accessKeyId = parts[0];
  info.scope = Scope{std::string(parts[1]), std::string(parts[2]), std::string(parts[3])};
  return {};
}

Result<void> parseSignedHeaders(std::string_view list, SignatureInfo& info) {
  std::size_t pos = 0;
  while (pos <= list.size()) {
    std::size_t semi = list.find(';', pos);
    std::string_view name = list.substr(pos, semi == std::string_view::npos ? std::string_view::npos : semi - pos);
    if (name.empty()) return incomplete(fmt::format("SignedHeaders '{}' contains an empty header name.", list));
    info.signedHeaders.push_back(toAsciiLower(name));
    if (semi == std::string_view::npos) break;
    pos = semi + 1;
  }
  return {};
}

Result<std::string> checkAmzDate(std::string_view date) {
  if (!parseAmzDate(date))
    return incomplete(fmt::format(
        "Date must be in ISO-8601 'basic format'. Got '{}'. See http://en.wikipedia.org/wiki/ISO_8601", date));
  return std::string(date);
}

Result<SignatureInfo> parseHeaderForm(const HttpRequest& request, std::string_view authorization) {
  std::string_view rest = trim(authorization);
  std::size_t sp = rest.find_first_of(" \t");
  std::string_view algorithm = rest.substr(0, sp);
  if (algorithm != kAlgorithm) return incomplete(fmt::format("Unsupported AWS 'algorithm': '{}'.", algorithm));
  rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp);

  std::string_view credential, signedHeaders, signature;
  bool haveCredential = false, haveSignedHeaders = false, haveSignature = false;
  std::size_t pos = 0;
  while (pos <= rest.size()) {
    std::size_t comma = rest.find(',', pos);
    std::string_view part = trim(rest.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos));
    std::size_t eq = part.find('=');
    if (eq != std::string_view::npos) {
      std::string_view key = part.substr(0, eq), value = part.substr(eq + 1);
      if (key == "Credential") credential = value, haveCredential = true;
      else if (key == "SignedHeaders") signedHeaders = value, haveSignedHeaders = true;
      else if (key == "Signature") signature = value, haveSignature = true;
    }
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }

  const HttpHeader* amzDateHeader = request.findHeader("x-amz-date");
  const HttpHeader* dateHeader = amzDateHeader ? nullptr : request.findHeader("date");
  bool haveDate = amzDateHeader || dateHeader;
  std::string missing;
  if (!haveCredential || credential.empty()) missing += "Authorization header requires 'Credential' parameter. ";
  if (!haveSignature || signature.empty()) missing += "Authorization header requires 'Signature' parameter. ";
  if (!haveSignedHeaders || signedHeaders.empty())
    missing += "Authorization header requires 'SignedHeaders' parameter. ";
  if (!haveDate) missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  if (!missing.empty()) return incomplete(fmt::format("{}Authorization={}", missing, trim(authorization)));

  SignatureInfo info;
  if (auto r = parseCredential(credential, info); !r) return r.error();
  if (auto r = parseSignedHeaders(signedHeaders, info); !r) return r.error();
  info.signature = signature;
  if (amzDateHeader) {
    auto date = checkAmzDate(trim(amzDateHeader->value));
    if (!date) return date.error();
    info.amzDate = std::move(*date);
  } else {
    auto converted = rfc1123ToAmzDate(trim(dateHeader->value));
    if (!converted)
      return incomplete(fmt::format("Date header '{}' is not an RFC 1123 date such as 'Sun, 30 Aug 2015 12:36:00 GMT'.",
                                    dateHeader->value));
    info.amzDate = std::move(*converted);
  }
  if (const HttpHeader* token = request.findHeader("x-amz-security-token")) info.securityToken = trim(token->value);
  return info;
}

Result<SignatureInfo> parseQueryForm(const HttpRequest& request) {
  const std::string* algorithm = nullptr;
  const std::string *credential = nullptr, *date = nullptr, *expires = nullptr, *signedHeaders = nullptr,
                    *signature = nullptr, *token = nullptr;
  std::vector<QueryParam> params = decodeQuery(request.query());
  for (const QueryParam& p : params) {
    if (p.name == "X-Amz-Algorithm") algorithm = &p.value;
    else if (p.name == "X-Amz-Credential") credential = &p.value;
    else if (p.name == "X-Amz-Date") date = &p.value;
    else if (p.name == "X-Amz-Expires") expires = &p.value;
    else if (p.name == "X-Amz-SignedHeaders") signedHeaders = &p.value;
    else if (p.name == "X-Amz-Signature") signature = &p.value;
    else if (p.name == "X-Amz-Security-Token") token = &p.value;
  }
  if (!algorithm || !credential || !date || !signedHeaders || !signature || credential->empty() ||
      signedHeaders->empty() || signature->empty())
    return incomplete(
        "AWS query-string authentication requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, "
        "X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
  if (*algorithm != kAlgorithm) return incomplete(fmt::format("Unsupported AWS 'algorithm': '{}'.", *algorithm));

  SignatureInfo info;
  info.presigned = true;
  if (auto r = parseCredential(*credential, info); !r) return r.error();
  if (auto r = parseSignedHeaders(*signedHeaders, info); !r) return r.error();
  info.signature = *signature;
  auto checked = checkAmzDate(*date);
  if (!checked) return checked.error();
  info.amzDate = std::move(*checked);
  if (expires) {
    long long secs = -1;
    if (!expires->empty() && expires->size() <= 7 &&
        std::all_of(expires->begin(), expires->end(), [](char c) { return c >= '0' && c <= '9'; }))
      secs = std::stoll(*expires);
    if (secs < 1 || secs > kMaxPresignedExpiry.count())
      return incomplete(fmt::format("X-Amz-Expires must be between 1 and 604800 seconds (7 days), got '{}'.", *expires));
    info.expires = std::chrono::seconds(secs);
  }
  if (token) info.securityToken = *token;
  else if (const HttpHeader* header = request.findHeader("x-amz-security-token"))
    info.securityToken = trim(header->value);
  return info;
}

}  // namespace

bool hasSigV4(const HttpRequest& request) {
  const HttpHeader* authorization = request.findHeader("authorization");
  if (authorization && trim(authorization->value).substr(0, 5) == "AWS4-") return true;
  std::string_view q = request.query();
  return queryHasParam(q, "X-Amz-Algorithm") || queryHasParam(q, "X-Amz-Credential");
}

Result<SignatureInfo> parseSignatureInfo(const HttpRequest& request) {
  // The header wins when both forms appear: it is what SDKs send, the query form is for links.
  if (const HttpHeader* authorization = request.findHeader("authorization"))
    return parseHeaderForm(request, authorization->value);
  std::string_view q = request.query();
  if (queryHasParam(q, "X-Amz-Algorithm") || queryHasParam(q, "X-Amz-Credential")) return parseQueryForm(request);
  return Error(ErrorCode::MissingAuthenticationToken, "Request is missing Authentication Token");
}

}  // namespace overcast::auth
