// The server state machine (RFC 8446 §4, Appendix A.2):
//
//   START -> RECVD_CH -> NEGOTIATED -> WAIT_FLIGHT2 -> WAIT_FINISHED -> CONNECTED
//
// WAIT_FLIGHT2 is WAIT_EOED when early data was accepted, and WAIT_CERT ->
// WAIT_CV when we sent a CertificateRequest (client authentication,
// client_auth.h).
//
// RECVD_CH and NEGOTIATED pass within one call: the whole server flight is
// produced from the ClientHello. A HelloRetryRequest waits for a second
// ClientHello first.
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>

#include "conn/credentials_impl.h"
#include "crypto/key_exchange.h"
#include "crypto/signature.h"
#include "hs/application_keys.h"
#include "hs/certificate_status.h"
#include "hs/client_auth.h"
#include "hs/common.h"
#include "hs/connected.h"
#include "hs/early_data.h"
#include "hs/negotiation.h"
#include "hs/psk.h"
#include "hs/second_client_hello.h"
#include "hs/tickets.h"
#include "keysched/transcript.h"
#include "msg/certificate.h"
#include "msg/certificate_verify.h"
#include "msg/client_hello.h"
#include "msg/encrypted_extensions.h"
#include "msg/end_of_early_data.h"
#include "msg/ext_cookie.h"
#include "msg/ext_groups_sigalgs.h"
#include "msg/ext_key_share.h"
#include "msg/ext_misc.h"
#include "msg/ext_names.h"
#include "msg/ext_psk.h"
#include "msg/ext_record_size_limit.h"
#include "msg/ext_supported_versions.h"
#include "msg/finished.h"
#include "msg/handshake.h"
#include "msg/legacy_hello.h"
#include "msg/new_session_ticket.h"
#include "msg/server_hello.h"

namespace tls13::hs {

namespace {

using msg::ExtensionType;
using msg::HandshakeType;

enum class State { wait_ch, wait_ch2, wait_eoed, wait_cert, wait_cv, wait_finished, connected };

// What the ClientHello asks for, decoded once.
struct Offer {
  std::vector<NamedGroup> groups;
  msg::KeyShareClientHello shares;
  std::vector<SignatureScheme> sigalgs;
  std::optional<std::vector<SignatureScheme>> sigalgs_cert;
  std::string sni;
  std::vector<std::string> alpn;
  std::optional<msg::Cookie> cookie;
  std::optional<std::uint16_t> record_size_limit;
  bool key_share = false;  // supported_groups and key_share were sent
  std::vector<msg::PskKeyExchangeMode> psk_modes;
  std::optional<msg::OfferedPsks> psks;
  bool early_data = false;
};

// What to answer a ClientHello with: the suite, the PSK and its mode if
// one is used, the group unless psk_ke, and whether a HelloRetryRequest
// must first ask for a key share.
struct Plan {
  CipherSuite suite{};
  std::optional<ServerPsk> psk;
  std::optional<PskKeyExchangeMode> mode;
  std::optional<NamedGroup> group;
  bool hello_retry = false;
};

class ServerHandshake final : public Handshake {
 public:
  ServerHandshake(std::shared_ptr<const ServerConfig> cfg, ServerOptions options)
      : cfg_(std::move(cfg)), opt_(std::move(options)) {}

  Result<void> start(Io&) override { return ok(); }
  Result<void> on_message(Io& io, const RawMessage& m) override;
  bool change_cipher_spec_allowed() const override {
    // D.4: the client's CCS comes after its first ClientHello and before
    // its Finished.
    return state_ == State::wait_ch2 || state_ == State::wait_eoed || state_ == State::wait_cert ||
           state_ == State::wait_cv || state_ == State::wait_finished;
  }
  Result<void> update_keys(Io& io, bool request_peer_update) override {
    if (!app_) return Error(Alert::internal_error, "KeyUpdate before the handshake completed");
    return app_->send_key_update(io, request_peer_update);
  }
  Result<void> export_keying_material(std::string_view label, std::span<const std::uint8_t> context,
                                      std::span<std::uint8_t> out) const override {
    if (app_) return app_->export_keying_material(label, context, out);
    // Half-RTT: exporter_master_secret exists once our Finished is out.
    if (exporter_) return ks::export_keying_material(*exporter_, label, context, out);
    return Error(Alert::internal_error, "exporter before the handshake completed");
  }
  Result<void> export_early_keying_material(std::string_view label,
                                            std::span<const std::uint8_t> context,
                                            std::span<std::uint8_t> out) const override {
    if (!early_exporter_)
      return Error(Alert::internal_error, "no early exporter: the client's first PSK not accepted");
    return ks::export_keying_material(*early_exporter_, label, context, out);
  }
  std::size_t max_message_size() const override {
    return state_ == State::wait_cert || pha_.awaiting_certificate()
               ? std::max(cfg_->limits.max_certificate_message, cfg_->limits.max_handshake_message)
               : cfg_->limits.max_handshake_message;
  }
  Result<void> request_client_auth(Io& io) override {
    if (state_ != State::connected)
      return Error(Alert::internal_error, "CertificateRequest before the handshake completed");
    // §4.2.6: never to a client that did not offer post_handshake_auth.
    if (!io.info().post_handshake_auth)
      return Error(Alert::internal_error, "the client did not offer post_handshake_auth");
    return pha_.request(io, *cfg_, transcript_);
  }
  Result<void> issue_tickets(Io& io, unsigned n) override {
    if (state_ != State::connected)
      return Error(Alert::internal_error, "NewSessionTicket before the handshake completed");
    if (!cfg_->ticket_keys) return Error(Alert::internal_error, "no ticket keys configured");
    return tickets_->send(io, *cfg_, n);
  }
  std::unique_ptr<Handshake> connected_state() override {
    // Post-handshake authentication needs the transcript: keep everything.
    if (state_ != State::connected || pha_possible_) return nullptr;
    return make_connected_server(cfg_, std::move(*tickets_), std::move(*app_),
                                 std::move(early_exporter_));
  }

 private:
  Result<void> on_client_hello(Io& io, const RawMessage& m);
  Result<Offer> read_offer(const msg::ClientHello& ch) const;
  Result<void> send_hello_retry_request(Io& io, const msg::ClientHello& ch, NamedGroup group);
  Result<Plan> plan(Io& io, const msg::ClientHello& ch, const Offer& offer) const;
  Result<void> send_flight(Io& io, const msg::ClientHello& ch, const RawMessage& m,
                           const Offer& offer, Plan plan);
  Result<void> on_end_of_early_data(Io& io, const RawMessage& m);
  Result<void> on_finished(Io& io, const RawMessage& m);
  Result<void> on_client_certificate(Io& io, const RawMessage& m);
  Result<void> on_client_certificate_verify(Io& io, const RawMessage& m);
  Result<void> send_ticket(Io& io);
  Result<void> on_post_handshake(Io& io, const RawMessage& m);
  void log(Io& io, std::string_view label, const ks::TrafficSecret& s) {
    io.log_secret(label, client_random_, s.span());
    io.trace_secret(label);
  }

  std::shared_ptr<const ServerConfig> cfg_;
  ServerOptions opt_;
  State state_ = State::wait_ch;
  ks::Transcript transcript_;
  std::optional<crypto::SuiteInfo> suite_;
  msg::Random client_random_{};
  std::optional<NamedGroup> hrr_group_;
  std::vector<std::uint8_t> hrr_cookie_;
  FirstClientHello first_hello_;  // while waiting for the second
  bool sent_ccs_ = false;

  std::optional<ks::TrafficSecret> client_hs_;
  std::optional<ks::TrafficSecret> client_ap_;
  std::optional<ks::TrafficSecret> server_ap_;
  std::optional<ks::MasterSecret> master_;
  std::optional<ServerTickets> tickets_;              // once connected
  std::optional<ks::ExporterMasterSecret> exporter_;  // until connected
  std::optional<ks::EarlyExporterMasterSecret> early_exporter_;
  std::optional<ApplicationKeys> app_;  // once connected

  bool cert_requested_ = false;                  // CertificateRequest in the handshake
  std::optional<crypto::PublicKey> client_key_;  // from the client's Certificate
  PostHandshakeAuthServer pha_;
  bool client_can_resume_ = false;  // the client lists a PSK mode we accept
  bool pha_possible_ = false;       // the client offered post_handshake_auth
};

std::string as_string(wire::Bytes b) {
  return std::string(b.begin(), b.end());
}

Result<Offer> ServerHandshake::read_offer(const msg::ClientHello& ch) const {
  Offer o;
  const auto& ext = ch.extensions;
  // §4.2.9: a PSK offer needs psk_key_exchange_modes.
  if (ext.contains(ExtensionType::pre_shared_key) &&
      !ext.contains(ExtensionType::psk_key_exchange_modes))
    return Error(Alert::missing_extension, "pre_shared_key without psk_key_exchange_modes");
  // §4.2.11: pre_shared_key, when present, is the last extension.
  if (auto i = ext.index_of(static_cast<std::uint16_t>(ExtensionType::pre_shared_key));
      i && *i + 1 != ext.size())
    return Error(Alert::illegal_parameter, "pre_shared_key is not the last extension");

  auto groups = ext.get<msg::NamedGroupList>();
  if (!groups) return std::move(groups).error();
  auto shares = ext.get<msg::KeyShareClientHello>();
  if (!shares) return std::move(shares).error();
  // §9.2: without a PSK, supported_groups and key_share are both required
  // (with one, only if the PSK is refused or used with (EC)DHE: plan()).
  if (groups->has_value() != shares->has_value() ||
      (!groups->has_value() && !ext.contains(ExtensionType::pre_shared_key)))
    return Error(Alert::missing_extension, "ClientHello lacks supported_groups or key_share");
  o.key_share = groups->has_value();
  if (o.key_share) {
    o.groups = (*groups)->named_group_list;
    o.shares = std::move(**shares);
  }
  for (std::size_t i = 0; i < o.shares.client_shares.size(); ++i) {
    const NamedGroup g = o.shares.client_shares[i].group;
    // §4.2.8: shares only for offered groups, at most one per group.
    if (!hs::contains<NamedGroup>(o.groups, g))
      return Error(Alert::illegal_parameter, "key_share for a group not in supported_groups");
    for (std::size_t j = 0; j < i; ++j)
      if (o.shares.client_shares[j].group == g)
        return Error(Alert::illegal_parameter, "two key shares for one group");
  }
  auto sigs = ext.get<msg::SignatureSchemeList>();
  if (!sigs) return std::move(sigs).error();
  if (!sigs->has_value())
    return Error(Alert::missing_extension, "ClientHello lacks signature_algorithms");
  o.sigalgs = (*sigs)->supported_signature_algorithms;
  auto sigs_cert = ext.get<msg::SignatureSchemeListCert>();
  if (!sigs_cert) return std::move(sigs_cert).error();
  if (sigs_cert->has_value()) o.sigalgs_cert = (*sigs_cert)->supported_signature_algorithms;

  auto sni = ext.get<msg::ServerNameList>();
  if (!sni) return std::move(sni).error();
  if (sni->has_value()) {
    if (auto h = (*sni)->host_name()) o.sni = as_string(*h);
  }
  auto alpn = ext.get<msg::ProtocolNameList>();
  if (!alpn) return std::move(alpn).error();
  if (alpn->has_value())
    for (const auto& p : (*alpn)->protocol_name_list) o.alpn.push_back(as_string(p));
  auto cookie = ext.get<msg::Cookie>();
  if (!cookie) return std::move(cookie).error();
  if (cookie->has_value()) o.cookie = **cookie;
  auto limit = ext.get<msg::RecordSizeLimit>();  // < 64: illegal_parameter
  if (!limit) return std::move(limit).error();
  if (limit->has_value()) o.record_size_limit = (*limit)->limit;
  auto modes = ext.get<msg::PskKeyExchangeModes>();
  if (!modes) return std::move(modes).error();
  if (modes->has_value()) o.psk_modes = (*modes)->ke_modes;
  auto psks = ext.get<msg::OfferedPsks>();
  if (!psks) return std::move(psks).error();
  o.psks = std::move(*psks);
  auto early = ext.get<msg::EarlyDataIndication>();
  if (!early) return std::move(early).error();
  o.early_data = early->has_value();
  return o;
}

Result<void> ServerHandshake::on_client_hello(Io& io, const RawMessage& m) {
  msg::DecodeLimits lim;
  lim.max_extensions = cfg_->limits.max_extensions;
  // Appendix D.5: SSL 3.0 and older hellos get protocol_version.
  if (auto v = msg::peek_legacy_version(m.body); v && *v <= 0x0300)
    return Error(Alert::protocol_version, "ClientHello legacy_version is SSL 3.0 or older");
  auto ch = msg::ClientHello::decode(m.body, lim);
  if (!ch) {
    // A TLS 1.2-or-older hello without extensions cannot offer TLS 1.3.
    if (msg::is_extensionless_client_hello(m.body))
      return Error(Alert::protocol_version, "the client does not offer TLS 1.3");
    return std::move(ch).error();
  }

  // §4.2.1: TLS 1.3 is negotiated only through supported_versions.
  auto sv = ch->extensions.get<msg::SupportedVersionsClientHello>();
  if (!sv) return std::move(sv).error();
  if (!sv->has_value() || !(*sv)->offers(msg::kTls13))
    return Error(Alert::protocol_version, "the client does not offer TLS 1.3");
  if (!ch->null_compression_only())
    return Error(Alert::illegal_parameter, "ClientHello offers compression");  // §4.1.2
  auto offer = read_offer(*ch);
  if (!offer) return std::move(offer).error();
  client_can_resume_ = select_psk_mode(cfg_->psk_modes, offer->psk_modes).has_value();

  if (state_ == State::wait_ch2) {
    // §4.1.2: the second ClientHello answers the HelloRetryRequest.
    if (!hs::contains<CipherSuite>(ch->cipher_suites, suite_->suite))
      return Error(Alert::illegal_parameter,
                   "second ClientHello no longer offers the HelloRetryRequest's cipher suite");
    if (!offer->shares.find(*hrr_group_) || offer->shares.client_shares.size() != 1)
      return Error(Alert::illegal_parameter,
                   "second ClientHello does not carry exactly the requested key share");
    const bool cookie_ok =
        hrr_cookie_.empty() ? !offer->cookie
                            : offer->cookie && std::equal(offer->cookie->cookie.begin(),
                                                          offer->cookie->cookie.end(),
                                                          hrr_cookie_.begin(), hrr_cookie_.end());
    if (!cookie_ok) return Error(Alert::illegal_parameter, "second ClientHello cookie mismatch");
    if (offer->early_data)  // §4.1.2: the client removes it
      return Error(Alert::illegal_parameter, "early_data in the second ClientHello");
    TLS13_TRY(check_second_client_hello(first_hello_, *ch, lim));
    first_hello_ = {};
    if (io.tracing()) io.trace_message(false, "ClientHello", "second, after HelloRetryRequest");
    auto p = plan(io, *ch, *offer);
    if (!p) return std::move(p).error();
    return send_flight(io, *ch, m, *offer, std::move(p).value());
  }

  auto p = plan(io, *ch, *offer);
  if (!p) return std::move(p).error();
  client_random_ = ch->random;
  suite_ = crypto::suite_info(p->suite);
  transcript_ = ks::Transcript(suite_->hash);
  if (io.tracing())
    io.trace_message(
        false, "ClientHello",
        "suites=" + std::to_string(ch->cipher_suites.size()) +
            (offer->sni.empty() ? "" : " sni=" + offer->sni) +
            (offer->psks ? " psks=" + std::to_string(offer->psks->identities.size()) : "") +
            (offer->early_data ? " early_data" : ""));
  if (p->hello_retry) {
    // The client waits for our answer: nothing can follow its ClientHello.
    if (io.handshake_bytes_buffered() > 0)
      return Error(Alert::unexpected_message, "handshake data after the first ClientHello");
    first_hello_.body.assign(m.body.begin(), m.body.end());
    if (p->psk) first_hello_.psk_identity = p->psk->identity;
    transcript_.add(m.full);
    // §4.2.10: a HelloRetryRequest rejects 0-RTT; skip the early records.
    if (offer->early_data) {
      io.info().early_data = EarlyDataStatus::rejected;
      io.expect_early_data(rejected_early_data_limit(*cfg_, p->psk ? &*p->psk : nullptr), false);
    }
    return send_hello_retry_request(io, *ch, *p->group);
  }
  return send_flight(io, *ch, m, *offer, std::move(p).value());
}

// The cipher suite, PSK (§4.2.11) and key exchange (§4.2.9) for a
// ClientHello: a usable PSK picks a suite of its hash (the ticket's own
// suite when possible, as 0-RTT needs); (EC)DHE needs a group, and a key
// share for it or a HelloRetryRequest.
Result<Plan> ServerHandshake::plan(Io& io, const msg::ClientHello& ch, const Offer& offer) const {
  Plan p;
  std::vector<CipherSuite> common;  // ours, most preferred first, that the client offers
  if (state_ == State::wait_ch2) {
    common.push_back(suite_->suite);
  } else {
    for (CipherSuite s : cfg_->cipher_suites)
      if (crypto::suite_info(s) && hs::contains<CipherSuite>(ch.cipher_suites, s))
        common.push_back(s);
  }
  if (common.empty()) return Error(Alert::handshake_failure, "no cipher suite in common");
  p.suite = common.front();
  // client_auth_on_resumption: every connection must show a certificate,
  // which a PSK handshake cannot carry (§4.3.2).
  const bool decline_psk = cfg_->client_auth != ClientAuth::none && cfg_->client_auth_on_resumption;
  if (offer.psks && !decline_psk) p.mode = select_psk_mode(cfg_->psk_modes, offer.psk_modes);
  if (p.mode) {
    std::vector<crypto::HashId> hashes;
    for (CipherSuite s : common) hashes.push_back(crypto::suite_info(s)->hash);
    const std::int64_t now = io.now();
    TicketOpener open = opt_.open_ticket;
    if (!open && cfg_->ticket_keys)
      open = [keys = cfg_->ticket_keys.get(), now](std::span<const std::uint8_t> id) {
        return open_ticket(*keys, id, now);
      };
    p.psk = find_server_psk(*cfg_, *offer.psks, offer.sni, now, hashes, open);
  }
  if (p.psk) {
    for (CipherSuite s : common)
      if (crypto::suite_info(s)->hash == p.psk->hash) {
        p.suite = s;
        break;
      }
    if (p.psk->ticket && hs::contains<CipherSuite>(common, p.psk->ticket->suite))
      p.suite = p.psk->ticket->suite;
  } else {
    p.mode.reset();
  }
  if (p.psk && p.mode == PskKeyExchangeMode::psk_ke) return p;
  if (!offer.key_share)
    return Error(Alert::missing_extension, "ClientHello lacks supported_groups or key_share");
  if (state_ == State::wait_ch2) {
    p.group = *hrr_group_;
    return p;
  }
  std::vector<NamedGroup> share_groups;
  for (const auto& s : offer.shares.client_shares) share_groups.push_back(s.group);
  auto group = select_group(cfg_->groups, offer.groups, share_groups);
  if (!group) return Error(Alert::handshake_failure, "no key exchange group in common");
  p.group = group->group;
  p.hello_retry = group->need_hello_retry;
  return p;
}

Result<void> ServerHandshake::send_hello_retry_request(Io& io, const msg::ClientHello& ch,
                                                       NamedGroup group) {
  hrr_group_ = group;
  io.info().hello_retry_request = true;
  msg::ServerHello hrr;
  hrr.random = msg::kHelloRetryRequestRandom;
  hrr.legacy_session_id_echo = ch.legacy_session_id;
  hrr.cipher_suite = suite_->suite;
  hrr.extensions.add(msg::KeyShareHelloRetryRequest{group});
  hrr.extensions.add(msg::SupportedVersionsServerHello{msg::kTls13});
  if (cfg_->hrr_cookie) {
    hrr_cookie_.resize(opt_.cookie_length);
    io.random().fill(hrr_cookie_);
    hrr.extensions.add(msg::Cookie{hrr_cookie_});
  }
  reorder_extensions(hrr.extensions, opt_.hello_retry_request_order);
  TLS13_TRY(transcript_.replace_with_message_hash());
  TLS13_TRY(send_message(io, transcript_, hrr, "group=" + std::string(to_string(group)),
                         "HelloRetryRequest"));
  if (!ch.legacy_session_id.empty()) {  // D.4: MUST when the client sent a session ID
    io.send_change_cipher_spec();
    sent_ccs_ = true;
  }
  state_ = State::wait_ch2;
  return ok();
}

Result<void> ServerHandshake::send_flight(Io& io, const msg::ClientHello& ch, const RawMessage& m,
                                          const Offer& offer, Plan plan) {
  // §4.2.11: the binder is checked before anything else about the PSK is
  // trusted; the ClientHello is not yet in the transcript (it covers the
  // messages before it).
  if (plan.psk) {
    msg::DecodeLimits lim;
    lim.max_extensions = cfg_->limits.max_extensions;
    TLS13_TRY(verify_binder(*plan.psk, *offer.psks, transcript_, m.full, lim));
  }
  auto pha = ch.extensions.get<msg::PostHandshakeAuth>();  // §4.2.6: empty body
  if (!pha) return std::move(pha).error();
  transcript_.add(m.full);
  const auto ch_hash = transcript_.current_hash();  // early secrets (§7.1)
  const bool first_hello = !hrr_group_;
  const bool resumed = plan.psk.has_value();  // PSK: no certificate (§2.2)
  // Certificate: one whose key can sign a scheme the client accepts, and
  // whose names cover the SNI if any does. None with a PSK.
  const CertifiedKey* chosen = nullptr;
  std::optional<SignatureScheme> scheme;
  for (int pass = 0; pass < 2 && !chosen && !resumed; ++pass) {
    for (const auto& c : cfg_->certificates) {
      if (pass == 0 && !offer.sni.empty() && !c->matches_name(offer.sni)) continue;
      auto s =
          select_scheme<>(std::span<const SignatureScheme>(signing_preferences(*cfg_)),
                          std::span<const SignatureScheme>(offer.sigalgs), [&](SignatureScheme x) {
                            return crypto::handshake_scheme(x) && c->impl().key.compatible(x);
                          });
      if (s) {
        chosen = c.get();
        scheme = s;
        break;
      }
    }
  }
  if (!chosen && !resumed)
    return Error(Alert::handshake_failure, "no certificate fits the client's signature_algorithms");
  auto alpn = select_alpn(cfg_->alpn, offer.alpn, cfg_->alpn_required);
  if (!alpn) return std::move(alpn).error();
  // §4.2.10: 0-RTT only on the first ClientHello (early_data.h has the rest).
  const std::uint32_t early_max =
      offer.early_data && first_hello && plan.psk
          ? accept_early_data(*cfg_, *plan.psk, suite_->suite, *alpn, io.now())
          : 0;

  msg::ServerHello sh;
  io.random().fill(sh.random);
  std::optional<crypto::KeyShare> share;
  std::optional<SecretBytes> shared;
  if (plan.group) {  // (EC)DHE: not with psk_ke
    auto generated = crypto::KeyShare::generate(*plan.group, io.random());
    if (!generated) return std::move(generated).error();
    share.emplace(std::move(generated).value());
    auto derived = share->derive(offer.shares.find(*plan.group)->key_exchange);
    if (!derived) return std::move(derived).error();
    shared.emplace(std::move(derived).value());
  }

  auto& info = io.info();
  info.version = msg::kTls13;
  info.cipher_suite = suite_->suite;
  info.group = plan.group;
  info.server_name = offer.sni;
  info.alpn = *alpn;
  info.signature_scheme = scheme;
  info.psk = plan.psk ? plan.psk->type : PskType::none;
  info.resumed = info.psk == PskType::resumption;
  if (plan.psk && plan.psk->ticket) restore_client_identity(*plan.psk->ticket, info);
  info.post_handshake_auth = pha->has_value();
  if (offer.early_data)
    info.early_data = early_max ? EarlyDataStatus::accepted : EarlyDataStatus::rejected;

  sh.legacy_session_id_echo = ch.legacy_session_id;
  sh.cipher_suite = suite_->suite;
  if (share) sh.extensions.add(msg::KeyShareServerHello{{*plan.group, share->public_key()}});
  sh.extensions.add(msg::SupportedVersionsServerHello{msg::kTls13});
  if (plan.psk) sh.extensions.add(msg::PreSharedKeyServerHello{plan.psk->index});
  reorder_extensions(sh.extensions, opt_.server_hello_order);
  // Trace summaries are built only for a listener (they cost allocations).
  TLS13_TRY(send_message(
      io, transcript_, sh,
      !io.tracing()
          ? std::string()
          : std::string(to_string(suite_->suite)) +
                (plan.group ? " key_share=" + std::string(to_string(*plan.group)) : " psk_ke") +
                (plan.psk ? " psk=" + std::to_string(plan.psk->index) : "")));
  if (!ch.legacy_session_id.empty() && !sent_ccs_) {  // D.4
    io.send_change_cipher_spec();
    sent_ccs_ = true;
  }

  auto early = plan.psk ? ks::EarlySecret::from_psk(suite_->hash, plan.psk->key.span())
                        : ks::EarlySecret::no_psk(suite_->hash);
  // The early exporter over ClientHello1, when the client's first PSK won.
  if (plan.psk && plan.psk->index == 0 && first_hello)
    early_exporter_.emplace(early.early_exporter_master_secret(ch_hash));
  std::optional<ks::TrafficSecret> client_early;
  if (early_max) {
    client_early.emplace(early.client_early_traffic_secret(ch_hash));
    log(io, "CLIENT_EARLY_TRAFFIC_SECRET", *client_early);
    io.log_secret("EARLY_EXPORTER_SECRET", client_random_, early_exporter_->span());
  }
  auto hs_secret =
      std::move(early).handshake(shared ? shared->span() : std::span<const std::uint8_t>{});
  const auto th = transcript_.current_hash();
  client_hs_.emplace(hs_secret.client_handshake_traffic_secret(th));
  auto server_hs = hs_secret.server_handshake_traffic_secret(th);
  log(io, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", *client_hs_);
  log(io, "SERVER_HANDSHAKE_TRAFFIC_SECRET", server_hs);
  TLS13_TRY(io.install_write_secret(*suite_, server_hs, Epoch::handshake));

  msg::EncryptedExtensions ee;
  if (opt_.advertised_groups) ee.extensions.add(msg::NamedGroupList{*opt_.advertised_groups});
  if (opt_.record_size_limit && offer.record_size_limit) {
    ee.extensions.add(msg::RecordSizeLimit{*opt_.record_size_limit});
    io.set_record_size_limits(*opt_.record_size_limit, *offer.record_size_limit);
  }
  if (!alpn->empty()) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(alpn->data());
    ee.extensions.add(msg::ProtocolNameList{{std::span(p, alpn->size())}});
  }
  if (!offer.sni.empty()) ee.extensions.add(ExtensionType::server_name, {});
  if (early_max) ee.extensions.add(msg::EarlyDataIndication{});
  ee.extensions.own();
  TLS13_TRY(send_message(io, transcript_, ee, alpn->empty() ? "" : "alpn=" + *alpn));

  // §4.3.2: after EncryptedExtensions, and never with a PSK.
  cert_requested_ = !resumed && cfg_->client_auth != ClientAuth::none;
  if (cert_requested_) TLS13_TRY(send_certificate_request(io, transcript_, *cfg_, {}));

  if (!resumed) {
    msg::Certificate cert;
    const auto& chain = opt_.certificate_chain ? *opt_.certificate_chain : chosen->chain_der();
    for (const auto& der : chain) cert.certificate_list.push_back({der, {}});
    TLS13_TRY(add_certificate_status(*cfg_, *chosen, ch.extensions, cert.certificate_list.front()));
    TLS13_TRY(send_message(io, transcript_, cert,
                           io.tracing() ? std::to_string(chain.size()) + " certificate(s)" : ""));

    const auto content = crypto::certificate_verify_input(crypto::CertificateVerifySide::server,
                                                          transcript_.current_hash().span());
    auto sig =
        opt_.signer ? opt_.signer(*scheme, content) : chosen->impl().key.sign(*scheme, content);
    if (!sig) return std::move(sig).error();
    TLS13_TRY(send_message(io, transcript_, msg::CertificateVerify{*scheme, *sig},
                           io.tracing() ? std::string(to_string(*scheme)) : ""));
  }

  const auto verify = ks::finished_verify_data(server_hs, transcript_.current_hash());
  TLS13_TRY(send_message(io, transcript_, msg::Finished{verify.span()}, "server verify_data"));

  master_.emplace(std::move(hs_secret).master());
  const auto th2 = transcript_.current_hash();
  client_ap_.emplace(master_->client_application_traffic_secret_0(th2));
  server_ap_.emplace(master_->server_application_traffic_secret_0(th2));
  log(io, "CLIENT_TRAFFIC_SECRET_0", *client_ap_);
  log(io, "SERVER_TRAFFIC_SECRET_0", *server_ap_);
  exporter_.emplace(master_->exporter_master_secret(th2));
  io.log_secret("EXPORTER_SECRET", client_random_, exporter_->span());
  if (early_max) {  // early data, then EndOfEarlyData, under the early key
    TLS13_TRY(io.install_read_secret(*suite_, *client_early, Epoch::early));
    io.expect_early_data(early_max, true);
    state_ = State::wait_eoed;
  } else {
    TLS13_TRY(io.install_read_secret(*suite_, *client_hs_, Epoch::handshake));
    if (offer.early_data)
      io.expect_early_data(rejected_early_data_limit(*cfg_, plan.psk ? &*plan.psk : nullptr),
                           false);
    state_ = cert_requested_ ? State::wait_cert : State::wait_finished;
  }
  TLS13_TRY(io.install_write_secret(*suite_, *server_ap_, Epoch::application));
  return ok();
}

Result<void> ServerHandshake::on_client_certificate(Io& io, const RawMessage& m) {
  auto key = read_client_certificate(io, *cfg_, m, {});
  if (!key) return std::move(key).error();
  transcript_.add(m.full);
  client_key_ = std::move(*key);
  // An empty Certificate has no CertificateVerify (§4.4.3).
  state_ = client_key_ ? State::wait_cv : State::wait_finished;
  return ok();
}

Result<void> ServerHandshake::on_client_certificate_verify(Io& io, const RawMessage& m) {
  TLS13_TRY(verify_client_certificate_verify(io, *cfg_, *client_key_, m, transcript_));
  transcript_.add(m.full);
  state_ = State::wait_finished;
  return ok();
}

// §4.5: the end of accepted early data; the client's handshake key follows.
Result<void> ServerHandshake::on_end_of_early_data(Io& io, const RawMessage& m) {
  auto eoed = msg::EndOfEarlyData::decode(m.body);
  if (!eoed) return std::move(eoed).error();
  transcript_.add(m.full);
  if (io.tracing()) io.trace_message(false, "EndOfEarlyData", "");
  TLS13_TRY(io.install_read_secret(*suite_, *client_hs_, Epoch::handshake));
  state_ = cert_requested_ ? State::wait_cert : State::wait_finished;
  return ok();
}

Result<void> ServerHandshake::on_finished(Io& io, const RawMessage& m) {
  auto fin = msg::Finished::decode(m.body, crypto::hash_length(suite_->hash));
  if (!fin) return std::move(fin).error();
  TLS13_TRY(ks::verify_finished(*client_hs_, transcript_.current_hash(), fin->verify_data));
  transcript_.add(m.full);
  if (io.tracing()) io.trace_message(false, "Finished", "client verify_data valid");
  if (!io.info().resumed) io.info().client_auth = client_key_.has_value();  // else the ticket's
  client_key_.reset();
  tickets_.emplace(*suite_, master_->resumption_master_secret(transcript_.current_hash()),
                   client_can_resume_);
  master_.reset();
  pha_possible_ = io.info().post_handshake_auth;
  TLS13_TRY(io.install_read_secret(*suite_, *client_ap_, Epoch::application));
  app_.emplace(*suite_, std::move(*client_ap_), std::move(*server_ap_), std::move(*exporter_));
  exporter_.reset();
  client_ap_.reset();
  server_ap_.reset();
  client_hs_.reset();
  state_ = State::connected;
  io.handshake_complete();
  if (opt_.ticket) return send_ticket(io);
  return tickets_->send(io, *cfg_, cfg_->tickets);
}

Result<void> ServerHandshake::send_ticket(Io& io) {
  msg::NewSessionTicket nst;
  nst.ticket_lifetime = opt_.ticket->lifetime;
  std::uint8_t age_add[4];
  io.random().fill(age_add);
  for (std::uint8_t b : age_add) nst.ticket_age_add = (nst.ticket_age_add << 8) | b;
  nst.ticket_nonce = opt_.ticket->nonce;
  nst.ticket = opt_.ticket->ticket;
  if (opt_.ticket->max_early_data_size)
    nst.extensions.add(msg::EarlyDataNewSessionTicket{*opt_.ticket->max_early_data_size});
  return send_new_session_ticket(io, nst);
}

Result<void> ServerHandshake::on_post_handshake(Io& io, const RawMessage& m) {
  if (pha_.takes(m.type)) return pha_.on_message(io, *cfg_, m, app_->read_secret());
  if (static_cast<HandshakeType>(m.type) != HandshakeType::key_update)
    return unexpected(m.type, "connected");
  return app_->on_key_update(io, m);
}

Result<void> ServerHandshake::on_message(Io& io, const RawMessage& m) {
  const auto type = static_cast<HandshakeType>(m.type);
  switch (state_) {
    case State::wait_ch:
    case State::wait_ch2:
      if (type == HandshakeType::client_hello) return on_client_hello(io, m);
      return unexpected(m.type, "waiting for ClientHello");
    case State::wait_eoed:
      if (type == HandshakeType::end_of_early_data) return on_end_of_early_data(io, m);
      return unexpected(m.type, "waiting for EndOfEarlyData");
    case State::wait_cert:
      if (type == HandshakeType::certificate) return on_client_certificate(io, m);
      return unexpected(m.type, "waiting for the client's Certificate");
    case State::wait_cv:
      if (type == HandshakeType::certificate_verify) return on_client_certificate_verify(io, m);
      return unexpected(m.type, "waiting for the client's CertificateVerify");
    case State::wait_finished:
      if (type == HandshakeType::finished) return on_finished(io, m);
      return unexpected(m.type, "waiting for the client's Finished");
    case State::connected:
      return on_post_handshake(io, m);
  }
  return unexpected(m.type, "in an unknown state");
}

}  // namespace

std::unique_ptr<Handshake> make_server_handshake(std::shared_ptr<const ServerConfig> config,
                                                 ServerOptions options) {
  return std::make_unique<ServerHandshake>(std::move(config), std::move(options));
}

}  // namespace tls13::hs
