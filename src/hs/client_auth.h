// Client authentication (RFC 8446 §4.3.2, §4.4.2, §4.4.3, §4.6.2): what
// the client answers to a CertificateRequest (client_auth.cpp) and how the
// server asks and checks the answer (server_client_auth.cpp), in the
// handshake and after it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/result.h"
#include "crypto/signature.h"
#include "hs/handshake.h"
#include "keysched/transcript.h"

namespace tls13::hs {

// ------------------------------------------------------------- client --

// A CertificateRequest as the client keeps it (owned copies).
struct CertificateRequestInfo {
  std::vector<std::uint8_t> context;
  std::vector<SignatureScheme> signature_schemes;      // signature_algorithms
  std::vector<std::vector<std::uint8_t>> authorities;  // DER names; empty: no hint
};

// Decodes a CertificateRequest body. In the handshake its context must be
// empty, after it non-empty (§4.3.2: unique per connection);
// illegal_parameter otherwise. No signature_algorithms: missing_extension.
Result<CertificateRequestInfo> read_certificate_request(std::span<const std::uint8_t> body,
                                                        const Limits& limits, bool post_handshake);

// The certificate to answer `req` with: the first of config.certificates
// whose key can sign one of the requested schemes (in our preference
// order), preferring one with a chain certificate issued by (or being) one
// of the listed authorities. nullptr: none fits.
struct ClientCredential {
  const CertifiedKey* key = nullptr;
  SignatureScheme scheme{};
};
ClientCredential select_client_certificate(const ClientConfig& config,
                                           const CertificateRequestInfo& req);

// Queues Certificate (echoing req.context) and, when a certificate fits,
// CertificateVerify, adding both to `transcript`. Returns whether a
// certificate went out.
Result<bool> send_client_certificate(Io& io, ks::Transcript& transcript, const ClientConfig& config,
                                     const CertificateRequestInfo& req,
                                     const ClientOptions& options);

// The whole answer to a post-handshake CertificateRequest `m` (§4.6.2):
// Certificate, CertificateVerify (if a certificate fits) and Finished,
// over the handshake transcript `handshake` + these messages (§4.4.1),
// Finished keyed by our current client_application_traffic_secret_N.
Result<void> answer_post_handshake_request(Io& io, const ks::Transcript& handshake,
                                           const ClientConfig& config, const ClientOptions& options,
                                           const RawMessage& m,
                                           const ks::TrafficSecret& client_secret);

// ------------------------------------------------------------- server --

// Queues a CertificateRequest carrying `context` (empty in the handshake),
// signature_algorithms, signature_algorithms_cert and
// certificate_authorities as configured, and adds it to `transcript`.
// internal_error without config.client_trust.
Result<void> send_certificate_request(Io& io, ks::Transcript& transcript,
                                      const ServerConfig& config,
                                      std::span<const std::uint8_t> context);

// Reads the client's Certificate for the request with `context`: verifies
// the chain against config.client_trust and returns the leaf's key, or
// nullopt for an empty Certificate (certificate_required instead under
// ClientAuth::required). Sets info().peer_chain and peer_verified.
Result<std::optional<crypto::PublicKey>> read_client_certificate(
    Io& io, const ServerConfig& config, const RawMessage& m, std::span<const std::uint8_t> context);

// Whether a client identity kept in a ticket (DER, leaf first) would still
// be accepted at `now`: the chain verifies against config.client_trust as it
// is now (anchors may have been replaced, certificates may have expired)
// with the client-auth purpose. A ticket that keeps only the leaf (chains
// over kMaxTicketClientChain) passes only when an anchor issued it.
bool client_identity_still_trusted(const ServerConfig& config,
                                   const std::vector<std::vector<std::uint8_t>>& chain,
                                   std::int64_t now);

// Checks the client's CertificateVerify against `transcript` (everything
// before it): a scheme of our signature_algorithms fitting the key
// (illegal_parameter otherwise), and a valid signature (decrypt_error).
Result<void> verify_client_certificate_verify(Io& io, const ServerConfig& config,
                                              const crypto::PublicKey& key, const RawMessage& m,
                                              const ks::Transcript& transcript);

// The server's post-handshake authentication: requests awaiting an answer
// and the answer being read (Certificate, CertificateVerify, Finished, in
// a row, §4.6.2).
class PostHandshakeAuthServer {
 public:
  static constexpr std::size_t kMaxPending = 8;

  // Sends a CertificateRequest with a fresh random context over a branch
  // of the handshake transcript (ClientHello..client Finished).
  Result<void> request(Io& io, const ServerConfig& config, const ks::Transcript& handshake);
  // Certificate / CertificateVerify / Finished of an answer. Anything else
  // while an answer is half read is unexpected_message; a Certificate that
  // matches no request is illegal_parameter.
  Result<void> on_message(Io& io, const ServerConfig& config, const RawMessage& m,
                          const ks::TrafficSecret& client_secret);
  // Whether `type` belongs to an answer now (the caller routes the rest).
  bool takes(std::uint8_t type) const;
  bool answering() const noexcept { return stage_ != Stage::idle; }
  bool awaiting_certificate() const noexcept { return stage_ == Stage::idle && !pending_.empty(); }

 private:
  struct Request {
    std::vector<std::uint8_t> context;
    ks::Transcript transcript;  // handshake + CertificateRequest (+ answer so far)
  };
  enum class Stage : std::uint8_t { idle, wait_cv, wait_finished };

  std::vector<Request> pending_;
  std::optional<Request> current_;
  std::optional<crypto::PublicKey> key_;
  Stage stage_ = Stage::idle;
  std::uint32_t requests_ = 0;  // first 4 bytes of each context
};

}  // namespace tls13::hs
