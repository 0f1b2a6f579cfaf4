// Entry points of the tls13 tool's subcommands.
#pragma once

#include <string>

namespace tls13::cli {

// Walks the RFC 8448 §3 key schedule; 0 when every value matches.
int run_rfc8448_demo(const std::string& shared_dir);

}  // namespace tls13::cli
