// Percent-encoding, query-string splitting and path normalisation as SigV4 defines them
// (RFC 3986 unreserved set; botocore's remove_dot_segments). Internal to src/auth.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace overcast::auth {

// Appends `in` to `out`, percent-encoding (uppercase hex) every byte outside A-Za-z0-9-_.~
// and, when keepSlash, outside '/' too. Space becomes %20, never '+'.
void appendUriEncoded(std::string& out, std::string_view in, bool keepSlash);

// Decodes %XX escapes. A '%' not followed by two hex digits is kept literally, and '+' stays
// '+' (RFC 3986 query, not HTML forms): AWS clients encode spaces as %20.
std::string percentDecode(std::string_view in);

// Removes "." and ".." segments and collapses runs of '/', keeping a leading slash and a trailing
// one when anything remains, exactly as botocore's normalize_url_path; empty -> "/".
std::string normalizePath(std::string_view path);

struct QueryParam {
  std::string name;   // decoded
  std::string value;  // decoded; "" for "name" and "name="
};

// Splits a raw query string on '&' and decodes each name and value. Empty segments ("a=1&&b=2")
// are skipped. Order is preserved.
std::vector<QueryParam> decodeQuery(std::string_view query);

}  // namespace overcast::auth
