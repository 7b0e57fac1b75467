// What SQS accepts in a message. Pure.
#pragma once

#include <string_view>

#include "core/result.h"
#include "services/sqs/model/md5.h"

namespace overcast::sqs {

// #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF (valid UTF-8 assumed checked
// by the protocol layer). Error InvalidMessageContents.
Result<void> validateBody(std::string_view body);

// At most 10 attributes; names 1-256 chars of [A-Za-z0-9_.-], not starting with "AWS." or
// "Amazon." (any case), no "..", not starting or ending with "."; data type String, Number or
// Binary with an optional ".custom" suffix (<= 256 chars); String/Number values not empty and
// valid body characters; Number values numeric. Error InvalidParameterValue (AWS's messages).
Result<void> validateMessageAttributes(const MessageAttributes& attributes);

// The size SQS counts against MaximumMessageSize: body bytes plus, for each attribute, its name,
// data type and value bytes.
size_t messageSize(std::string_view body, const MessageAttributes& attributes);

}  // namespace overcast::sqs
