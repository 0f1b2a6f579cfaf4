// The server's side of client authentication (RFC 8446 §4.3.2, §4.4.2.4,
// §4.4.3, §4.6.2): the CertificateRequest, verification of the client's
// Certificate and CertificateVerify, and post-handshake requests.
#include <algorithm>
#include <string>

#include "base/ct.h"
#include "conn/credentials_impl.h"
#include "crypto/x509.h"
#include "hs/certificate_check.h"
#include "hs/client_auth.h"
#include "hs/common.h"
#include "hs/negotiation.h"
#include "msg/certificate.h"
#include "msg/certificate_request.h"
#include "msg/certificate_verify.h"
#include "msg/ext_certificate_authorities.h"
#include "msg/ext_groups_sigalgs.h"
#include "msg/finished.h"
#include "msg/handshake_type.h"
#include "wire/reader.h"

namespace tls13::hs {

namespace {

using msg::HandshakeType;

// certificate_authorities stays well inside the CertificateRequest's
// 2^16-1 bytes of extensions; a larger anchor set is not listed at all.
constexpr std::size_t kMaxAuthoritiesBytes = 32 * 1024;

}  // namespace

Result<void> send_certificate_request(Io& io, ks::Transcript& transcript,
                                      const ServerConfig& config,
                                      std::span<const std::uint8_t> context) {
  if (!config.client_trust)
    return Error(Alert::internal_error,
                 "a client certificate is requested but ServerConfig::client_trust is not set");
  msg::CertificateRequest cr;
  cr.certificate_request_context = context;
  msg::SignatureSchemeList sigs;
  sigs.supported_signature_algorithms = config.signature_schemes;
  cr.extensions.add(sigs);
  if (!config.client_certificate_signature_schemes.empty()) {
    msg::SignatureSchemeListCert cert_sigs;
    cert_sigs.supported_signature_algorithms = config.client_certificate_signature_schemes;
    cr.extensions.add(cert_sigs);
  }
  std::size_t listed = 0;
  if (config.send_certificate_authorities) {
    const auto& subjects = config.client_trust->impl().subjects;
    std::size_t bytes = 0;
    for (const auto& dn : subjects) bytes += 2 + dn.size();
    if (!subjects.empty() && bytes <= kMaxAuthoritiesBytes) {
      msg::CertificateAuthorities cas;
      for (const auto& dn : subjects) cas.authorities.push_back(dn);
      cr.extensions.add(cas);
      listed = subjects.size();
    }
  }
  std::string summary;
  if (io.tracing())
    summary = (context.empty() ? std::string("in the handshake")
                               : "post-handshake, context " + hex_prefix(context)) +
              ", " + std::to_string(listed) + " CA name(s)";
  TLS13_TRY(send_message(io, transcript, cr, summary));
  io.info().certificate_requested = true;
  return ok();
}

Result<std::optional<crypto::PublicKey>> read_client_certificate(
    Io& io, const ServerConfig& config, const RawMessage& m,
    std::span<const std::uint8_t> context) {
  msg::DecodeLimits lim;
  lim.max_extensions = config.limits.max_extensions;
  lim.max_certificate_entries = config.limits.max_chain_length;
  auto cert = msg::Certificate::decode(m.body, lim);
  if (!cert) return std::move(cert).error();
  const auto got = cert->certificate_request_context;
  if (!std::equal(got.begin(), got.end(), context.begin(), context.end()))
    return Error(Alert::illegal_parameter,
                 "client Certificate does not echo the certificate_request_context");
  auto& info = io.info();
  if (cert->certificate_list.empty()) {
    // §4.4.2.4: continue unauthenticated, or certificate_required.
    if (config.client_auth == ClientAuth::required)
      return Error(Alert::certificate_required, "the client sent an empty Certificate");
    info.peer_chain.clear();
    info.peer_verified = false;
    if (io.tracing()) io.trace_message(false, "Certificate", "empty: no client certificate");
    return std::optional<crypto::PublicKey>{};
  }
  std::vector<crypto::Certificate> chain;
  std::vector<std::vector<std::uint8_t>> der;
  for (const auto& entry : cert->certificate_list) {
    // We request no per-certificate extensions (status_request, SCT).
    TLS13_TRY(check_solicited(entry.extensions, {}, "CertificateEntry"));
    auto c = crypto::Certificate::from_der(entry.cert_data);
    if (!c) return std::move(c).error();
    der.emplace_back(entry.cert_data.begin(), entry.cert_data.end());
    chain.push_back(std::move(c).value());
  }
  // The leaf's key must be allowed to sign (keyUsage digitalSignature, as
  // for a server's, RFC 8446 §4.4.2.2): libcrypto's client purpose check
  // also lets keyAgreement-only keys through.
  auto key = chain.front().signing_key();
  if (!key) return std::move(key).error();
  crypto::VerifyOptions opts;
  opts.purpose = crypto::CertificatePurpose::client_auth;  // no host name
  opts.time = io.now();
  TLS13_TRY(crypto::verify_chain(config.client_trust->impl().store, chain, opts));
  TLS13_TRY(run_certificate_check(config.client_certificate_check, der));
  info.peer_chain = std::move(der);
  info.peer_verified = true;
  if (io.tracing())
    io.trace_message(false, "Certificate",
                     std::to_string(chain.size()) + " client certificate(s), leaf " +
                         chain.front().subject() + ", verified");
  return std::optional<crypto::PublicKey>(std::move(key).value());
}

bool client_identity_still_trusted(const ServerConfig& config,
                                   const std::vector<std::vector<std::uint8_t>>& chain,
                                   std::int64_t now) {
  if (!config.client_trust || chain.empty()) return false;
  // Through the trust store's verified-chain cache: a chain resumed again
  // is neither parsed nor path-validated anew, only its validity checked.
  std::vector<std::span<const std::uint8_t>> der(chain.begin(), chain.end());
  crypto::VerifyOptions opts;
  opts.purpose = crypto::CertificatePurpose::client_auth;
  opts.time = now;
  return crypto::verify_der_chain(config.client_trust->impl().store, der, opts).ok();
}

Result<void> verify_client_certificate_verify(Io& io, const ServerConfig& config,
                                              const crypto::PublicKey& key, const RawMessage& m,
                                              const ks::Transcript& transcript) {
  auto cv = msg::CertificateVerify::decode(m.body);
  if (!cv) return std::move(cv).error();
  // §4.4.3: one of the schemes our CertificateRequest listed, usable in
  // TLS 1.3, fitting the certificate's key.
  if (!contains<SignatureScheme>(config.signature_schemes, cv->algorithm) ||
      !crypto::handshake_scheme(cv->algorithm) || !key.compatible(cv->algorithm))
    return Error(Alert::illegal_parameter,
                 "client CertificateVerify uses a signature scheme that was not requested or does "
                 "not fit the certificate's key");
  const auto content = crypto::certificate_verify_input(crypto::CertificateVerifySide::client,
                                                        transcript.current_hash().span());
  TLS13_TRY(key.verify(cv->algorithm, content, cv->signature));
  io.info().client_signature_scheme = cv->algorithm;
  if (io.tracing())
    io.trace_message(false, "CertificateVerify",
                     std::string(to_string(cv->algorithm)) + ", client signature valid");
  return ok();
}

// ------------------------------------------------ post-handshake requests --

Result<void> PostHandshakeAuthServer::request(Io& io, const ServerConfig& config,
                                              const ks::Transcript& handshake) {
  if (pending_.size() >= kMaxPending)
    return Error(Alert::internal_error,
                 "too many post-handshake CertificateRequests await an answer");
  // §4.3.2: unique within the connection (a counter) and unpredictable
  // (random bytes).
  Request r{std::vector<std::uint8_t>(20), handshake.clone()};
  for (int i = 0; i < 4; ++i) r.context[i] = static_cast<std::uint8_t>(requests_ >> (24 - 8 * i));
  io.random().fill(std::span(r.context).subspan(4));
  TLS13_TRY(send_certificate_request(io, r.transcript, config, r.context));
  ++requests_;
  pending_.push_back(std::move(r));
  return ok();
}

bool PostHandshakeAuthServer::takes(std::uint8_t type) const {
  return answering() ||
         (static_cast<HandshakeType>(type) == HandshakeType::certificate && !pending_.empty());
}

Result<void> PostHandshakeAuthServer::on_message(Io& io, const ServerConfig& config,
                                                 const RawMessage& m,
                                                 const ks::TrafficSecret& client_secret) {
  const auto type = static_cast<HandshakeType>(m.type);
  if (type == HandshakeType::certificate && stage_ == Stage::idle) {
    // The answer names its request by context; answers may come in any
    // order (§4.6.2).
    wire::Reader r(m.body);
    wire::Bytes context;
    if (!r.read_vector(1, 0, 255, context))
      return Error(Alert::decode_error, "Certificate: malformed certificate_request_context");
    auto it = std::find_if(pending_.begin(), pending_.end(), [&](const Request& p) {
      return std::equal(p.context.begin(), p.context.end(), context.begin(), context.end());
    });
    if (it == pending_.end())
      return Error(Alert::illegal_parameter,
                   "client Certificate answers no outstanding CertificateRequest");
    current_.emplace(std::move(*it));
    pending_.erase(it);
    auto key = read_client_certificate(io, config, m, current_->context);
    if (!key) return std::move(key).error();
    current_->transcript.add(m.full);
    key_ = std::move(*key);
    stage_ = key_ ? Stage::wait_cv : Stage::wait_finished;
    return ok();
  }
  if (type == HandshakeType::certificate_verify && stage_ == Stage::wait_cv) {
    TLS13_TRY(verify_client_certificate_verify(io, config, *key_, m, current_->transcript));
    current_->transcript.add(m.full);
    stage_ = Stage::wait_finished;
    return ok();
  }
  if (type == HandshakeType::finished && stage_ == Stage::wait_finished) {
    const auto hash = current_->transcript.hash_id();
    auto fin = msg::Finished::decode(m.body, crypto::hash_length(*hash));
    if (!fin) return std::move(fin).error();
    TLS13_TRY(
        ks::verify_finished(client_secret, current_->transcript.current_hash(), fin->verify_data));
    io.info().client_auth = key_.has_value();
    if (io.tracing())
      io.trace_message(false, "Finished",
                       std::string("post-handshake verify_data valid, client ") +
                           (key_ ? "authenticated" : "declined"));
    current_.reset();
    key_.reset();
    stage_ = Stage::idle;
    io.notify(EventKind::post_handshake_auth);
    return ok();
  }
  // §4.6.2: the answer's messages come in a row, in this order.
  return unexpected(m.type, "reading a post-handshake authentication answer");
}

}  // namespace tls13::hs
