// What the blocking server (server.cpp) and the event-loop server
// (server_loop.cpp) share: the --www page and the per-connection log lines
// that tests/interop grep.
#pragma once

#include <memory>
#include <string>

#include "cli/commands.h"
#include "tls13/config.h"
#include "tls13/connection.h"

namespace tls13::cli {

// The --www answer: an HTTP/1.1 page listing the negotiated parameters.
std::string page(const HandshakeInfo& info);
// "tls13 server: handshake complete: SUITE GROUP ..." on stderr.
void log_handshake(const HandshakeInfo& info);
// The outcome of a post-handshake authentication, on stderr.
void log_post_handshake_auth(const HandshakeInfo& info);

// Serves `o` on event loops (--threads of them) until --count connections
// have ended; the exit code.
int run_loop_server(std::shared_ptr<const ServerConfig> cfg, const ServerOptions& o);

}  // namespace tls13::cli
