// Steps 2 and 3 of SigV4: the string to sign and the signature over it with the derived key
// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
#include <string>

#include "auth/digest.h"
#include "auth/signing_key_cache.h"
#include "auth/sigv4.h"

namespace overcast::auth {

std::string stringToSign(const SignatureInfo& info, std::string_view canonicalRequest) {
  std::string out;
  out.reserve(17 + info.amzDate.size() + info.scope.date.size() + info.scope.region.size() +
              info.scope.service.size() + 20 + 64);
  out.append("AWS4-HMAC-SHA256\n");
  out.append(info.amzDate);
  out.push_back('\n');
  out.append(info.scope.date);
  out.push_back('/');
  out.append(info.scope.region);
  out.push_back('/');
  out.append(info.scope.service);
  out.append("/aws4_request\n");
  appendHex(out, sha256(canonicalRequest));
  return out;
}

std::string computeSignature(std::string_view secretAccessKey, const SignatureInfo& info,
                             std::string_view stringToSign) {
  return signWithKey(deriveSigningKey(secretAccessKey, info.scope), stringToSign);
}

}  // namespace overcast::auth
