// The client's side of client authentication (RFC 8446 §4.3.2, §4.4.2.3,
// §4.4.3, §4.6.2): reading a CertificateRequest, choosing a certificate,
// and sending Certificate / CertificateVerify (/ Finished after the
// handshake).
#include <algorithm>
#include <string>

#include "conn/credentials_impl.h"
#include "hs/client_auth.h"
#include "hs/common.h"
#include "hs/negotiation.h"
#include "msg/certificate.h"
#include "msg/certificate_request.h"
#include "msg/certificate_verify.h"
#include "msg/ext_certificate_authorities.h"
#include "msg/ext_groups_sigalgs.h"
#include "msg/finished.h"

namespace tls13::hs {

Result<CertificateRequestInfo> read_certificate_request(std::span<const std::uint8_t> body,
                                                        const Limits& limits, bool post_handshake) {
  msg::DecodeLimits lim;
  lim.max_extensions = limits.max_extensions;
  auto cr = msg::CertificateRequest::decode(body, lim);
  if (!cr) return std::move(cr).error();
  if (!post_handshake && !cr->certificate_request_context.empty())
    return Error(Alert::illegal_parameter,
                 "CertificateRequest in the handshake must have an empty context");
  if (post_handshake && cr->certificate_request_context.empty())
    return Error(Alert::illegal_parameter,
                 "post-handshake CertificateRequest has an empty context");
  auto sigs = cr->extensions.get<msg::SignatureSchemeList>();
  if (!sigs) return std::move(sigs).error();
  if (!sigs->has_value())
    return Error(Alert::missing_extension, "CertificateRequest has no signature_algorithms");
  // Hints we do not act on must still be well formed.
  auto sigs_cert = cr->extensions.get<msg::SignatureSchemeListCert>();
  if (!sigs_cert) return std::move(sigs_cert).error();
  auto oids = cr->extensions.get<msg::OidFilters>();
  if (!oids) return std::move(oids).error();
  auto cas = cr->extensions.get<msg::CertificateAuthorities>();
  if (!cas) return std::move(cas).error();

  CertificateRequestInfo out;
  out.context.assign(cr->certificate_request_context.begin(),
                     cr->certificate_request_context.end());
  out.signature_schemes = (*sigs)->supported_signature_algorithms;
  if (cas->has_value())
    for (const auto& dn : (*cas)->authorities) out.authorities.emplace_back(dn.begin(), dn.end());
  return out;
}

namespace {

// §4.4.2.3: "at least one of the certificates in the certificate chain
// SHOULD be issued by one of the listed CAs" (a listed CA in the chain
// counts too).
bool issued_under(const CertifiedKey& ck, const std::vector<std::vector<std::uint8_t>>& cas) {
  for (const auto& c : ck.impl().chain) {
    const auto issuer = c.issuer_der();
    const auto subject = c.subject_der();
    for (const auto& dn : cas)
      if (dn == issuer || dn == subject) return true;
  }
  return false;
}

}  // namespace

ClientCredential select_client_certificate(const ClientConfig& config,
                                           const CertificateRequestInfo& req) {
  for (int pass = req.authorities.empty() ? 1 : 0; pass < 2; ++pass) {
    for (const auto& c : config.certificates) {
      if (!c || (pass == 0 && !issued_under(*c, req.authorities))) continue;
      auto s = select_scheme<>(std::span<const SignatureScheme>(signing_preferences(config)),
                               std::span<const SignatureScheme>(req.signature_schemes),
                               [&](SignatureScheme x) {
                                 return crypto::handshake_scheme(x) && c->impl().key.compatible(x);
                               });
      if (s) return {c.get(), *s};
    }
  }
  return {};
}

Result<bool> send_client_certificate(Io& io, ks::Transcript& transcript, const ClientConfig& config,
                                     const CertificateRequestInfo& req,
                                     const ClientOptions& options) {
  const auto chosen = select_client_certificate(config, req);
  msg::Certificate cert;
  cert.certificate_request_context = req.context;
  if (chosen.key) {
    const auto& chain =
        options.certificate_chain ? *options.certificate_chain : chosen.key->chain_der();
    for (const auto& der : chain) cert.certificate_list.push_back({der, {}});
  }
  TLS13_TRY(send_message(io, transcript, cert,
                         chosen.key ? std::to_string(cert.certificate_list.size()) +
                                          " certificate(s), leaf " +
                                          chosen.key->impl().chain.front().subject()
                                    : "no client certificate"));
  if (!chosen.key) return false;

  const auto content = crypto::certificate_verify_input(crypto::CertificateVerifySide::client,
                                                        transcript.current_hash().span());
  auto sig = options.signer ? options.signer(chosen.scheme, content)
                            : chosen.key->impl().key.sign(chosen.scheme, content);
  if (!sig) return std::move(sig).error();
  io.info().client_signature_scheme = chosen.scheme;
  TLS13_TRY(send_message(io, transcript, msg::CertificateVerify{chosen.scheme, *sig},
                         std::string(to_string(chosen.scheme))));
  return true;
}

Result<void> answer_post_handshake_request(Io& io, const ks::Transcript& handshake,
                                           const ClientConfig& config, const ClientOptions& options,
                                           const RawMessage& m,
                                           const ks::TrafficSecret& client_secret) {
  auto req = read_certificate_request(m.body, config.limits, true);
  if (!req) return std::move(req).error();
  auto& info = io.info();
  info.certificate_requested = true;
  if (io.tracing())
    io.trace_message(false, "CertificateRequest",
                     "post-handshake, context " + hex_prefix(req->context));
  // §4.4.1: ClientHello..client Finished, then this exchange.
  ks::Transcript t = handshake.clone();
  t.add(m.full);
  auto sent = send_client_certificate(io, t, config, *req, options);
  if (!sent) return std::move(sent).error();
  const auto verify = ks::finished_verify_data(client_secret, t.current_hash());
  TLS13_TRY(send_message(io, t, msg::Finished{verify.span()}, "post-handshake verify_data"));
  if (*sent) info.client_auth = true;
  io.notify(EventKind::post_handshake_auth);
  return ok();
}

}  // namespace tls13::hs
