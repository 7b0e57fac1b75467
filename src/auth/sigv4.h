// SigV4 (AWS Signature Version 4): parsing, canonicalization, verification and signing.
// Pure functions of the request bytes, the clock value and the key store: no sockets, no globals.
// Spec: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/credential_store.h"
#include "core/clock.h"
#include "core/http_message.h"
#include "core/result.h"

namespace overcast::auth {

// The credential scope "<date>/<region>/<service>/aws4_request".
struct Scope {
  std::string date;     // yyyymmdd
  std::string region;   // whatever the client signed with, e.g. "us-east-1" or "0" (boto 2)
  std::string service;  // e.g. "sqs", or "127" (boto 2 against 127.0.0.1)
};

// What the request says about its signature, from the Authorization header or the
// presigned query string (X-Amz-Algorithm=AWS4-HMAC-SHA256&...).
struct SignatureInfo {
  std::string accessKeyId;
  Scope scope;
  std::vector<std::string> signedHeaders;  // lowercase, in the order given
  std::string signature;                   // 64 lowercase hex
  std::string amzDate;                     // yyyymmddThhmmssZ (X-Amz-Date, else Date header)
  bool presigned = false;
  std::optional<std::chrono::seconds> expires;  // X-Amz-Expires (presigned only)
  std::string securityToken;                    // X-Amz-Security-Token; accepted and ignored
};

// True if the request carries SigV4 authentication in either form.
bool hasSigV4(const HttpRequest& request);

// Parses the signature information. Errors: MissingAuthenticationToken (none present),
// IncompleteSignature (malformed Authorization / missing parts).
Result<SignatureInfo> parseSignatureInfo(const HttpRequest& request);

// Step 1: the canonical request, exactly as AWS builds it for non-S3 services
// (path normalized and encoded twice, query sorted, headers per SignedHeaders).
std::string canonicalRequest(const HttpRequest& request, const SignatureInfo& info);

// Step 2: the string to sign.
std::string stringToSign(const SignatureInfo& info, std::string_view canonicalRequest);

// Step 3: the hex signature with the given secret.
std::string computeSignature(std::string_view secretAccessKey, const SignatureInfo& info,
                             std::string_view stringToSign);

struct VerifyOptions {
  std::chrono::seconds maxClockSkew{300};  // AWS's 5 minutes
  // Emulator convention: accept any key without checking the signature. A 12-digit key
  // selects that account id; any other key selects defaultAccountId.
  bool acceptAnyKey = false;
  std::string defaultAccountId = "000000000000";
};

struct Verified {
  Credential credential;  // the key that signed (a synthesized one under acceptAnyKey)
  SignatureInfo info;
};

// Verifies the request at time `now`. Errors (generic codes; the caller maps them per
// service, e.g. EC2 answers AuthFailure): MissingAuthenticationToken, IncompleteSignature,
// InvalidClientTokenId (unknown key), SignatureDoesNotMatch, RequestExpired (outside skew,
// or a presigned URL past its expiry).
Result<Verified> verify(const HttpRequest& request, const CredentialStore& keys, TimePoint now,
                        const VerifyOptions& options);

class SigningKeyCache;

// The same, for a caller that has already parsed the signature information (the dispatcher
// parses it first, to route by the credential scope), with an optional cache of derived keys.
Result<Verified> verify(const HttpRequest& request, SignatureInfo info, const CredentialStore& keys, TimePoint now,
                        const VerifyOptions& options, SigningKeyCache* signingKeys = nullptr);

// Client side (tests, bench, admin CLI): adds X-Amz-Date, the Host header if missing and
// Authorization to `request`, signing every header present. `request.target` must already be
// percent-encoded.
void signRequest(HttpRequest& request, std::string_view accessKeyId, std::string_view secretAccessKey,
                 std::string_view region, std::string_view service, TimePoint now);

}  // namespace overcast::auth
