#include "core/error.h"

#include <array>

namespace overcast {
namespace {

constexpr std::array kErrorTable = {
#define OVERCAST_ERROR(name, wire, status, fault) ErrorInfo{wire, status, Fault::fault},
#include "core/error_codes.def"
#undef OVERCAST_ERROR
};

}  // namespace

const ErrorInfo& errorInfo(ErrorCode code) { return kErrorTable[static_cast<size_t>(code)]; }

}  // namespace overcast
