// A TLS 1.3 connection as a sans-I/O state machine: feed it the bytes the
// peer sent, send the bytes it produces, read and write application data,
// and watch its events. It never touches a socket (see tls13/socket.h for a
// blocking adapter).
//
//   auto conn = tls13::Connection::client(config, "example.com");
//   for (;;) {
//     auto out = conn.pending_output();  // send what it produced
//     send_all(fd, out);
//     conn.consume_output(out.size());
//     if (conn.handshake_complete() || conn.failed()) break;
//     (void)conn.feed(receive_some(fd));  // on failure error() says why
//   }
//
// A Connection is not thread-safe; use each from one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tls13/config.h"
#include "tls13/error.h"
#include "tls13/result.h"
#include "tls13/types.h"

namespace tls13 {

// Which end of the connection we are.
enum class Side : std::uint8_t { client, server };

// 0-RTT outcome (RFC 8446 §4.2.10). On a client, early data that was not
// accepted was not delivered: send it again with write() if it still
// matters. The library retransmits nothing by itself.
enum class EarlyDataStatus : std::uint8_t { not_offered, accepted, rejected };

// The PSK a handshake used, if any (RFC 8446 §2.2).
enum class PskType : std::uint8_t { none, resumption, external };

// What was negotiated, filled in as the handshake progresses.
struct HandshakeInfo {
  std::uint16_t version = 0;  // 0x0304 once negotiated
  std::optional<CipherSuite> cipher_suite;
  std::optional<NamedGroup> group;
  std::optional<SignatureScheme> signature_scheme;  // the server's CertificateVerify
  // The client's CertificateVerify (client authentication, latest exchange).
  std::optional<SignatureScheme> client_signature_scheme;
  std::string alpn;         // empty: none
  std::string server_name;  // SNI sent (client) or received (server)
  bool hello_retry_request = false;
  bool resumed = false;        // the handshake used a resumption PSK (no certificates sent)
  bool peer_verified = false;  // the peer's chain and name were verified
  PskType psk = PskType::none;
  EarlyDataStatus early_data = EarlyDataStatus::not_offered;
  std::vector<std::vector<std::uint8_t>> peer_chain;  // DER, leaf first
  // Client: status the server stapled to its leaf (RFC 8446 §4.4.2.1) when
  // asked (ClientConfig::request_ocsp / request_sct); empty: none.
  std::vector<std::uint8_t> ocsp_response;  // DER OCSPResponse
  std::vector<std::uint8_t> sct_list;       // SignedCertificateTimestampList
  // Client authentication (RFC 8446 §4.4.2, §4.6.2), as of the latest
  // exchange (handshake or post-handshake). Server: the client's
  // certificate was verified (peer_chain holds it, peer_verified is set).
  // Client: we sent a certificate.
  bool client_auth = false;
  // A CertificateRequest was sent (server) or received (client).
  bool certificate_requested = false;
  // post_handshake_auth (§4.2.6) was offered by the client (server) / by us
  // (client).
  bool post_handshake_auth = false;
};

enum class EventKind : std::uint8_t {
  handshake_complete,  // keys for application data are in place
  peer_closed,         // close_notify received: no more data will come
  alert_received,      // a non-fatal alert (e.g. user_canceled)
  failed,              // the connection is dead; error() says why
  // A post-handshake authentication (RFC 8446 §4.6.2) finished: the server
  // verified the client's answer, or the client sent its answer.
  // info().client_auth says whether a certificate was presented.
  post_handshake_auth,
};

// Something that happened while feed() processed input; see next_event().
struct Event {
  EventKind kind;
  std::optional<Alert> alert;  // the alert received (peer_closed, alert_received) or sent
};

// Observes each handshake message as sent or received (for --trace and the
// demo): direction, message name and a one-line summary of its key fields.
struct TraceSink {
  virtual ~TraceSink() = default;
  virtual void message(bool sent, std::string_view name, std::string_view summary) = 0;
  virtual void secret(std::string_view name) = 0;  // a secret was derived (name only)
};

// One TLS 1.3 connection, client or server. Move-only. Every failure is
// fatal: it is kept in error() and the connection refuses further work.
class Connection {
 public:
  // A client for `server_name` (DNS name or IP literal): sent as SNI and
  // checked against the server's certificate. An empty name is refused
  // (internal_error on first use) unless config->verify_peer is false.
  // The first flight is ready in pending_output() right away.
  static Connection client(std::shared_ptr<const ClientConfig> config, std::string server_name);
  // A server; it waits for a ClientHello via feed().
  static Connection server(std::shared_ptr<const ServerConfig> config);

  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;
  ~Connection();

  // Bytes received from the transport. All of `data` is consumed; on failure
  // the connection is dead, an alert is queued in pending_output(), and the
  // error is returned (and kept in error()).
  Result<void> feed(std::span<const std::uint8_t> data);

  // Bytes to send to the transport; valid until the next call on this
  // connection. Report how many were sent with consume_output(n).
  std::span<const std::uint8_t> pending_output() const noexcept;
  void consume_output(std::size_t n) noexcept;

  // Application data. write() seals all of `data` into records in
  // pending_output() and returns its size; it needs a complete handshake,
  // except on a server, which may write as soon as its flight is out
  // (0.5-RTT data, RFC 8446 §4.4.4: e.g. an answer to accepted early data;
  // the client is not authenticated yet).
  // read() copies out up to out.size() decrypted bytes (0 when none are
  // buffered); readable() says how many are buffered.
  Result<std::size_t> write(std::span<const std::uint8_t> data);
  std::size_t read(std::span<std::uint8_t> out) noexcept;
  std::size_t readable() const noexcept;
  // write() without the copy out of pending_output(), for transports that
  // own their buffers (a ring shared with a socket or a kernel queue): the
  // records are sealed straight into `out`, and the bytes of it used are
  // returned. pending_output() must be empty (send it first) and `out` at
  // least sealed_size(data.size()) long; otherwise internal_error and
  // nothing is written. sealed_size() is 0 before the write key exists.
  Result<std::size_t> write_into(std::span<const std::uint8_t> data, std::span<std::uint8_t> out);
  std::size_t sealed_size(std::size_t plaintext) const noexcept;
  // read() without the copy: the decrypted bytes where they lie (records
  // are decrypted into one buffer, back to back), valid until the next
  // non-const call. consume_received(n) drops the first n of them.
  std::span<const std::uint8_t> received() const noexcept;
  void consume_received(std::size_t n) noexcept;

  // 0-RTT, client only (RFC 8446 §4.2.10). Called before the handshake
  // starts (before the first pending_output()), it makes the ClientHello
  // offer early data when the session ticket to be offered allows it, and
  // seals `data` under client_early_traffic_secret right behind it. Called
  // again until the server's reply arrives, it sends more. Returns how many
  // bytes went out as early data: fewer than data.size() (possibly 0) when
  // no ticket allows 0-RTT, past the ticket's max_early_data_size, or once
  // the server has rejected it. Whether the server took it shows in
  // info().early_data after the handshake; rejected data is not resent.
  // internal_error on a server.
  Result<std::size_t> write_early_data(std::span<const std::uint8_t> data);

  // 0-RTT, server only. Early data the client sent and we accepted
  // (ServerConfig::max_early_data_size), readable as soon as it arrives,
  // before the handshake completes. WARNING: early data is not protected
  // against replay the way 1-RTT data is. The anti-replay store makes each
  // ticket's early data accepted once per store, but an attacker can still
  // replay it to a server that does not share the store, and the client
  // may send it again as 1-RTT data after a rejection. Act on it only if
  // repeating the request is harmless. Kept apart from read().
  std::size_t read_early_data(std::span<std::uint8_t> out) noexcept;
  std::size_t early_data_readable() const noexcept;

  // Switches our sending keys with a KeyUpdate (RFC 8446 §4.6.3); with
  // `request_peer_update` the peer updates its keys too. Needs a complete
  // handshake.
  Result<void> update_keys(bool request_peer_update = false);

  // Keying material from the TLS-Exporter (RFC 8446 §7.5): fills `out` from
  // `label` (up to 249 octets, "" too) and `context` (an empty context
  // equals none). Both sides get the
  // same bytes. Needs a complete handshake (a server: its flight sent,
  // as for 0.5-RTT writes).
  Result<void> export_keying_material(std::string_view label, std::span<const std::uint8_t> context,
                                      std::span<std::uint8_t> out) const;

  // The early exporter (RFC 8446 §7.5) over early_exporter_master_secret:
  // available on a client from its ClientHello when it offers a PSK, and on
  // a server that accepted the client's first PSK; it stays available only
  // when both agree (the server selected the first PSK, no
  // HelloRetryRequest). internal_error otherwise. Like early data, it is
  // not protected against replay.
  Result<void> export_early_keying_material(std::string_view label,
                                            std::span<const std::uint8_t> context,
                                            std::span<std::uint8_t> out) const;

  // Server: asks the client for a certificate after the handshake
  // (post-handshake authentication, RFC 8446 §4.6.2) with a fresh
  // certificate_request_context. Needs a complete handshake, a client that
  // offered post_handshake_auth (info().post_handshake_auth) and
  // config->client_trust; at most 8 requests may await an answer. The
  // answer arrives through feed() and ends with an
  // EventKind::post_handshake_auth event (info().client_auth and peer_chain
  // set for a verified certificate). A bad answer fails the connection; an
  // empty one does too (certificate_required) under ClientAuth::required.
  Result<void> request_client_auth();

  // Server: sends `n` more NewSessionTickets (RFC 8446 §4.6.1), e.g. after
  // post-handshake authentication. Needs a complete handshake and
  // config->ticket_keys.
  Result<void> send_tickets(unsigned n);

  // Sends close_notify (RFC 8446 §6.1); no more writes afterwards, but the
  // peer's remaining data can still be read.
  void close();

  // The oldest event not yet taken, in order of occurrence; nullopt if none.
  std::optional<Event> next_event();

  Side side() const noexcept;
  bool handshake_complete() const noexcept;
  bool peer_closed() const noexcept;                   // close_notify received
  bool failed() const noexcept;                        // a fatal alert was sent or received
  const std::optional<Error>& error() const noexcept;  // set once failed()
  const HandshakeInfo& info() const noexcept;

  // Optional observer for every handshake message; must outlive the
  // connection's handshake.
  void set_trace(TraceSink* sink) noexcept;

  struct Impl;  // internal

 private:
  friend struct ConnectionAccess;  // internal: tests and adapters inside the library
  explicit Connection(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tls13
