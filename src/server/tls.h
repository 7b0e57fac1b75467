// TLS for the optional HTTPS listener: a certificate given by the user, or one overcast
// issues from its own CA kept in the data directory (so a client can trust that CA once).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ssl/context.hpp>

#include "core/result.h"

namespace overcast::server {

struct LocalCertificate {
  std::filesystem::path caCert;      // PEM of the CA: what clients should trust
  std::filesystem::path serverCert;  // PEM chain: server certificate then CA
  std::filesystem::path serverKey;
};

// Makes <dataDir>/tls/ca.pem (+ key) on first use, and a fresh server certificate signed by
// it for `names` (DNS names or IP addresses; localhost, 127.0.0.1 and ::1 are always in).
Result<LocalCertificate> ensureLocalCertificate(const std::filesystem::path& dataDir,
                                                const std::vector<std::string>& names);

Result<std::shared_ptr<boost::asio::ssl::context>> makeTlsContext(const std::string& certPem,
                                                                  const std::string& keyPem);

}  // namespace overcast::server
