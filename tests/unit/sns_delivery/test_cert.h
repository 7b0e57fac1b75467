// Self-signed certificates made in memory with OpenSSL, for the HTTPS fakes: no files in
// the source tree, nothing that expires in the repository.
#pragma once

#include <string>
#include <vector>

namespace overcast::sns::testing {

struct TestCert {
  std::string certPem;
  std::string keyPem;
};

// An EC P-256 key and a self-signed certificate valid from an hour ago for a day, with the
// given subjectAltName entries, e.g. {"DNS:localhost", "IP:127.0.0.1"}. Throws on failure.
TestCert makeSelfSignedCert(const std::vector<std::string>& subjectAltNames);

}  // namespace overcast::sns::testing
