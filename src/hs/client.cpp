// The client state machine (RFC 8446 §4, Appendix A.1):
//
//   START -> WAIT_SH -> WAIT_EE -> WAIT_CERT_CR -> WAIT_CERT -> WAIT_CV
//         -> WAIT_FINISHED -> CONNECTED
//
// A HelloRetryRequest loops back to WAIT_SH once.
#include <algorithm>
#include <optional>
#include <string>

#include "base/ct.h"
#include "base/small_vector.h"
#include "conn/credentials_impl.h"
#include "crypto/key_exchange.h"
#include "crypto/signature.h"
#include "crypto/x509.h"
#include "hs/application_keys.h"
#include "hs/certificate_check.h"
#include "hs/certificate_status.h"
#include "hs/client_auth.h"
#include "hs/common.h"
#include "hs/connected.h"
#include "hs/negotiation.h"
#include "hs/psk.h"
#include "keysched/transcript.h"
#include "msg/certificate.h"
#include "msg/certificate_request.h"
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
#include "msg/grease.h"
#include "msg/handshake.h"
#include "msg/legacy_hello.h"
#include "msg/new_session_ticket.h"
#include "msg/server_hello.h"

namespace tls13::hs {

namespace {

using msg::ExtensionType;
using msg::HandshakeType;

enum class State {
  start,
  wait_sh,
  wait_ee,
  wait_cert_cr,
  wait_cert,
  wait_cv,
  wait_finished,
  connected
};

constexpr std::uint8_t kDowngradeTls12[8] = {0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01};
constexpr std::uint8_t kDowngradeTls11[8] = {0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x00};

class ClientHandshake final : public Handshake {
 public:
  ClientHandshake(std::shared_ptr<const ClientConfig> cfg, std::string server_name,
                  ClientOptions options)
      : cfg_(std::move(cfg)), server_name_(std::move(server_name)), opt_(std::move(options)) {}

  Result<void> start(Io& io) override;
  Result<void> on_message(Io& io, const RawMessage& m) override;
  bool change_cipher_spec_allowed() const override {
    return state_ != State::start && state_ != State::connected;
  }
  Result<void> update_keys(Io& io, bool request_peer_update) override {
    if (!app_) return Error(Alert::internal_error, "KeyUpdate before the handshake completed");
    return app_->send_key_update(io, request_peer_update);
  }
  Result<void> export_keying_material(std::string_view label, std::span<const std::uint8_t> context,
                                      std::span<std::uint8_t> out) const override {
    if (!app_) return Error(Alert::internal_error, "exporter before the handshake completed");
    return app_->export_keying_material(label, context, out);
  }
  Result<void> export_early_keying_material(std::string_view label,
                                            std::span<const std::uint8_t> context,
                                            std::span<std::uint8_t> out) const override {
    if (!early_exporter_)
      return Error(Alert::internal_error,
                   "no early exporter: no PSK offered, or the server did not select the first");
    return ks::export_keying_material(*early_exporter_, label, context, out);
  }
  std::unique_ptr<Handshake> connected_state() override {
    // Post-handshake authentication needs the transcript: keep everything.
    if (state_ != State::connected || cfg_->post_handshake_auth) return nullptr;
    return make_connected_client(cfg_, std::move(server_name_), std::move(*tickets_),
                                 std::move(*app_), std::move(early_exporter_));
  }
  std::size_t max_message_size() const override {
    return state_ == State::wait_cert_cr || state_ == State::wait_cert
               ? cfg_->limits.max_certificate_message
               : cfg_->limits.max_handshake_message;
  }

 private:
  Result<void> send_client_hello(Io& io, std::optional<NamedGroup> hrr_group,
                                 std::span<const std::uint8_t> cookie);
  Result<void> start_early_data(Io& io);
  bool offered_mode(PskKeyExchangeMode m) const;
  Result<void> on_server_hello(Io& io, const RawMessage& m);
  Result<void> on_hello_retry_request(Io& io, const msg::ServerHello& hrr, const RawMessage& m);
  Result<void> on_encrypted_extensions(Io& io, const RawMessage& m);
  Result<void> on_certificate_request(Io& io, const RawMessage& m);
  Result<void> on_certificate(Io& io, const RawMessage& m);
  Result<void> on_certificate_verify(Io& io, const RawMessage& m);
  Result<void> on_finished(Io& io, const RawMessage& m);
  Result<void> start_handshake_writes(Io& io);  // D.4 CCS, then client_handshake keys
  Result<void> on_post_handshake(Io& io, const RawMessage& m);
  Error check_downgrade(const msg::ServerHello& sh) const;
  Result<void> check_common_hello(const msg::ServerHello& sh, bool hrr) const;
  void log(Io& io, std::string_view label, const ks::TrafficSecret& s) {
    io.log_secret(label, random_, s.span());
    io.trace_secret(label);
  }

  std::shared_ptr<const ClientConfig> cfg_;
  std::string server_name_;
  ClientOptions opt_;
  State state_ = State::start;

  msg::Random random_{};
  std::array<std::uint8_t, 32> session_id_{};
  std::size_t session_id_len_ = 0;
  std::vector<crypto::KeyShare> shares_;
  // Our ClientHello's extension types: inline, as our own list is short.
  SmallVector<std::uint16_t, 24> sent_extensions_;
  ks::Transcript transcript_;
  std::optional<crypto::SuiteInfo> suite_;
  bool hrr_ = false;
  bool sent_ccs_ = false;

  std::optional<ks::HandshakeSecret> hs_secret_;
  std::optional<ks::TrafficSecret> client_hs_;
  std::optional<ks::TrafficSecret> server_hs_;
  std::optional<ApplicationKeys> app_;
  std::optional<ClientTickets> tickets_;  // once connected

  // The PSKs offered (RFC 8446 §4.2.11): a ticket from the session cache,
  // then external PSKs; the one the server selected.
  std::vector<ClientPsk> psks_;
  std::optional<std::uint16_t> selected_psk_;
  bool psk_modes_sent_ = false;  // kept in a second ClientHello (§4.1.2)
  bool early_offered_ = false;   // early_data in the first ClientHello
  bool hs_write_ = false;        // writing under client_handshake_traffic_secret
  std::optional<ks::EarlyExporterMasterSecret> early_exporter_;

  std::optional<CertificateRequestInfo> cert_request_;  // in the handshake
  std::optional<crypto::PublicKey> peer_key_;
};

// ------------------------------------------------------------ ClientHello --

Result<void> ClientHandshake::start(Io& io) {
  // Without a name the chain could be verified but not tied to the server
  // we meant to reach: refuse rather than half-verify.
  if (cfg_->verify_peer && server_name_.empty())
    return Error(Alert::internal_error,
                 "a server name (host name or IP address) is needed to verify the server");
  io.random().fill(random_);
  if (cfg_->middlebox_compat) {
    // Appendix D.4: a non-empty legacy_session_id puts the client in
    // compatibility mode.
    io.random().fill(session_id_);
    session_id_len_ = session_id_.size();
  }
  for (NamedGroup g : cfg_->key_share_groups) {
    if (!crypto::key_exchange_supported(g)) continue;
    auto share = crypto::KeyShare::generate(g, io.random());
    if (!share) return std::move(share).error();
    shares_.push_back(std::move(share).value());
  }
  if (shares_.empty() && cfg_->groups.empty())
    return Error(Alert::internal_error, "client configured with no usable group");
  io.info().server_name = server_name_;
  std::optional<StoredSession> ticket;
  if (cfg_->session_cache && !server_name_.empty())
    ticket = cfg_->session_cache->take(server_name_);
  psks_ = client_psks(*cfg_, std::move(ticket), io.now_ms());
  // §4.2.9: the modes also tell the server which tickets we could use; some
  // servers (BoringSSL) issue none to a client that does not send them.
  psk_modes_sent_ = !psks_.empty() || cfg_->session_cache != nullptr;
  // §4.2.10: 0-RTT under the first PSK, a ticket that allows it, when the
  // application has early data to send.
  if (io.early_data_requested() && !psks_.empty()) {
    const auto& t = psks_.front();
    early_offered_ = t.type == PskType::resumption && t.max_early_data_size > 0 &&
                     hs::contains<CipherSuite>(cfg_->cipher_suites, t.suite);
  }
  if (early_offered_) TLS13_TRY(recheck_resumption(*cfg_, psks_.front()));
  TLS13_TRY(send_client_hello(io, std::nullopt, {}));
  TLS13_TRY(start_early_data(io));
  state_ = State::wait_sh;
  return ok();
}

bool ClientHandshake::offered_mode(PskKeyExchangeMode m) const {
  if (!opt_.psk_modes.empty())
    return std::find(opt_.psk_modes.begin(), opt_.psk_modes.end(), static_cast<std::uint8_t>(m)) !=
           opt_.psk_modes.end();
  return hs::contains<PskKeyExchangeMode>(cfg_->psk_modes, m);
}

// The early secrets of the first PSK over ClientHello1 (§7.1): the early
// exporter whenever a PSK is offered; with 0-RTT also the early traffic key,
// which protects what write_early_data() sends from now on.
Result<void> ClientHandshake::start_early_data(Io& io) {
  if (psks_.empty()) return ok();
  const auto& p = psks_.front();
  const auto ch_hash = transcript_.hash_with(p.hash, {});
  const auto early = ks::EarlySecret::from_psk(p.hash, p.key.span());
  early_exporter_.emplace(early.early_exporter_master_secret(ch_hash));
  if (!early_offered_) return ok();
  const auto traffic = early.client_early_traffic_secret(ch_hash);
  log(io, "CLIENT_EARLY_TRAFFIC_SECRET", traffic);
  io.log_secret("EARLY_EXPORTER_SECRET", random_, early_exporter_->span());
  // D.4: with early data the CCS comes right after the first ClientHello.
  if (cfg_->middlebox_compat && !sent_ccs_) {
    io.send_change_cipher_spec();
    sent_ccs_ = true;
  }
  TLS13_TRY(io.install_write_secret(*crypto::suite_info(p.suite), traffic, Epoch::early));
  io.open_early_data(p.max_early_data_size);
  return ok();
}

Result<void> ClientHandshake::send_client_hello(Io& io, std::optional<NamedGroup> hrr_group,
                                                std::span<const std::uint8_t> cookie) {
  msg::ClientHello ch;
  ch.random = random_;
  ch.legacy_session_id = std::span(session_id_).first(session_id_len_);
  const std::uint16_t grease = msg::grease_value(random_[0]);
  if (cfg_->grease) ch.cipher_suites.push_back(static_cast<CipherSuite>(grease));
  for (CipherSuite s : cfg_->cipher_suites)
    if (crypto::suite_info(s)) ch.cipher_suites.push_back(s);

  auto& ext = ch.extensions;
  if (cfg_->grease) ext.add(grease, {});
  const bool is_ip = server_name_.find(':') != std::string::npos ||
                     std::all_of(server_name_.begin(), server_name_.end(),
                                 [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
  // RFC 6066 §3: literal IP addresses are not sent as server names.
  if (cfg_->send_sni && !server_name_.empty() && !is_ip) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(server_name_.data());
    ext.add(msg::ServerNameList::for_host(std::span(p, server_name_.size())));
  }
  msg::NamedGroupList groups;
  if (cfg_->grease) groups.named_group_list.push_back(static_cast<NamedGroup>(grease));
  if (opt_.advertised_groups) {
    groups.named_group_list.insert(groups.named_group_list.end(), opt_.advertised_groups->begin(),
                                   opt_.advertised_groups->end());
  } else {
    for (NamedGroup g : cfg_->groups)
      if (crypto::key_exchange_supported(g)) groups.named_group_list.push_back(g);
  }
  ext.add(groups);

  if (hrr_group) {
    shares_.clear();
    auto share = crypto::KeyShare::generate(*hrr_group, io.random());
    if (!share) return std::move(share).error();
    shares_.push_back(std::move(share).value());
  }
  msg::KeyShareClientHello ks;
  for (const auto& s : shares_) ks.client_shares.push_back({s.group(), s.public_key()});
  ext.add(ks);

  msg::SupportedVersionsClientHello sv;
  if (cfg_->grease) sv.versions.push_back(grease);
  sv.versions.push_back(msg::kTls13);
  ext.add(sv);

  msg::SignatureSchemeList sigs;
  sigs.supported_signature_algorithms = cfg_->signature_schemes;
  ext.add(sigs);

  std::vector<std::vector<std::uint8_t>> alpn_storage;
  if (!cfg_->alpn.empty()) {
    msg::ProtocolNameList alpn;
    for (const auto& p : cfg_->alpn)
      alpn.protocol_name_list.push_back(
          std::span(reinterpret_cast<const std::uint8_t*>(p.data()), p.size()));
    ext.add(alpn);
  }
  if (!cookie.empty()) ext.add(msg::Cookie{cookie});
  if (!opt_.psk_modes.empty()) {
    msg::PskKeyExchangeModes modes;
    for (std::uint8_t m : opt_.psk_modes)
      modes.ke_modes.push_back(static_cast<msg::PskKeyExchangeMode>(m));
    ext.add(modes);
  } else if (psk_modes_sent_) {
    msg::PskKeyExchangeModes modes;
    for (PskKeyExchangeMode m : cfg_->psk_modes)
      modes.ke_modes.push_back(static_cast<msg::PskKeyExchangeMode>(m));
    ext.add(modes);
  }
  // §4.2.10: never in the ClientHello after a HelloRetryRequest.
  if (early_offered_ && !hrr_) ext.add(msg::EarlyDataIndication{});
  if (opt_.record_size_limit) ext.add(msg::RecordSizeLimit{*opt_.record_size_limit});
  if (cfg_->post_handshake_auth) {
    ext.add(msg::PostHandshakeAuth{});  // §4.2.6
    io.info().post_handshake_auth = true;
  }
  add_status_requests(*cfg_, ext);
  for (const auto& [type, body] : opt_.extra_extensions) ext.add(type, body);
  reorder_extensions(ext, opt_.extension_order);
  const bool padding = opt_.pad_to_512 || cfg_->padding;

  std::string summary;
  if (io.tracing()) {
    summary = "suites=" + std::to_string(ch.cipher_suites.size()) + " key_share=";
    for (const auto& s : shares_) summary += std::string(to_string(s.group())) + " ";
    if (!server_name_.empty()) summary += "sni=" + server_name_;
    if (!psks_.empty()) summary += " psks=" + std::to_string(psks_.size());
    if (early_offered_ && !hrr_) summary += " early_data";
  }
  if (!psks_.empty()) {
    // pre_shared_key goes last, with binders over the hello itself.
    auto bytes = encode_client_hello_with_psks(ch, psks_, transcript_, io.now_ms(),
                                               opt_.ticket_age_ms, padding);
    if (!bytes) return std::move(bytes).error();
    sent_extensions_.clear();
    for (const auto& e : ext) sent_extensions_.push_back(e.type);
    transcript_.add(*bytes);
    io.send_handshake(*bytes);
    if (io.tracing()) io.trace_message(true, "ClientHello", summary);
    return ok();
  }
  if (padding) TLS13_TRY(pad_client_hello(ch, 0));
  sent_extensions_.clear();
  for (const auto& e : ext) sent_extensions_.push_back(e.type);
  ext.own();
  return send_message(io, transcript_, ch, summary);
}

// ------------------------------------------------------------ ServerHello --

// A ServerHello for TLS 1.2 or older: §4.1.3 sentinels, else
// protocol_version (we speak only TLS 1.3). Always an error.
Error ClientHandshake::check_downgrade(const msg::ServerHello& sh) const {
  const auto tail = std::span(sh.random).last(8);
  if (std::equal(tail.begin(), tail.end(), kDowngradeTls12) ||
      std::equal(tail.begin(), tail.end(), kDowngradeTls11))
    return Error(Alert::illegal_parameter, "ServerHello carries a downgrade sentinel");
  return Error(Alert::protocol_version, "the server does not speak TLS 1.3");
}

Result<void> ClientHandshake::check_common_hello(const msg::ServerHello& sh, bool hrr) const {
  // §4.1.3 / §4.2.1: the version is in supported_versions, and only 1.3.
  auto sv = sh.extensions.get<msg::SupportedVersionsServerHello>();
  if (!sv) return std::move(sv).error();
  if (!sv->has_value()) return check_downgrade(sh);
  if ((*sv)->selected_version != msg::kTls13)
    return Error(Alert::illegal_parameter, "ServerHello selects a version that was not offered");
  const auto echo = sh.legacy_session_id_echo;
  if (echo.size() != session_id_len_ || !std::equal(echo.begin(), echo.end(), session_id_.begin()))
    return Error(Alert::illegal_parameter, "ServerHello does not echo our legacy_session_id");
  if (!hs::contains<CipherSuite>(cfg_->cipher_suites, sh.cipher_suite) ||
      !crypto::suite_info(sh.cipher_suite))
    return Error(Alert::illegal_parameter,
                 "ServerHello selects a cipher suite that was not offered");
  if (suite_ && suite_->suite != sh.cipher_suite)
    return Error(Alert::illegal_parameter,
                 "ServerHello cipher suite differs from the HelloRetryRequest's");
  SmallVector<std::uint16_t, 25> allowed;
  for (std::uint16_t t : sent_extensions_) allowed.push_back(t);
  // The cookie is the one extension a server may send unsolicited (§4.2.2).
  if (hrr) allowed.push_back(static_cast<std::uint16_t>(ExtensionType::cookie));
  return check_solicited(sh.extensions, allowed, hrr ? "HelloRetryRequest" : "ServerHello");
}

Result<void> ClientHandshake::on_server_hello(Io& io, const RawMessage& m) {
  // Appendix D.5: SSL 3.0 and older get protocol_version. Beyond that,
  // legacy_version is ignored once supported_versions is present (§4.2.1).
  if (auto v = msg::peek_legacy_version(m.body); v && *v <= 0x0300)
    return Error(Alert::protocol_version, "ServerHello legacy_version is SSL 3.0 or older");
  msg::DecodeLimits lim;
  lim.max_extensions = cfg_->limits.max_extensions;
  auto sh = msg::ServerHello::decode(m.body, lim);
  if (!sh) {
    // A TLS 1.2-or-older ServerHello without extensions: check the downgrade
    // sentinel (§4.1.3), else the server does not speak TLS 1.3.
    if (auto random = msg::extensionless_server_hello_random(m.body)) {
      msg::ServerHello legacy;
      legacy.random = *random;
      return check_downgrade(legacy);
    }
    return std::move(sh).error();
  }
  if (sh->is_hello_retry_request()) return on_hello_retry_request(io, *sh, m);
  TLS13_TRY(check_common_hello(*sh, false));

  auto psk = sh->extensions.get<msg::PreSharedKeyServerHello>();
  if (!psk) return std::move(psk).error();
  if (psk->has_value()) {
    if (psks_.empty())
      return Error(Alert::unsupported_extension, "ServerHello selects a PSK that was not offered");
    // §4.2.11: an identity we offered, with a suite of the PSK's hash.
    const std::uint16_t i = (*psk)->selected_identity;
    if (i >= psks_.size())
      return Error(Alert::illegal_parameter, "ServerHello selects a PSK identity not offered");
    if (psks_[i].hash != crypto::suite_info(sh->cipher_suite)->hash)
      return Error(Alert::illegal_parameter,
                   "ServerHello selects a PSK with a cipher suite of another hash");
    selected_psk_ = i;
  }
  // The early exporter holds only if the server took our first PSK.
  if (selected_psk_ != std::uint16_t{0}) early_exporter_.reset();
  auto ks = sh->extensions.get<msg::KeyShareServerHello>();
  if (!ks) return std::move(ks).error();
  // §4.2.9: without a key_share the server chose psk_ke, which needs a PSK
  // and our offer of that mode; with one, (EC)DHE (psk_dhe_ke with a PSK).
  if (!ks->has_value() && !(selected_psk_ && offered_mode(PskKeyExchangeMode::psk_ke)))
    return Error(Alert::missing_extension, "ServerHello has no key_share");
  if (ks->has_value() && selected_psk_ && !offered_mode(PskKeyExchangeMode::psk_dhe_ke))
    return Error(Alert::illegal_parameter,
                 "ServerHello has a key_share, but we offered the PSK without (EC)DHE only");
  std::optional<SecretBytes> shared;
  std::optional<NamedGroup> group;
  if (ks->has_value()) {
    const auto& entry = (*ks)->server_share;
    const crypto::KeyShare* mine = nullptr;
    for (const auto& s : shares_)
      if (s.group() == entry.group) mine = &s;
    if (!mine)
      return Error(Alert::illegal_parameter,
                   "ServerHello key_share is for a group we sent no share for");
    auto derived = mine->derive(entry.key_exchange);
    if (!derived) return std::move(derived).error();
    shared.emplace(std::move(derived).value());
    group = entry.group;
  }
  // The ephemeral keys have done their work: free them now, not with the
  // connection (an idle connection should hold little, issue 6).
  shares_.clear();
  shares_.shrink_to_fit();

  suite_ = crypto::suite_info(sh->cipher_suite);
  TLS13_TRY(transcript_.set_hash(suite_->hash));
  transcript_.add(m.full);
  auto& info = io.info();
  info.version = msg::kTls13;
  info.cipher_suite = suite_->suite;
  info.group = group;
  info.psk = selected_psk_ ? psks_[*selected_psk_].type : PskType::none;
  info.resumed = info.psk == PskType::resumption;
  if (io.tracing())
    io.trace_message(false, "ServerHello",
                     std::string(to_string(suite_->suite)) +
                         (group ? " key_share=" + std::string(to_string(*group)) : " psk_ke") +
                         (selected_psk_ ? " psk=" + std::to_string(*selected_psk_) : ""));

  auto early = selected_psk_
                   ? ks::EarlySecret::from_psk(suite_->hash, psks_[*selected_psk_].key.span())
                   : ks::EarlySecret::no_psk(suite_->hash);
  hs_secret_.emplace(
      std::move(early).handshake(shared ? shared->span() : std::span<const std::uint8_t>{}));
  const auto th = transcript_.current_hash();
  client_hs_.emplace(hs_secret_->client_handshake_traffic_secret(th));
  server_hs_.emplace(hs_secret_->server_handshake_traffic_secret(th));
  log(io, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", *client_hs_);
  log(io, "SERVER_HANDSHAKE_TRAFFIC_SECRET", *server_hs_);
  TLS13_TRY(io.install_read_secret(*suite_, *server_hs_, Epoch::handshake));
  // The server now reads us under client_handshake_traffic_secret (§2, §7.3):
  // an alert about its flight must be protected too. With 0-RTT possibly
  // accepted the early key stays until EndOfEarlyData.
  if (!early_offered_ || hrr_) TLS13_TRY(start_handshake_writes(io));
  state_ = State::wait_ee;
  return ok();
}

Result<void> ClientHandshake::on_hello_retry_request(Io& io, const msg::ServerHello& hrr,
                                                     const RawMessage& m) {
  if (hrr_) return Error(Alert::unexpected_message, "a second HelloRetryRequest");
  TLS13_TRY(check_common_hello(hrr, true));
  auto cookie = hrr.extensions.get<msg::Cookie>();
  if (!cookie) return std::move(cookie).error();
  auto ks = hrr.extensions.get<msg::KeyShareHelloRetryRequest>();
  if (!ks) return std::move(ks).error();
  std::optional<NamedGroup> group;
  if (ks->has_value()) {
    group = (*ks)->selected_group;
    const bool offered =
        hs::contains<NamedGroup>(cfg_->groups, *group) && crypto::key_exchange_supported(*group);
    bool have_share = false;
    for (const auto& s : shares_) have_share = have_share || s.group() == *group;
    if (!offered || have_share)
      return Error(Alert::illegal_parameter,
                   "HelloRetryRequest selects a group that was not offered or already shared");
  } else if (!cookie->has_value()) {
    return Error(Alert::illegal_parameter, "HelloRetryRequest would not change the ClientHello");
  }

  hrr_ = true;
  io.info().hello_retry_request = true;
  suite_ = crypto::suite_info(hrr.cipher_suite);
  // §4.1.4: PSKs whose hash the chosen suite does not share are dropped;
  // §4.2.10: 0-RTT ends here (rejected), back to plaintext records.
  keep_psks_of_hash(psks_, suite_->hash);
  early_exporter_.reset();
  if (early_offered_) {
    io.info().early_data = EarlyDataStatus::rejected;
    io.reset_write_protection();
  }
  TLS13_TRY(transcript_.set_hash(suite_->hash));
  TLS13_TRY(transcript_.replace_with_message_hash());
  transcript_.add(m.full);
  if (io.tracing())
    io.trace_message(false, "HelloRetryRequest",
                     std::string(to_string(hrr.cipher_suite)) +
                         (group ? " group=" + std::string(to_string(*group)) : "") +
                         (cookie->has_value() ? " cookie" : ""));
  if (cfg_->middlebox_compat && !sent_ccs_) {
    io.send_change_cipher_spec();
    sent_ccs_ = true;
  }
  std::vector<std::uint8_t> cookie_copy;
  if (cookie->has_value()) cookie_copy.assign((*cookie)->cookie.begin(), (*cookie)->cookie.end());
  TLS13_TRY(send_client_hello(io, group, cookie_copy));
  return ok();
}

// ---------------------------------------------------- encrypted messages --

Result<void> ClientHandshake::on_encrypted_extensions(Io& io, const RawMessage& m) {
  msg::DecodeLimits lim;
  lim.max_extensions = cfg_->limits.max_extensions;
  auto ee = msg::EncryptedExtensions::decode(m.body, lim);
  if (!ee) return std::move(ee).error();
  TLS13_TRY(check_solicited(ee->extensions, sent_extensions_, "EncryptedExtensions"));
  if (auto sni = ee->extensions.find(ExtensionType::server_name); sni && !sni->body.empty())
    return Error(Alert::decode_error, "server_name in EncryptedExtensions must be empty");
  // supported_groups here only informs later connections (§4.2.7); it must
  // still parse.
  auto groups = ee->extensions.get<msg::NamedGroupList>();
  if (!groups) return std::move(groups).error();
  auto limit = ee->extensions.get<msg::RecordSizeLimit>();  // < 64: illegal_parameter
  if (!limit) return std::move(limit).error();
  if (limit->has_value())
    io.set_record_size_limits(opt_.record_size_limit.value_or(msg::kMaxRecordSizeLimitTls13),
                              (*limit)->limit);
  auto alpn = ee->extensions.get<msg::ProtocolNameList>();
  if (!alpn) return std::move(alpn).error();
  if (alpn->has_value()) {
    // RFC 7301 §3.1: exactly one protocol, and one we offered.
    const auto& names = (*alpn)->protocol_name_list;
    if (names.size() != 1)
      return Error(Alert::illegal_parameter, "ALPN response must name exactly one protocol");
    const std::string chosen(names[0].begin(), names[0].end());
    if (!hs::contains<std::string>(cfg_->alpn, chosen))
      return Error(Alert::illegal_parameter, "server selected an ALPN protocol we did not offer");
    io.info().alpn = chosen;
  }
  auto early = early_data_outcome(ee->extensions, early_offered_, selected_psk_, psks_,
                                  suite_->suite, io.info().alpn);
  if (!early) return std::move(early).error();
  io.info().early_data = *early;
  // Rejected 0-RTT: what we send from now on (an alert too) is under the
  // handshake key, which the server reads; it drops early-key records.
  if (*early != EarlyDataStatus::accepted && !hs_write_) TLS13_TRY(start_handshake_writes(io));
  TLS13_TRY(recheck_resumed(*cfg_, psks_, selected_psk_, *early));
  transcript_.add(m.full);
  if (io.tracing())
    io.trace_message(false, "EncryptedExtensions",
                     (io.info().alpn.empty() ? "" : "alpn=" + io.info().alpn) +
                         (*early == EarlyDataStatus::accepted ? " early_data" : ""));
  // §2.2: a PSK handshake authenticates the server by the PSK; no
  // Certificate or CertificateVerify follows.
  state_ = selected_psk_ ? State::wait_finished : State::wait_cert_cr;
  return ok();
}

Result<void> ClientHandshake::on_certificate_request(Io& io, const RawMessage& m) {
  auto cr = read_certificate_request(m.body, cfg_->limits, false);
  if (!cr) return std::move(cr).error();
  cert_request_.emplace(std::move(cr).value());
  io.info().certificate_requested = true;
  transcript_.add(m.full);
  if (io.tracing())
    io.trace_message(false, "CertificateRequest",
                     std::to_string(cert_request_->authorities.size()) + " CA name(s)");
  state_ = State::wait_cert;
  return ok();
}

Result<void> ClientHandshake::on_certificate(Io& io, const RawMessage& m) {
  msg::DecodeLimits lim;
  lim.max_extensions = cfg_->limits.max_extensions;
  lim.max_certificate_entries = cfg_->limits.max_chain_length;
  auto cert = msg::Certificate::decode(m.body, lim);
  if (!cert) return std::move(cert).error();
  if (!cert->certificate_request_context.empty())
    return Error(Alert::illegal_parameter, "server Certificate has a request context");
  if (cert->certificate_list.empty())
    return Error(Alert::decode_error, "server sent an empty Certificate");  // §4.4.2.4
  SmallVector<std::span<const std::uint8_t>, 4> ders;  // a usual chain's length
  auto& info = io.info();
  info.peer_chain.clear();
  TLS13_TRY(read_certificate_status(*cfg_, *cert, info));
  for (const auto& entry : cert->certificate_list) {
    info.peer_chain.emplace_back(entry.cert_data.begin(), entry.cert_data.end());
    ders.push_back(entry.cert_data);
  }
  std::optional<crypto::Certificate> leaf;
  if (cfg_->verify_peer) {
    crypto::VerifyOptions opts;
    opts.host = server_name_;
    opts.purpose = crypto::CertificatePurpose::server_auth;
    opts.time = io.now();
    // The trust store remembers chains it verified: a known chain skips
    // parsing and path validation, never the time and host name checks.
    auto verified = crypto::verify_der_chain(trust_store(*cfg_), ders, opts);
    if (!verified) return std::move(verified).error();
    info.peer_verified = true;
    leaf.emplace(std::move(verified->leaf));
    peer_key_.emplace(std::move(verified->key));
  } else {
    for (const auto& der : ders) {
      auto c = crypto::Certificate::from_der(der);
      if (!c) return std::move(c).error();
      if (!leaf) leaf.emplace(std::move(c).value());
    }
    auto key = leaf->signing_key();
    if (!key) return std::move(key).error();
    peer_key_.emplace(std::move(key).value());
  }
  TLS13_TRY(run_certificate_check(cfg_->certificate_check, info.peer_chain));
  transcript_.add(m.full);
  if (io.tracing())
    io.trace_message(false, "Certificate",
                     std::to_string(ders.size()) + " certificate(s), leaf " + leaf->subject() +
                         (info.peer_verified ? ", verified" : ", NOT verified"));
  state_ = State::wait_cv;
  return ok();
}

Result<void> ClientHandshake::on_certificate_verify(Io& io, const RawMessage& m) {
  auto cv = msg::CertificateVerify::decode(m.body);
  if (!cv) return std::move(cv).error();
  // §4.4.3: a scheme we offered, usable in TLS 1.3 and fitting the key.
  if (!hs::contains<SignatureScheme>(cfg_->signature_schemes, cv->algorithm) ||
      !crypto::handshake_scheme(cv->algorithm) || !peer_key_->compatible(cv->algorithm))
    return Error(Alert::illegal_parameter,
                 "CertificateVerify uses a signature scheme that was not offered or does not fit "
                 "the certificate's key");
  const auto content = crypto::certificate_verify_input(crypto::CertificateVerifySide::server,
                                                        transcript_.current_hash().span());
  TLS13_TRY(peer_key_->verify(cv->algorithm, content, cv->signature));
  io.info().signature_scheme = cv->algorithm;
  transcript_.add(m.full);
  if (io.tracing())
    io.trace_message(false, "CertificateVerify",
                     std::string(to_string(cv->algorithm)) + ", signature valid");
  state_ = State::wait_finished;
  return ok();
}

Result<void> ClientHandshake::start_handshake_writes(Io& io) {
  if (cfg_->middlebox_compat && !sent_ccs_) {
    io.send_change_cipher_spec();
    sent_ccs_ = true;
  }
  hs_write_ = true;
  return io.install_write_secret(*suite_, *client_hs_, Epoch::handshake);
}

Result<void> ClientHandshake::on_finished(Io& io, const RawMessage& m) {
  auto fin = msg::Finished::decode(m.body, crypto::hash_length(suite_->hash));
  if (!fin) return std::move(fin).error();
  TLS13_TRY(ks::verify_finished(*server_hs_, transcript_.current_hash(), fin->verify_data));
  transcript_.add(m.full);
  if (io.tracing()) io.trace_message(false, "Finished", "server verify_data valid");

  auto master = std::move(*hs_secret_).master();
  hs_secret_.reset();
  const auto th = transcript_.current_hash();
  auto client_ap = master.client_application_traffic_secret_0(th);
  auto server_ap = master.server_application_traffic_secret_0(th);
  auto exporter = master.exporter_master_secret(th);
  log(io, "CLIENT_TRAFFIC_SECRET_0", client_ap);
  log(io, "SERVER_TRAFFIC_SECRET_0", server_ap);
  io.log_secret("EXPORTER_SECRET", random_, exporter.span());
  TLS13_TRY(io.install_read_secret(*suite_, server_ap, Epoch::application));

  if (!hs_write_) {
    // §4.5: accepted early data ends with EndOfEarlyData, under the early key.
    if (io.info().early_data == EarlyDataStatus::accepted)
      TLS13_TRY(send_message(io, transcript_, msg::EndOfEarlyData{}, ""));
    TLS13_TRY(start_handshake_writes(io));
  }
  if (cert_request_) {
    // §4.4.2: our Certificate (empty when none fits) and CertificateVerify.
    auto sent = send_client_certificate(io, transcript_, *cfg_, *cert_request_, opt_);
    if (!sent) return std::move(sent).error();
    io.info().client_auth = *sent;
  }
  const auto verify = ks::finished_verify_data(*client_hs_, transcript_.current_hash());
  TLS13_TRY(send_message(io, transcript_, msg::Finished{verify.span()}, "client verify_data"));
  std::optional<std::vector<std::vector<std::uint8_t>>> resumed_chain;
  if (selected_psk_ && cfg_->recheck_on_resumption)
    resumed_chain = psks_[*selected_psk_].peer_chain;
  tickets_.emplace(suite_->suite, master.resumption_master_secret(transcript_.current_hash()),
                   std::move(resumed_chain));
  TLS13_TRY(io.install_write_secret(*suite_, client_ap, Epoch::application));
  app_.emplace(*suite_, std::move(server_ap), std::move(client_ap), std::move(exporter));
  client_hs_.reset();
  server_hs_.reset();
  state_ = State::connected;
  io.handshake_complete();
  return ok();
}

// ---------------------------------------------------------- after it all --

Result<void> ClientHandshake::on_post_handshake(Io& io, const RawMessage& m) {
  switch (static_cast<HandshakeType>(m.type)) {
    case HandshakeType::new_session_ticket:
      return tickets_->on_ticket(io, *cfg_, server_name_, m);
    case HandshakeType::key_update:
      return app_->on_key_update(io, m);
    case HandshakeType::certificate_request:
      // §4.6.2: only after offering post_handshake_auth.
      if (!cfg_->post_handshake_auth)
        return Error(Alert::unexpected_message,
                     "CertificateRequest after the handshake, but post_handshake_auth was not "
                     "offered");
      return answer_post_handshake_request(io, transcript_, *cfg_, opt_, m, app_->write_secret());
    default:
      return unexpected(m.type, "connected");
  }
}

Result<void> ClientHandshake::on_message(Io& io, const RawMessage& m) {
  const auto type = static_cast<HandshakeType>(m.type);
  switch (state_) {
    case State::wait_sh:
      if (type == HandshakeType::server_hello) return on_server_hello(io, m);
      return unexpected(m.type, "waiting for ServerHello");
    case State::wait_ee:
      if (type == HandshakeType::encrypted_extensions) return on_encrypted_extensions(io, m);
      return unexpected(m.type, "waiting for EncryptedExtensions");
    case State::wait_cert_cr:
      if (type == HandshakeType::certificate_request) return on_certificate_request(io, m);
      [[fallthrough]];
    case State::wait_cert:
      if (type == HandshakeType::certificate) return on_certificate(io, m);
      return unexpected(m.type, "waiting for Certificate");
    case State::wait_cv:
      if (type == HandshakeType::certificate_verify) return on_certificate_verify(io, m);
      return unexpected(m.type, "waiting for CertificateVerify");
    case State::wait_finished:
      if (type == HandshakeType::finished) return on_finished(io, m);
      return unexpected(m.type, "waiting for Finished");
    case State::connected:
      return on_post_handshake(io, m);
    case State::start:
      break;
  }
  return unexpected(m.type, "not started");
}

}  // namespace

std::unique_ptr<Handshake> make_client_handshake(std::shared_ptr<const ClientConfig> config,
                                                 std::string server_name, ClientOptions options) {
  return std::make_unique<ClientHandshake>(std::move(config), std::move(server_name),
                                           std::move(options));
}

}  // namespace tls13::hs
