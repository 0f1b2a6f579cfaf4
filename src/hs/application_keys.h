// The application traffic secrets of a connected endpoint and the KeyUpdate
// protocol over them (RFC 8446 §4.6.3, §7.2). Shared by client and server.
#pragma once

#include "hs/handshake.h"

namespace tls13::hs {

class ApplicationKeys {
 public:
  ApplicationKeys(const crypto::SuiteInfo& suite, ks::TrafficSecret read, ks::TrafficSecret write,
                  ks::ExporterMasterSecret exporter)
      : suite_(suite),
        read_(std::move(read)),
        write_(std::move(write)),
        exporter_(std::move(exporter)) {}

  // A KeyUpdate from the peer: move to its next secret, and when it asks,
  // answer with our own update (never requesting one back, so two peers
  // cannot ping-pong).
  Result<void> on_key_update(Io& io, const RawMessage& m);
  // Sends a KeyUpdate and switches our write key.
  Result<void> send_key_update(Io& io, bool request_peer_update);
  // TLS-Exporter (RFC 8446 §7.5) over exporter_master_secret.
  Result<void> export_keying_material(std::string_view label, std::span<const std::uint8_t> context,
                                      std::span<std::uint8_t> out) const {
    return ks::export_keying_material(exporter_, label, context, out);
  }
  // The current [sender]_application_traffic_secret_N of each direction:
  // the Finished key of post-handshake authentication (§4.4).
  const ks::TrafficSecret& read_secret() const noexcept { return read_; }
  const ks::TrafficSecret& write_secret() const noexcept { return write_; }

 private:
  crypto::SuiteInfo suite_;
  ks::TrafficSecret read_;
  ks::TrafficSecret write_;
  ks::ExporterMasterSecret exporter_;
  // application_records_sent() when we last answered an update_requested.
  std::optional<std::uint64_t> answered_at_;
};

}  // namespace tls13::hs
