// Step 1 of SigV4: the canonical request, built the way AWS builds it for every service but S3
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html, botocore
// auth.py SigV4Auth.canonical_request):
//
//   METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n \n SignedHeaders \n PayloadHash
#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/ascii.h"
#include "auth/digest.h"
#include "auth/sigv4.h"
#include "auth/uri_encode.h"

namespace overcast::auth {
namespace {

constexpr std::string_view kSignatureParam = "X-Amz-Signature";

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// The path is normalised and then encoded once more, although it arrived encoded: botocore
// quotes the already-quoted path (so %20 becomes %2520), and AWS verifies that form.
void appendCanonicalUri(std::string& out, std::string_view rawPath) {
  appendUriEncoded(out, normalizePath(rawPath), /*keepSlash=*/true);
}

// Each name and value is decoded then re-encoded with the unreserved set, so clients that encode
// differently (lowercase hex, raw UTF-8, unencoded '$') still agree with us; pairs sort by
// encoded name, then encoded value.
void appendCanonicalQuery(std::string& out, std::string_view rawQuery, bool presigned) {
  if (rawQuery.empty()) return;
  std::vector<std::pair<std::string, std::string>> pairs;
  for (QueryParam& p : decodeQuery(rawQuery)) {
    if (presigned && p.name == kSignatureParam) continue;
    std::pair<std::string, std::string> enc;
    appendUriEncoded(enc.first, p.name, /*keepSlash=*/false);
    appendUriEncoded(enc.second, p.value, /*keepSlash=*/false);
    pairs.push_back(std::move(enc));
  }
  std::sort(pairs.begin(), pairs.end());
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (i > 0) out.push_back('&');
    out.append(pairs[i].first);
    out.push_back('=');
    out.append(pairs[i].second);
  }
}

// Trims the value and collapses each internal run of whitespace (including the CR/LF of an
// obs-folded multi-line header) to one space, as botocore's ' '.join(value.split()).
void appendHeaderValue(std::string& out, std::string_view value) {
  bool pendingSpace = false;
  bool any = false;
  for (char c : value) {
    if (isSpace(c)) {
      pendingSpace = any;
      continue;
    }
    if (pendingSpace) out.push_back(' ');
    pendingSpace = false;
    any = true;
    out.push_back(c);
  }
}

// Duplicate headers are joined with ',' in arrival order (get-header-value-order).
void appendCanonicalHeader(std::string& out, const HttpRequest& request, std::string_view lowerName) {
  out.append(lowerName);
  out.push_back(':');
  bool first = true;
  for (const HttpHeader& h : request.headers) {
    if (!equalsIgnoreCase(h.name, lowerName)) continue;
    if (!first) out.push_back(',');
    first = false;
    appendHeaderValue(out, h.value);
  }
  out.push_back('\n');
}

}  // namespace

std::string canonicalRequest(const HttpRequest& request, const SignatureInfo& info) {
  // Signers sort and de-duplicate the names (botocore: sorted(set(...))); doing the same keeps a
  // client that listed them otherwise from failing for a reason it cannot see.
  std::vector<std::string_view> names(info.signedHeaders.begin(), info.signedHeaders.end());
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());

  std::string out;
  out.reserve(256 + request.target.size() * 2 + request.headers.size() * 64);
  out.append(request.method);
  out.push_back('\n');
  appendCanonicalUri(out, request.path());
  out.push_back('\n');
  appendCanonicalQuery(out, request.query(), info.presigned);
  out.push_back('\n');
  for (std::string_view name : names) appendCanonicalHeader(out, request, name);
  out.push_back('\n');
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out.push_back(';');
    out.append(names[i]);
  }
  out.push_back('\n');
  // A client that sends X-Amz-Content-SHA256 signed that value (botocore uses it verbatim);
  // verify() separately checks that it matches the body.
  if (const HttpHeader* contentSha = request.findHeader("x-amz-content-sha256")) {
    appendHeaderValue(out, contentSha->value);
  } else {
    appendHex(out, sha256(request.body));
  }
  return out;
}

}  // namespace overcast::auth
