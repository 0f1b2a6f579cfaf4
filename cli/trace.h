// --trace for the tls13 tool: handshake and post-handshake messages (the
// library's TraceSink) plus one line per application-data read or write, so
// that a test can see what crossed after a KeyUpdate.
#pragma once

#include <cstddef>
#include <string_view>

#include "tls13/connection.h"

namespace tls13::cli {

// Prints ">> NAME  summary" (sent) or "<< NAME  summary" (received) on stderr.
struct StderrTrace final : TraceSink {
  void message(bool sent, std::string_view name, std::string_view summary) override;
  void secret(std::string_view name) override;
  // "<< application data  N bytes" / ">> application data  N bytes".
  void application_data(bool sent, std::size_t n);
};

}  // namespace tls13::cli
