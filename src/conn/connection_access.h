// Internal access to a Connection's implementation, for tests (e.g. the
// outgoing_handshake_filter seam) and in-library adapters. Not installed.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "conn/connection_impl.h"

namespace tls13 {

struct ConnectionAccess {
  static Connection::Impl& impl(Connection& c) noexcept { return *c.impl_; }

  // Connections whose state machines take the internal options
  // (hs/handshake.h), e.g. for byte-exact trace replays.
  static Connection client(std::shared_ptr<const ClientConfig> config, std::string server_name,
                           hs::ClientOptions options) {
    const CommonConfig& common = *config;
    auto machine = hs::make_client_handshake(config, std::move(server_name), std::move(options));
    return Connection(
        std::make_unique<Connection::Impl>(Side::client, common, config, std::move(machine)));
  }
  static Connection server(std::shared_ptr<const ServerConfig> config, hs::ServerOptions options) {
    const CommonConfig& common = *config;
    auto machine = hs::make_server_handshake(config, std::move(options));
    return Connection(
        std::make_unique<Connection::Impl>(Side::server, common, config, std::move(machine)));
  }
};

}  // namespace tls13
