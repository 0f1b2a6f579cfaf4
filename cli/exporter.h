// --export LABEL:LENGTH for the CLI: TLS-Exporter output (RFC 8446 §7.5,
// no context) as hex, to compare with another implementation's.
#pragma once

#include <optional>
#include <string>

#include "tls13/connection.h"

namespace tls13::cli {

// Hex keying material for `spec` ("LABEL:LENGTH"); nullopt with `err` set
// on a malformed spec or before the handshake completed.
std::optional<std::string> exporter_hex(const Connection& c, const std::string& spec,
                                        std::string& err);

}  // namespace tls13::cli
