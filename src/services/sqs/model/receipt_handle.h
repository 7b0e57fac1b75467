// Receipt handles: opaque to clients, but they name the message and the receive they came
// from, so a handle from an earlier receive can be told from the current one. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace overcast::sqs {

struct ReceiptHandle {
  int64_t queueId = 0;     // the store's queue id
  int64_t sequence = 0;    // the message's sequence in its queue
  int64_t receiveCount = 0;  // which receive issued this handle (1 = first)
  std::string nonce;       // random per receive (IdGenerator), so handles cannot be guessed
};

// URL-safe text (base64url of a versioned binary form); AWS handles are long base64 strings.
std::string encodeReceiptHandle(const ReceiptHandle& handle);

// Error ReceiptHandleIsInvalid ("The input receipt handle \"<h>\" is not a valid receipt handle.")
// for anything that is not a handle we could have made (any length up to 1024).
Result<ReceiptHandle> decodeReceiptHandle(std::string_view text);

}  // namespace overcast::sqs
