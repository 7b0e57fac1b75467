// Server-side SigV4 verification: parse, check the time window, find the key, recompute the
// signature and compare it in constant time. Cheap checks run first so that a stale or malformed
// request costs no HMAC work.
#include <fmt/format.h>

#include <algorithm>

#include "auth/amz_date.h"
#include "auth/ascii.h"
#include "auth/digest.h"
#include "auth/signing_key_cache.h"
#include "auth/sigv4.h"

namespace overcast::auth {
namespace {

constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

Error signatureDoesNotMatch() {
  return Error(ErrorCode::SignatureDoesNotMatch,
               "The request signature we calculated does not match the signature you provided. Check your AWS "
               "Secret Access Key and signing method. Consult the service documentation for details.");
}

// "5 min." as AWS words the default window; other windows in seconds.
std::string describeSkew(std::chrono::seconds skew) {
  if (skew.count() % 60 == 0) return fmt::format("{} min.", skew.count() / 60);
  return fmt::format("{} sec.", skew.count());
}

Result<void> checkTime(const SignatureInfo& info, TimePoint requestTime, TimePoint now,
                       std::chrono::seconds maxSkew) {
  if (now + maxSkew < requestTime)
    return Error(ErrorCode::RequestExpired,
                 fmt::format("Signature not yet current: {} is still later than {} ({} + {})", info.amzDate,
                             formatAmzDate(now + maxSkew), formatAmzDate(now), describeSkew(maxSkew)));
  if (info.presigned && info.expires) {
    // A presigned URL is valid for its own X-Amz-Expires, not the skew window.
    if (now > requestTime + *info.expires) return Error(ErrorCode::RequestExpired, "Request has expired.");
    return {};
  }
  if (now - maxSkew > requestTime)
    return Error(ErrorCode::RequestExpired,
                 fmt::format("Signature expired: {} is now earlier than {} ({} - {})", info.amzDate,
                             formatAmzDate(now - maxSkew), formatAmzDate(now), describeSkew(maxSkew)));
  return {};
}

bool isTwelveDigits(std::string_view s) {
  return s.size() == 12 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isHexDigest(std::string_view s) {
  return s.size() == 64 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// The canonical request trusts X-Amz-Content-SHA256 as the client signed it, so a body swapped
// under an unchanged header would otherwise pass; a digest must therefore match the body.
Result<void> checkContentSha256(const HttpRequest& request) {
  const HttpHeader* header = request.findHeader("x-amz-content-sha256");
  if (!header) return {};
  std::string_view claimed = header->value;
  while (!claimed.empty() && (claimed.front() == ' ' || claimed.front() == '\t')) claimed.remove_prefix(1);
  while (!claimed.empty() && (claimed.back() == ' ' || claimed.back() == '\t')) claimed.remove_suffix(1);
  if (claimed == kUnsignedPayload) return {};
  if (isHexDigest(claimed) && claimed == sha256Hex(request.body)) return {};
  return Error(ErrorCode::SignatureDoesNotMatch,
               "The provided 'x-amz-content-sha256' header does not match what was computed.");
}

}  // namespace

Result<Verified> verify(const HttpRequest& request, const CredentialStore& keys, TimePoint now,
                        const VerifyOptions& options) {
  auto parsed = parseSignatureInfo(request);
  if (!parsed) return parsed.error();
  return verify(request, std::move(*parsed), keys, now, options);
}

Result<Verified> verify(const HttpRequest& request, SignatureInfo info, const CredentialStore& keys, TimePoint now,
                        const VerifyOptions& options, SigningKeyCache* signingKeys) {

  // parseSignatureInfo only returns dates that parse.
  TimePoint requestTime = parseAmzDate(info.amzDate).value_or(TimePoint{});
  if (std::string_view(info.amzDate).substr(0, 8) != info.scope.date)
    return Error(ErrorCode::SignatureDoesNotMatch,
                 fmt::format("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
                             "HTTP: '{}' != '{}', from '{}'.",
                             info.scope.date, std::string_view(info.amzDate).substr(0, 8), info.amzDate));
  if (auto r = checkTime(info, requestTime, now, options.maxClockSkew); !r) return r.error();

  if (options.acceptAnyKey) {
    Credential synthesized;
    synthesized.accessKeyId = info.accessKeyId;
    synthesized.accountId = isTwelveDigits(info.accessKeyId) ? info.accessKeyId : options.defaultAccountId;
    synthesized.admin = false;
    return Verified{std::move(synthesized), std::move(info)};
  }

  std::optional<Credential> credential = keys.find(info.accessKeyId);
  if (!credential)
    return Error(ErrorCode::InvalidClientTokenId, "The security token included in the request is invalid.");
  if (auto r = checkContentSha256(request); !r) return r.error();

  std::string toSign = stringToSign(info, canonicalRequest(request, info));
  std::string expected = signingKeys ? signWithKey(signingKeys->get(credential->secretAccessKey, info.scope), toSign)
                                     : computeSignature(credential->secretAccessKey, info, toSign);
  if (!constantTimeEquals(expected, info.signature)) return signatureDoesNotMatch();
  return Verified{std::move(*credential), std::move(info)};
}

}  // namespace overcast::auth
