// The composition root: the only place that picks implementations (SQLite store, real clock,
// random ids, the services) and wires them to the HTTP server. `runServer` opens the data
// directory, starts everything, prints where it listens, and returns when SIGINT/SIGTERM has
// been handled: in-flight requests finish and the store is closed cleanly.
#pragma once

#include <functional>

#include "server/config.h"

namespace overcast::server {

// Returns the process exit code. `onReady` (optional) is called once listening.
int runServer(const ServerConfig& config);

}  // namespace overcast::server
