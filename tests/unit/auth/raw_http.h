// A raw HTTP/1.1 request parser for tests only: it reads the AWS suite's .req/.sreq files, which
// hold things a real server's parser would refuse (a space inside the request target, raw UTF-8,
// obs-folded header lines, no trailing CRLF).
#pragma once

#include <string_view>

#include "core/http_message.h"

namespace overcast::auth::testing {

// Request line "METHOD SP target SP version": the target is everything between the first and the
// last space. Header lines "Name:value" keep the value as written (not trimmed); a line starting
// with a space or tab continues the previous header's value after a '\n'. The body is whatever
// follows the first empty line. Lines may end in "\n" or "\r\n".
HttpRequest parseRawRequest(std::string_view text);

}  // namespace overcast::auth::testing
