// Error: an AWS error as a value. The code comes from error_codes.def, which also
// fixes its wire code, HTTP status and fault side, so no caller invents those.
#pragma once

#include <string>
#include <string_view>

namespace overcast {

enum class Fault { Sender, Receiver };

enum class ErrorCode {
#define OVERCAST_ERROR(name, wire, status, fault) name,
#include "core/error_codes.def"
#undef OVERCAST_ERROR
};

struct ErrorInfo {
  std::string_view wireCode;
  int httpStatus;
  Fault fault;
};

const ErrorInfo& errorInfo(ErrorCode code);

class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string_view wireCode() const { return errorInfo(code_).wireCode; }
  int httpStatus() const { return errorInfo(code_).httpStatus; }
  Fault fault() const { return errorInfo(code_).fault; }

 private:
  ErrorCode code_;
  std::string message_;
};

}  // namespace overcast
