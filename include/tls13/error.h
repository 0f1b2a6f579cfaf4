// Errors are values: each carries the alert that the connection sends (or
// received) and a plain-words cause.
#pragma once

#include <string>
#include <utility>

#include "tls13/alert.h"

namespace tls13 {

// Why an operation or a connection failed.
struct Error {
  Alert alert = Alert::internal_error;
  std::string message;     // plain words, e.g. "ServerHello: unsupported cipher suite"
  bool from_peer = false;  // true when the peer sent us this alert

  Error() = default;
  Error(Alert a, std::string msg, bool peer = false)
      : alert(a), message(std::move(msg)), from_peer(peer) {}

  // "handshake_failure: no common cipher suite" / "peer sent handshake_failure: ..."
  std::string describe() const;
};

}  // namespace tls13
