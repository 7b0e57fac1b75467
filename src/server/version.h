#pragma once

namespace overcast::server {
inline constexpr const char* kVersion = "0.1.0";
}
