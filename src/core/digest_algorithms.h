// The message digests overcast computes per request, fetched from OpenSSL's default provider
// once. (OpenSSL 3 looks the algorithm up again on every call that names EVP_sha256() or
// EVP_md5(); a fetched EVP_MD skips that lookup and its locks.) The objects are immutable
// after the fetch and shared by all threads.
#pragma once

#include <openssl/evp.h>

#include <string_view>

namespace overcast {

const EVP_MD* sha256Algorithm();
const EVP_MD* md5Algorithm();

// One-shot digest of `data` into `out` (EVP_MAX_MD_SIZE bytes of room); returns its length.
// Runs on a context kept per thread and reset between uses (it holds no data afterwards), so a
// digest allocates nothing: EVP_Digest builds and frees a context on every call.
unsigned int digestInto(const EVP_MD* md, std::string_view data, unsigned char* out);

}  // namespace overcast
