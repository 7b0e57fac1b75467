// Queue names, ARNs and URLs. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace overcast::sqs {

// 1-80 characters of [A-Za-z0-9_-], plus ".fifo" at the end for FIFO queues (the 80 include
// it). Error InvalidParameterValue with AWS's message otherwise.
Result<void> validateQueueName(std::string_view name);
bool isFifoName(std::string_view name);

// 1-80 characters of [A-Za-z0-9_-]: a standard queue's name, a batch entry's Id, a permission's
// Label.
bool isNameToken(std::string_view s);

std::string queueArn(std::string_view region, std::string_view account, std::string_view name);

struct QueueAddress {
  std::string account;
  std::string name;
};

// Reads a queue URL in any of the forms clients send: "http://host:port/<account>/<name>",
// "https://sqs.<region>.amazonaws.com/<account>/<name>", a bare path "/<account>/<name>"
// (boto 2). Error QueueDoesNotExist if it is not of that shape.
Result<QueueAddress> parseQueueUrl(std::string_view url);

struct QueueArnParts {
  std::string region;
  std::string account;
  std::string name;
};
// "arn:aws:sqs:<region>:<account>:<name>". Error QueueDoesNotExist if it is not of that shape.
Result<QueueArnParts> parseQueueArn(std::string_view arn);

// "<base>/<account>/<name>", where base is e.g. "http://127.0.0.1:4566".
std::string queueUrl(std::string_view base, std::string_view account, std::string_view name);

}  // namespace overcast::sqs
