// FastSigner: SigV4 for the load generator's per-request scenarios (a unique SQS body each time),
// built for low generator CPU per request. The derived signing key (four HMACs) is computed once
// per UTC date and cached; the HMAC itself starts from SHA-256 contexts that already absorbed the
// key's inner and outer pads, so a signature is two SHA-256 of the request (body, canonical
// request) plus two short SHA-256 finishes. Contexts are thread-local: one signer may be shared
// by every generator thread.
//
// It signs the request shape the SQS scenarios send: `POST /` with Content-Type, Host,
// X-Amz-Date and (JSON protocol) X-Amz-Target, all signed, as botocore does. Checked against
// overcast's verifier: the right secret passes, `--secret-key wrong` gets SignatureDoesNotMatch.
#pragma once

#include <string>
#include <string_view>

namespace overcast::bench {

class FastSigner {
 public:
  FastSigner(std::string accessKey, std::string secretKey, std::string region, std::string service);

  // Appends "X-Amz-Date: ...\r\nAuthorization: ...\r\n" for `POST /` with these header values
  // (amzTarget empty: no X-Amz-Target header) and this body.
  void appendAuthHeaders(std::string_view host, std::string_view contentType,
                         std::string_view amzTarget, std::string_view body, std::string& out) const;

 private:
  std::string accessKey_, secretKey_, region_, service_;
};

// Lowercase hex SHA-256 (64 characters).
std::string sha256Hex(std::string_view data);

}  // namespace overcast::bench
