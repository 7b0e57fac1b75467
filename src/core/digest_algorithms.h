// The message digests overcast computes per request, fetched from OpenSSL's default provider
// once. (OpenSSL 3 looks the algorithm up again on every call that names EVP_sha256() or
// EVP_md5(); a fetched EVP_MD skips that lookup and its locks.) The objects are immutable
// after the fetch and shared by all threads.
#pragma once

#include <openssl/evp.h>

namespace overcast {

const EVP_MD* sha256Algorithm();
const EVP_MD* md5Algorithm();

}  // namespace overcast
