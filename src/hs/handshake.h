// The seam between the handshake state machines and the connection: the
// machines consume complete handshake messages and act only through Io
// (queue a message, change keys, report completion). They never see records
// or sockets, so the same machines could drive QUIC.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "crypto/algorithms.h"
#include "hs/handshake_reassembler.h"
#include "hs/tickets.h"
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
  // RFC 8449, once both sides sent record_size_limit: our protected records
  // carry at most `peer_limit` bytes of TLSInnerPlaintext, and the peer's
  // larger than `own_limit` are record_overflow.
  virtual void set_record_size_limits(std::size_t own_limit, std::size_t peer_limit) = 0;

  // 0-RTT (RFC 8446 §4.2.10). Client: whether the application queued early
  // data before the ClientHello (only then is early_data offered), and,
  // once the early write key is installed, that up to `max` bytes of it may
  // go out. Server: what to do with records before the client's handshake
  // messages: `accepted` -> application data under the early read key is
  // early data (at most `limit` bytes, else unexpected_message); otherwise
  // records that do not decrypt (or, before a second ClientHello, that are
  // application data) are skipped, at most `limit` bytes.
  virtual bool early_data_requested() const = 0;
  virtual void open_early_data(std::uint32_t max) = 0;
  virtual void expect_early_data(std::size_t limit, bool accepted) = 0;
  // Client after a HelloRetryRequest that ended its 0-RTT: back to
  // plaintext records for the second ClientHello.
  virtual void reset_write_protection() = 0;
  // Handshake bytes already received past the message being handled.
  virtual std::size_t handshake_bytes_buffered() const = 0;

  // NSS key log (label such as "CLIENT_HANDSHAKE_TRAFFIC_SECRET").
  virtual void log_secret(std::string_view label, std::span<const std::uint8_t> client_random,
                          std::span<const std::uint8_t> secret) = 0;
  // Observers (CLI --trace, demo); cheap no-ops when nobody listens.
  virtual bool tracing() const = 0;
  virtual void trace_message(bool sent, std::string_view name, std::string_view summary) = 0;
  virtual void trace_secret(std::string_view name) = 0;

  // An event for Connection::next_event() (e.g. post_handshake_auth).
  virtual void notify(EventKind kind) = 0;
  // Application data records sent so far (KeyUpdate answers, §4.6.3).
  virtual std::uint64_t application_records_sent() const = 0;

  virtual HandshakeInfo& info() = 0;
  virtual RandomSource& random() = 0;
  virtual std::int64_t now() = 0;     // unix seconds
  virtual std::int64_t now_ms() = 0;  // unix milliseconds (ticket ages)
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
  // TLS-Exporter (RFC 8446 §7.5); internal_error before the handshake
  // completes.
  virtual Result<void> export_keying_material(std::string_view label,
                                              std::span<const std::uint8_t> context,
                                              std::span<std::uint8_t> out) const = 0;
  // The early exporter (RFC 8446 §7.5); internal_error when there is no
  // early_exporter_master_secret both sides agree on.
  virtual Result<void> export_early_keying_material(std::string_view label,
                                                    std::span<const std::uint8_t> context,
                                                    std::span<std::uint8_t> out) const = 0;
  // Largest message body acceptable in the current state.
  virtual std::size_t max_message_size() const = 0;
  // Server: a post-handshake CertificateRequest (RFC 8446 §4.6.2), and
  // more NewSessionTickets (§4.6.1). internal_error on a client.
  virtual Result<void> request_client_auth(Io&) {
    return Error(Alert::internal_error, "only a server requests client authentication");
  }
  virtual Result<void> issue_tickets(Io&, unsigned) {
    return Error(Alert::internal_error, "only a server sends session tickets");
  }
  // Once the handshake is complete: a smaller machine that carries on from
  // here (hs/connected.h), so an idle connection does not keep the
  // transcript and handshake state; null to keep this one. Moves this
  // machine's secrets out: the caller replaces the machine with the result.
  virtual std::unique_ptr<Handshake> connected_state() { return nullptr; }
};

// Internal knobs beyond the public config: protocol features not (yet)
// exposed there, and what byte-exact replays of other implementations'
// traces (RFC 8448 was recorded with NSS) need. The defaults give exactly
// the public behaviour. Never reachable from include/.
using RawExtension = std::pair<std::uint16_t, std::vector<std::uint8_t>>;

// Signs a CertificateVerify's content (RFC 8446 §4.4.3) with `scheme`.
using Signer = std::function<Result<std::vector<std::uint8_t>>(
    SignatureScheme scheme, std::span<const std::uint8_t> content)>;
// DER certificates, leaf first.
using DerChain = std::vector<std::vector<std::uint8_t>>;

struct ClientOptions {
  // ClientHello extension order: the types listed come first, in this
  // order; the rest follow in our order. padding stays last.
  std::vector<std::uint16_t> extension_order;
  // Sent verbatim in every ClientHello (e.g. NSS's TLS 1.2 leftovers
  // renegotiation_info and session_ticket). Must not repeat a type we send.
  std::vector<RawExtension> extra_extensions;
  // supported_groups exactly as given, instead of config.groups filtered to
  // what we implement. A server can still only pick one we implement.
  std::optional<std::vector<NamedGroup>> advertised_groups;
  // psk_key_exchange_modes to offer (RFC 8446 §4.2.9); empty: not sent.
  std::vector<std::uint8_t> psk_modes;
  // Our record_size_limit (RFC 8449, 64..2^14+1), sent in the ClientHello.
  std::optional<std::uint16_t> record_size_limit;
  // RFC 7685 padding of a ClientHello of 256..511 bytes to 512 bytes, for
  // servers that hang on those lengths (as NSS, BoringSSL and OpenSSL do).
  bool pad_to_512 = false;
  // Ticket age (ms) to report instead of the clock's (RFC 8448 §4 replay).
  std::optional<std::uint32_t> ticket_age_ms;
  // Client authentication in a replay (the trace's key is unknown and
  // RSA-PSS is randomized): the signer replaces our certificate key's
  // CertificateVerify signature, and the chain replaces the chosen
  // certificate's chain in Certificate. Null / nullopt: the real ones.
  Signer signer;
  std::optional<DerChain> certificate_chain;
};

// The opaque part of a NewSessionTicket; ticket_age_add is drawn from the
// RandomSource.
struct TicketSpec {
  std::uint32_t lifetime = 0;
  std::vector<std::uint8_t> nonce;
  std::vector<std::uint8_t> ticket;
  std::optional<std::uint32_t> max_early_data_size;
};

struct ServerOptions {
  // HelloRetryRequest / ServerHello extension order (as
  // ClientOptions::extension_order).
  std::vector<std::uint16_t> hello_retry_request_order;
  std::vector<std::uint16_t> server_hello_order;
  // supported_groups to announce in EncryptedExtensions (RFC 8446 §4.2.7),
  // verbatim; nullopt: not sent.
  std::optional<std::vector<NamedGroup>> advertised_groups;
  // Our record_size_limit (RFC 8449), answered when the client sends one.
  std::optional<std::uint16_t> record_size_limit;
  // Bytes of RandomSource output in a HelloRetryRequest cookie (with
  // config.hrr_cookie); the second ClientHello must echo them.
  std::size_t cookie_length = 32;
  // Replaces the certificate key's signature in CertificateVerify (a replay
  // cannot reproduce a randomized RSA-PSS signature). Null: the key signs.
  Signer signer;
  // Sent instead of the chosen certificate's chain (a replay whose
  // certificate key is unknown; pair it with `signer`).
  std::optional<DerChain> certificate_chain;
  // Replaces the tickets of config.ticket_keys by exactly this one
  // NewSessionTicket after the client's Finished (the RFC 8448 replay). It
  // is sent verbatim, so it can never be redeemed.
  std::optional<TicketSpec> ticket;
  // Opens ticket identities instead of config.ticket_keys (the RFC 8448 §4
  // replay resumes a ticket whose sealing we cannot reproduce).
  std::function<std::optional<TicketState>(std::span<const std::uint8_t>)> open_ticket;
};

std::unique_ptr<Handshake> make_client_handshake(std::shared_ptr<const ClientConfig> config,
                                                 std::string server_name,
                                                 ClientOptions options = {});
std::unique_ptr<Handshake> make_server_handshake(std::shared_ptr<const ServerConfig> config,
                                                 ServerOptions options = {});

}  // namespace tls13::hs
