// Builds a presigned (query-string) SigV4 URL the way botocore's SigV4QueryAuth does for non-S3
// services: X-Amz-* parameters appended, host signed, empty-body hash, then X-Amz-Signature.
#pragma once

#include <string>

#include "auth/sigv4.h"
#include "auth/amz_date.h"

namespace overcast::auth::testing {

inline void presign(HttpRequest& r, std::string_view accessKeyId, std::string_view secret, TimePoint now,
                    int expiresSeconds) {
  SignatureInfo info;
  info.presigned = true;
  info.accessKeyId = accessKeyId;
  info.amzDate = formatAmzDate(now);
  info.scope = Scope{info.amzDate.substr(0, 8), "us-east-1", "sqs"};
  info.signedHeaders = {"host"};
  info.expires = std::chrono::seconds(expiresSeconds);
  r.target += r.target.find('?') == std::string::npos ? '?' : '&';
  r.target += "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + std::string(accessKeyId) + "%2F" +
              info.scope.date + "%2Fus-east-1%2Fsqs%2Faws4_request&X-Amz-Date=" + info.amzDate +
              "&X-Amz-Expires=" + std::to_string(expiresSeconds) + "&X-Amz-SignedHeaders=host";
  std::string sig = computeSignature(secret, info, stringToSign(info, canonicalRequest(r, info)));
  r.target += "&X-Amz-Signature=" + sig;
}

}  // namespace overcast::auth::testing
