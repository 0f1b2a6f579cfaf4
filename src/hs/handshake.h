// The seam between the handshake state machines and the connection: the
// machines consume complete handshake messages and act only through Io
// (queue a message, change keys, report completion). They never see records
// or sockets, so the same machines could drive QUIC.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"
#include "crypto/algorithms.h"
#include "hs/handshake_reassembler.h"
#include "keysched/key_schedule.h"
#include "tls13/config.h"
#include "tls13/connection.h"

namespace tls13::hs {

enum class Epoch : std::uint8_t { initial, early, handshake, application };

class Io {
 public:
  virtual ~Io() = default;
  // Queues one complete handshake message (header included) under the
  // current write protection. Consecutive messages share records.
  virtual void send_handshake(std::span<const std::uint8_t> message) = 0;
  // A dummy change_cipher_spec record (RFC 8446 Appendix D.4).
  virtual void send_change_cipher_spec() = 0;
  // New protection from a traffic secret (RFC 8446 §7.3). Reading fails with
  // unexpected_message unless the peer's last message ended a record.
  virtual Result<void> install_read_secret(const crypto::SuiteInfo& suite,
                                           const ks::TrafficSecret& secret, Epoch epoch) = 0;
  virtual Result<void> install_write_secret(const crypto::SuiteInfo& suite,
                                            const ks::TrafficSecret& secret, Epoch epoch) = 0;
  virtual void handshake_complete() = 0;

  // NSS key log (label such as "CLIENT_HANDSHAKE_TRAFFIC_SECRET").
  virtual void log_secret(std::string_view label, std::span<const std::uint8_t> client_random,
                          std::span<const std::uint8_t> secret) = 0;
  // Observers (CLI --trace, demo); cheap no-ops when nobody listens.
  virtual bool tracing() const = 0;
  virtual void trace_message(bool sent, std::string_view name, std::string_view summary) = 0;
  virtual void trace_secret(std::string_view name) = 0;

  virtual HandshakeInfo& info() = 0;
  virtual RandomSource& random() = 0;
  virtual std::int64_t now() = 0;  // unix seconds
};

class Handshake {
 public:
  virtual ~Handshake() = default;
  // Client: sends the ClientHello. Server: nothing.
  virtual Result<void> start(Io& io) = 0;
  // One complete handshake message from the peer.
  virtual Result<void> on_message(Io& io, const RawMessage& msg) = 0;
  // Whether a change_cipher_spec record may arrive now (Appendix D.4).
  virtual bool change_cipher_spec_allowed() const = 0;
  // Sends a KeyUpdate (RFC 8446 §4.6.3); internal_error before the
  // handshake completes.
  virtual Result<void> update_keys(Io& io, bool request_peer_update) = 0;
  // Largest message body acceptable in the current state.
  virtual std::size_t max_message_size() const = 0;
};

std::unique_ptr<Handshake> make_client_handshake(std::shared_ptr<const ClientConfig> config,
                                                 std::string server_name);
std::unique_ptr<Handshake> make_server_handshake(std::shared_ptr<const ServerConfig> config);

}  // namespace tls13::hs
