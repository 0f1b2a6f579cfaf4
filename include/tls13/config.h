// Client and server configuration. Build a config once, wrap it in a
// shared_ptr<const ...>, and share it: connections only read it.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tls13/credentials.h"
#include "tls13/random.h"
#include "tls13/result.h"
#include "tls13/types.h"

namespace tls13 {

// Receives secrets in the NSS key log format (SSLKEYLOGFILE): label,
// client_random, secret. The only way secrets leave the library.
using KeyLogFn =
    std::function<void(std::string_view label, std::span<const std::uint8_t> client_random,
                       std::span<const std::uint8_t> secret)>;

// Seconds since the Unix epoch; injectable for tests (certificate validity).
using ClockFn = std::function<std::int64_t()>;

// The application's own check of a peer's certificate chain (DER, leaf
// first), run after the library's verification: an Error refuses the chain
// and its alert goes to the peer (e.g. certificate_unknown, or
// bad_certificate_status_response for a revocation check).
using CertificateCheckFn =
    std::function<Result<void>(std::span<const std::vector<std::uint8_t>> chain)>;

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
  // Schemes we accept in the peer's CertificateVerify and advertise
  // (signature_algorithms, or a CertificateRequest's).
  std::vector<SignatureScheme> signature_schemes = default_signature_schemes();
  // Schemes we sign our own CertificateVerify with, most preferred first;
  // empty: signature_schemes.
  std::vector<SignatureScheme> signing_schemes;
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
  // Unix milliseconds (config clock) when the ticket arrived: the base of
  // its age (§4.2.11.1), which servers check against their own view.
  std::int64_t received_ms = 0;
  std::string alpn;  // negotiated on the issuing connection
  // The ticket's early_data max_early_data_size (§4.2.10); 0: no 0-RTT.
  std::uint32_t max_early_data_size = 0;
  // The server's chain (DER, leaf first) of the handshake that first made
  // this session, kept when ClientConfig::recheck_on_resumption is set.
  // In memory only: serialize() leaves it out.
  std::vector<std::vector<std::uint8_t>> peer_chain;

  ~StoredSession();  // wipes psk
  StoredSession() = default;
  StoredSession(const StoredSession&) = default;
  StoredSession(StoredSession&&) noexcept = default;
  StoredSession& operator=(const StoredSession&) = default;
  StoredSession& operator=(StoredSession&&) noexcept = default;

  // A versioned binary form ("T13S", version 3; versions 1 and 2 still
  // parse) for files (CLI --sess-out).
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

// ------------------------------------------------- PSKs and 0-RTT (§4.2.9-11) --

// Key exchange with a PSK (RFC 8446 §4.2.9): psk_dhe_ke adds an (EC)DHE
// exchange and so forward secrecy; psk_ke uses the PSK alone.
enum class PskKeyExchangeMode : std::uint8_t { psk_ke = 0, psk_dhe_ke = 1 };

// The hash a PSK is bound to (§4.2.11): it may only be used with cipher
// suites of that hash.
enum class PskHash : std::uint8_t { sha256, sha384 };

// A PSK provisioned out of band (RFC 8446 §2.2, §4.2.11): both sides hold
// the same identity, key and hash. `key` is a secret (wiped on destruction);
// the identity travels in clear. Handshakes under it send no certificates.
struct ExternalPsk {
  std::vector<std::uint8_t> identity;  // 1..65535 bytes
  std::vector<std::uint8_t> key;       // the secret; random, not a password
  PskHash hash = PskHash::sha256;      // RFC 8446 §4.2.11: SHA-256 unless provisioned
  // Made by import_external_psk (RFC 9258): binders use "imp binder".
  bool imported = false;

  ~ExternalPsk();  // wipes key
  ExternalPsk() = default;
  ExternalPsk(std::vector<std::uint8_t> id, std::vector<std::uint8_t> k,
              PskHash h = PskHash::sha256)
      : identity(std::move(id)), key(std::move(k)), hash(h) {}
  ExternalPsk(const ExternalPsk&) = default;
  ExternalPsk(ExternalPsk&&) noexcept = default;
  ExternalPsk& operator=(const ExternalPsk&) = default;
  ExternalPsk& operator=(ExternalPsk&&) noexcept = default;
};

// RFC 9258 §5.1 PSK importer: turns an external PSK (`epsk`: identity, base
// key, its hash) into an imported PSK for TLS 1.3 (target_protocol 0x0304)
// and the target KDF HKDF-`target` (0x0001 SHA-256, 0x0002 SHA-384):
//   identity = ImportedIdentity{external_identity, context, 0x0304, target_kdf}
//   key      = HKDF-Expand-Label(HKDF-Extract(0, epsk), "derived psk",
//                                Hash(ImportedIdentity), Hash_target.length)
// with epsk's hash for HKDF and Hash. Both peers import the same EPSK the
// same way. internal_error for an empty identity or key, or an
// ImportedIdentity over 65535 bytes.
Result<ExternalPsk> import_external_psk(const ExternalPsk& epsk,
                                        std::span<const std::uint8_t> context, PskHash target);

// Anti-replay for 0-RTT (RFC 8446 §8): remembers which tickets have already
// carried early data. A server accepts 0-RTT under a ticket only once, and
// only while the client's idea of the ticket age agrees with its own
// (freshness, §8.3), so an entry needs to outlive that window only. A fleet
// shares one store (e.g. backed by a shared cache) to make tickets single
// use across servers. Implementations must be thread-safe.
class ReplayStore {
 public:
  virtual ~ReplayStore() = default;
  // Records `key` (a hash of the ticket) until `expires` (unix seconds).
  // true: not seen before, the early data may be accepted. false: already
  // recorded (a replay) or no room left; the server then rejects the early
  // data and completes the handshake as 1-RTT.
  virtual bool insert_once(std::span<const std::uint8_t> key, std::int64_t expires,
                           std::int64_t now) = 0;
};

// Keeps at most `capacity` keys; expired ones are dropped first, and when
// it is still full new keys are refused (0-RTT rejected: it fails closed,
// never admitting a replay). Thread-safe.
class InMemoryReplayStore final : public ReplayStore {
 public:
  explicit InMemoryReplayStore(std::size_t capacity = 65536) : capacity_(capacity) {}
  bool insert_once(std::span<const std::uint8_t> key, std::int64_t expires,
                   std::int64_t now) override;
  std::size_t size() const;

 private:
  std::size_t capacity_;
  mutable std::mutex mu_;
  std::set<std::vector<std::uint8_t>> keys_;
  std::multimap<std::int64_t, std::vector<std::uint8_t>> by_expiry_;
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
  // PSK key exchange modes to offer with a PSK, most preferred first
  // (§4.2.9). psk_ke alone gives up forward secrecy.
  std::vector<PskKeyExchangeMode> psk_modes = {PskKeyExchangeMode::psk_dhe_ke};
  // External PSKs offered on every connection, after a session ticket if
  // there is one. A server that accepts one sends no certificate.
  std::vector<ExternalPsk> external_psks;
  // 0-RTT is per connection: Connection::write_early_data().
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
  // Ask the server to staple status to its certificate (RFC 8446
  // §4.4.2.1): an OCSP response (status_request, RFC 6066 §8) and/or Signed
  // Certificate Timestamps (RFC 6962 §3.3.1). What comes with the leaf
  // shows in info().ocsp_response / info().sct_list unchecked: judge it in
  // certificate_check, which runs after it arrived.
  bool request_ocsp = false;
  bool request_sct = false;
  // Run after the server's chain is verified (or in place of verification
  // when verify_peer is false). null: none.
  CertificateCheckFn certificate_check;
  // Run certificate_check again when resuming, on the chain the session was
  // made with (trust may change while a ticket lives): before 0-RTT data
  // goes out under the ticket, else once the server has resumed it. Tickets
  // without a chain (read back with StoredSession::parse) are not offered.
  bool recheck_on_resumption = false;
};

// Status stapled to a server's leaf certificate (RFC 8446 §4.4.2.1), each
// sent only to a client that asked for it; empty: not sent.
struct CertificateStatus {
  std::vector<std::uint8_t> ocsp_response;  // a DER OCSPResponse (RFC 6960)
  std::vector<std::uint8_t> sct_list;       // a SignedCertificateTimestampList (RFC 6962)
};
// Called per full handshake with the chosen certificate; an Error aborts
// the handshake with its alert.
using CertificateStatusFn = std::function<Result<CertificateStatus>(const CertifiedKey& chosen)>;

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
  // The OCSP response / SCTs to staple when a client asks. null: none.
  CertificateStatusFn certificate_status;
  // Session tickets (RFC 8446 §4.6.1) sealed under these keys, and
  // resumption of the tickets they open. null: no tickets are issued and
  // every handshake is a full one.
  std::shared_ptr<TicketKeyProvider> ticket_keys;
  unsigned tickets = 2;  // NewSessionTickets after each handshake (none after an external PSK)
  std::uint32_t ticket_lifetime = 7200;  // seconds; capped at 604800 (§4.6.1)

  // PSK key exchange modes accepted, most preferred first (§4.2.9). A PSK
  // is used only with a mode that the client offers too.
  std::vector<PskKeyExchangeMode> psk_modes = {PskKeyExchangeMode::psk_dhe_ke};
  // External PSKs accepted (found by identity); they need no certificate.
  std::vector<ExternalPsk> external_psks;

  // 0-RTT (RFC 8446 §4.2.10, §8). Above 0, tickets carry early_data with
  // this max_early_data_size, and early data sent under them is accepted
  // when: it is the first PSK offered, the suite and ALPN are the ticket's,
  // there was no HelloRetryRequest, the ticket age is fresh and
  // `replay_store` has not seen the ticket. Early data can be replayed by an
  // attacker (a fleet without a shared store, or across store restarts):
  // accept it only for requests that are safe to repeat. It is read with
  // Connection::read_early_data(). 0: no 0-RTT; early data is skipped.
  std::uint32_t max_early_data_size = 0;
  // Single use of tickets for 0-RTT (§8.1). On by default; null disables
  // 0-RTT altogether (it never runs without anti-replay).
  std::shared_ptr<ReplayStore> replay_store = std::make_shared<InMemoryReplayStore>();
  // Freshness (§8.3): the client's ticket age (decoded from
  // obfuscated_ticket_age) may differ from ours by at most this much, plus
  // 1 s for our clock's granularity.
  std::uint32_t early_data_window_ms = 10000;
  // Client authentication (RFC 8446 §4.3.2, §4.4.2): a CertificateRequest
  // in every full handshake unless `none`. Verified clients show in
  // info().client_auth and info().peer_chain.
  ClientAuth client_auth = ClientAuth::none;
  // Run after a client's chain is verified against client_trust (in the
  // handshake and after it). null: none.
  CertificateCheckFn client_certificate_check;
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
  // ticket resumes without a new client certificate; the resumed connection
  // is authenticated as the ticket's was (§4.6.1): info().client_auth and
  // peer_chain come from the ticket (its chain, or the leaf alone above
  // 8 KiB of DER). The ticket's chain must still verify against today's
  // client_trust (replaced anchors, expiry), else it is declined and a full
  // handshake asks again. Under ClientAuth::required a ticket issued
  // without client authentication is not resumed. Ask anew with
  // Connection::request_client_auth() if the client offered
  // post_handshake_auth. true: with client_auth set, PSKs are declined so
  // every connection runs a full handshake and asks again.
  bool client_auth_on_resumption = false;
};

}  // namespace tls13
