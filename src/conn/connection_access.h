// Internal access to a Connection's implementation, for tests (e.g. the
// outgoing_handshake_filter seam) and in-library adapters. Not installed.
#pragma once

#include "conn/connection_impl.h"

namespace tls13 {

struct ConnectionAccess {
  static Connection::Impl& impl(Connection& c) noexcept { return *c.impl_; }
};

}  // namespace tls13
