// The application traffic secrets of a connected endpoint and the KeyUpdate
// protocol over them (RFC 8446 §4.6.3, §7.2). Shared by client and server.
#pragma once

#include "hs/handshake.h"

namespace tls13::hs {

class ApplicationKeys {
 public:
  ApplicationKeys(const crypto::SuiteInfo& suite, ks::TrafficSecret read, ks::TrafficSecret write)
      : suite_(suite), read_(std::move(read)), write_(std::move(write)) {}

  // A KeyUpdate from the peer: move to its next secret, and when it asks,
  // answer with our own update (never requesting one back, so two peers
  // cannot ping-pong).
  Result<void> on_key_update(Io& io, const RawMessage& m);
  // Sends a KeyUpdate and switches our write key.
  Result<void> send_key_update(Io& io, bool request_peer_update);

 private:
  crypto::SuiteInfo suite_;
  ks::TrafficSecret read_;
  ks::TrafficSecret write_;
};

}  // namespace tls13::hs
