// NSS key log file (SSLKEYLOGFILE format) for the CLI: --keylog FILE or the
// SSLKEYLOGFILE environment variable.
#pragma once

#include <string>

#include "tls13/config.h"

namespace tls13::cli {

// A KeyLogFn appending "LABEL <client_random> <secret>" lines to `path`
// (`path` empty: $SSLKEYLOGFILE; neither: no key log).
KeyLogFn make_key_log(const std::string& path);

}  // namespace tls13::cli
