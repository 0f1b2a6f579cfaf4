// Client and server configuration. Build a config once, wrap it in a
// shared_ptr<const ...>, and share it: connections only read it.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tls13/credentials.h"
#include "tls13/random.h"
#include "tls13/types.h"

namespace tls13 {

// Receives secrets in the NSS key log format (SSLKEYLOGFILE): label,
// client_random, secret. The only way secrets leave the library.
using KeyLogFn =
    std::function<void(std::string_view label, std::span<const std::uint8_t> client_random,
                       std::span<const std::uint8_t> secret)>;

// Seconds since the Unix epoch; injectable for tests (certificate validity).
using ClockFn = std::function<std::int64_t()>;

// Bounds on what a peer can make us hold or do.
struct Limits {
  std::size_t max_handshake_message = 64 * 1024;     // any message but Certificate
  std::size_t max_certificate_message = 256 * 1024;  // the Certificate message
  std::size_t max_extensions = 64;                   // per extension block
  std::size_t max_chain_length = 10;                 // certificates in a chain
  std::size_t max_empty_records = 32;                // consecutive zero-length records
  std::size_t max_warning_alerts = 8;                // consecutive non-fatal alerts / CCS records
  std::size_t max_key_updates = 32;  // KeyUpdates received without application data between
};

// Preference orders are ours, most preferred first.
std::vector<CipherSuite> default_cipher_suites();  // no CCM_8
std::vector<NamedGroup> default_groups();          // x25519, secp256r1, x448, secp384r1, secp521r1
std::vector<SignatureScheme> default_signature_schemes();

// Settings shared by clients and servers; the defaults are secure.
struct CommonConfig {
  std::vector<CipherSuite> cipher_suites = default_cipher_suites();
  std::vector<NamedGroup> groups = default_groups();
  std::vector<SignatureScheme> signature_schemes = default_signature_schemes();
  std::vector<std::string> alpn;   // protocol names, most preferred first
  bool middlebox_compat = true;    // RFC 8446 Appendix D.4
  RandomSource* random = nullptr;  // null: system CSPRNG; else must outlive every connection
  ClockFn clock;                   // null: system clock
  KeyLogFn key_log;                // null: no key log
  Limits limits;
};

// ------------------------------------------------------------ resumption --

// A session ticket the client keeps to resume later (RFC 8446 §4.6.1,
// §4.2.11). `psk` is the resumption PSK: a secret, so treat a serialized
// session like a private key.
struct StoredSession {
  std::vector<std::uint8_t> ticket;  // opaque to the client
  std::vector<std::uint8_t> psk;     // Hash.length bytes of the suite's hash
  CipherSuite suite{};               // of the connection that issued it
  std::uint32_t lifetime = 0;        // seconds, capped at 7 days
  std::uint32_t age_add = 0;
  std::int64_t received = 0;  // unix seconds (config clock)
  std::string alpn;           // negotiated on the issuing connection

  ~StoredSession();  // wipes psk
  StoredSession() = default;
  StoredSession(const StoredSession&) = default;
  StoredSession(StoredSession&&) noexcept = default;
  StoredSession& operator=(const StoredSession&) = default;
  StoredSession& operator=(StoredSession&&) noexcept = default;

  // A versioned binary form ("T13S", version 1) for files (CLI --sess-out).
  std::vector<std::uint8_t> serialize() const;
  static std::optional<StoredSession> parse(std::span<const std::uint8_t> bytes);
};

// Where a client keeps tickets, keyed by server name. take() hands a
// ticket out once (RFC 8446 Appendix C.4: tickets are single use).
// Implementations must be thread-safe if connections on several threads
// share one.
class SessionCache {
 public:
  virtual ~SessionCache() = default;
  virtual void store(const std::string& server_name, StoredSession session) = 0;
  virtual std::optional<StoredSession> take(const std::string& server_name) = 0;
};

// Keeps the newest `capacity` tickets over all servers (the oldest is
// dropped first); take() returns the newest for the name. Thread-safe.
class InMemorySessionCache final : public SessionCache {
 public:
  explicit InMemorySessionCache(std::size_t capacity = 64) : capacity_(capacity) {}
  void store(const std::string& server_name, StoredSession session) override;
  std::optional<StoredSession> take(const std::string& server_name) override;
  std::size_t size() const;

 private:
  std::size_t capacity_;
  mutable std::mutex mu_;
  std::deque<std::pair<std::string, StoredSession>> entries_;  // oldest first
};

// A key that seals session tickets (AES-256-GCM). The id travels in clear
// in each ticket so a fleet sharing keys can find the one that sealed it.
struct TicketKey {
  std::array<std::uint8_t, 16> id{};
  std::array<std::uint8_t, 32> key{};
};

// Ticket keys of a server (or a fleet): current() seals new tickets,
// find() opens tickets by key id; keys it no longer returns are retired.
// `now` is unix seconds from the config clock. Must be thread-safe when
// shared between connections.
class TicketKeyProvider {
 public:
  virtual ~TicketKeyProvider() = default;
  virtual TicketKey current(std::int64_t now) = 0;
  virtual std::optional<TicketKey> find(std::span<const std::uint8_t> id, std::int64_t now) = 0;
};

// In-memory keys drawn from `random` (null: system CSPRNG) that rotate
// every `period`: the current key issues, the previous one is still
// accepted, older ones are gone. So a ticket stays redeemable for at least
// `period` (and at most 2 x `period`); pick period >= ticket_lifetime for
// tickets to last their whole lifetime. Thread-safe.
class RotatingTicketKeys final : public TicketKeyProvider {
 public:
  explicit RotatingTicketKeys(std::chrono::seconds period, RandomSource* random = nullptr);
  ~RotatingTicketKeys() override;
  TicketKey current(std::int64_t now) override;
  std::optional<TicketKey> find(std::span<const std::uint8_t> id, std::int64_t now) override;

 private:
  void rotate_locked(std::int64_t now);
  std::int64_t period_;
  RandomSource* random_;
  std::mutex mu_;
  std::optional<TicketKey> current_, previous_;
  std::int64_t current_since_ = 0;
};

// Whether a server asks for client certificates (RFC 8446 §4.3.2).
enum class ClientAuth : std::uint8_t {
  none,      // no CertificateRequest in the handshake
  optional,  // ask; a client without a certificate connects unauthenticated
  required,  // ask; a client without one gets certificate_required
};

// A client: which servers to trust and what to offer.
struct ClientConfig : CommonConfig {
  // Groups to send key shares for in the first ClientHello (a subset of
  // `groups`); the server can ask for another with HelloRetryRequest.
  std::vector<NamedGroup> key_share_groups = {NamedGroup::x25519};
  std::shared_ptr<const TrustAnchors> trust;  // null: the system store
  // Verify the server's chain against `trust` and its name against the
  // server_name given to Connection::client(). false only for testing.
  bool verify_peer = true;
  bool grease = false;  // RFC 8701 values in the ClientHello
  bool send_sni = true;
  // RFC 7685 padding: a ClientHello of 256..511 bytes is padded to 512,
  // which some middleboxes need.
  bool padding = false;  // server_name extension (never for IP literals)
  // Tickets received are stored here and offered (psk_dhe_ke) on the next
  // connection to the same server name. null: no resumption.
  std::shared_ptr<SessionCache> session_cache;
  // Client authentication (RFC 8446 §4.4.2): chains (leaf first) with keys,
  // offered when a server sends a CertificateRequest. The first whose key
  // can sign one of the server's signature_algorithms goes out, preferring
  // one issued under its certificate_authorities; if none fits, an empty
  // Certificate (the server decides whether that is enough).
  std::vector<std::shared_ptr<const CertifiedKey>> certificates;
  // Offer post_handshake_auth (§4.2.6): the server may then ask for a
  // certificate at any time after the handshake, answered from
  // `certificates`. Without it such a request is unexpected_message.
  bool post_handshake_auth = false;
};

// A server: the certificates it can present.
struct ServerConfig : CommonConfig {
  // One or more chains; per connection the server picks one whose key fits
  // the client's signature_algorithms and whose names cover its SNI.
  std::vector<std::shared_ptr<const CertifiedKey>> certificates;
  // Require the client to offer one of `alpn` when both sides use ALPN; a
  // client offering none of ours gets no_application_protocol.
  bool alpn_required = true;
  // Send a cookie with HelloRetryRequest (RFC 8446 §4.2.2).
  bool hrr_cookie = false;
  // Session tickets (RFC 8446 §4.6.1) sealed under these keys, and
  // resumption of the tickets they open. null: no tickets are issued and
  // every handshake is a full one.
  std::shared_ptr<TicketKeyProvider> ticket_keys;
  unsigned tickets = 2;                  // NewSessionTickets after each handshake
  std::uint32_t ticket_lifetime = 7200;  // seconds; capped at 604800 (§4.6.1)

  // Client authentication (RFC 8446 §4.3.2, §4.4.2): a CertificateRequest
  // in every full handshake unless `none`. Verified clients show in
  // info().client_auth and info().peer_chain.
  ClientAuth client_auth = ClientAuth::none;
  // Anchors a client's chain must lead to (no name check; EKU clientAuth
  // if present). Needed whenever a certificate is requested, in the
  // handshake or by Connection::request_client_auth().
  std::shared_ptr<const TrustAnchors> client_trust;
  // List client_trust's anchors in certificate_authorities (§4.2.4) so that
  // clients can pick a chain. Anchors from a hashed directory cannot be
  // listed (then, or above 32 KiB of names, the extension is left out).
  bool send_certificate_authorities = true;
  // signature_algorithms_cert of the CertificateRequest (§4.2.3), a hint
  // for the signatures in the client's chain; empty: not sent.
  std::vector<SignatureScheme> client_certificate_signature_schemes;
  // A PSK handshake cannot carry a CertificateRequest (§4.3.2). false: a
  // ticket resumes without a new client certificate (info().client_auth is
  // then false; ask with Connection::request_client_auth() if the client
  // offered post_handshake_auth). true: with client_auth set, PSKs are
  // declined so every connection runs a full handshake and asks again.
  bool client_auth_on_resumption = false;
};

}  // namespace tls13
