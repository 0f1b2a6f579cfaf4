// Client and server configuration. Build a config once, wrap it in a
// shared_ptr<const ...>, and share it: connections only read it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
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

// A client: which servers to trust and what to offer.
struct ClientConfig : CommonConfig {
  // Groups to send key shares for in the first ClientHello (a subset of
  // `groups`); the server can ask for another with HelloRetryRequest.
  std::vector<NamedGroup> key_share_groups = {NamedGroup::x25519};
  std::shared_ptr<const TrustAnchors> trust;  // null: the system store
  // Verify the server's chain against `trust` and its name against the
  // server_name given to Connection::client(). false only for testing.
  bool verify_peer = true;
  bool grease = false;   // RFC 8701 values in the ClientHello
  bool send_sni = true;
  // RFC 7685 padding: a ClientHello of 256..511 bytes is padded to 512,
  // which some middleboxes need.
  bool padding = false;  // server_name extension (never for IP literals)
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
};

}  // namespace tls13
