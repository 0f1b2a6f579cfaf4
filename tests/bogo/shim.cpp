// tls13-bogo-shim: drives tls13 through BoringSSL's BoGo test runner
// (ssl/test/runner, see its PORTING.md). For each test the runner starts the
// shim with flags; the shim connects to the runner over TCP, sends its shim
// id (8 bytes, little-endian), speaks TLS 1.3 as told, echoes application
// data XOR 0xFF, and exits 0 (pass), 89 (needs a feature we lack) or 1 with
// an error on stderr that the runner matches through config.json's ErrorMap.
// It uses the public API, plus the internal Connection seam for the two
// knobs the public API does not expose (sending an arbitrary alert, the
// record fragment size).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bogo/shim_config.h"
#include "bogo/shim_io.h"
#include "conn/connection_access.h"
#include "tls13/config.h"
#include "tls13/connection.h"
#include "tls13/credentials.h"

namespace bogo {
namespace {

constexpr std::uint16_t kTls13 = 0x0304;

// A check of the shim's own expectations failed (not a TLS error).
struct ShimFailure {
  std::string message;
};

// Keeps the tickets the library stores, newest last, and counts them so the
// client can check that a connection produced a new session (BoGo's
// got_new_session). take() hands out the newest, as BoringSSL's shim
// resumes the last session it got.
class CountingCache final : public tls13::SessionCache {
 public:
  void store(const std::string& name, tls13::StoredSession s) override {
    ++stored_;
    last_allows_early_data_ = s.max_early_data_size > 0;
    entries_.emplace_back(name, std::move(s));
    if (entries_.size() > 8) entries_.erase(entries_.begin());
  }
  std::optional<tls13::StoredSession> take(const std::string& name) override {
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
      if (it->first != name) continue;
      auto s = std::move(it->second);
      entries_.erase(std::next(it).base());
      return s;
    }
    return std::nullopt;
  }
  // The session take() would hand out next, if any.
  const tls13::StoredSession* peek(const std::string& name) const {
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it)
      if (it->first == name) return &it->second;
    return nullptr;
  }
  std::size_t stored() const { return stored_; }
  std::size_t size() const { return entries_.size(); }
  bool last_allows_early_data() const { return last_allows_early_data_; }

 private:
  bool last_allows_early_data_ = false;
  std::vector<std::pair<std::string, tls13::StoredSession>> entries_;
  std::size_t stored_ = 0;
};

// What a client knew about its session before the handshake, for the 0-RTT
// reason checks.
struct EarlyContext {
  bool session_offered = false;  // a ticket was there to offer
  bool session_allows = false;   // and it allows 0-RTT
  bool is_resume = false;
};

// State that outlives one connection: the resumption caches and the clock.
struct Shared {
  std::shared_ptr<CountingCache> sessions = std::make_shared<CountingCache>();
  std::shared_ptr<tls13::TicketKeyProvider> ticket_keys =
      std::make_shared<tls13::RotatingTicketKeys>(std::chrono::hours(24 * 30));
  std::shared_ptr<std::int64_t> clock_offset = std::make_shared<std::int64_t>(0);
  // The peer's CertificateVerify scheme of the last full handshake: a
  // resumed session reports it again, as BoringSSL's sessions do.
  std::optional<tls13::SignatureScheme> peer_signature_scheme;
  bool verify_failed = false;           // likewise the soft-fail verify result
  std::string ocsp_response, sct_list;  // and the stapled status
};

// BoringSSL's bounds where ours differ: it caps consecutive warning alerts
// at 4 and bounds the Certificate message only by its size.
void boringssl_limits(tls13::Limits& l, std::size_t max_cert_list) {
  l.max_warning_alerts = 4;
  l.max_chain_length = 1000;
  if (max_cert_list) {
    l.max_handshake_message = max_cert_list;
    l.max_certificate_message = max_cert_list;
  }
}

// ALPN as BoringSSL's -advertise-alpn gives it: length-prefixed names.
std::optional<std::vector<std::string>> parse_alpn_wire(const std::string& wire) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < wire.size()) {
    const std::size_t n = static_cast<unsigned char>(wire[i++]);
    if (n == 0 || i + n > wire.size()) return std::nullopt;
    out.push_back(wire.substr(i, n));
    i += n;
  }
  return out;
}

std::optional<tls13::NamedGroup> group_from_id(int id) {
  switch (id) {
    case 23:
      return tls13::NamedGroup::secp256r1;
    case 24:
      return tls13::NamedGroup::secp384r1;
    case 25:
      return tls13::NamedGroup::secp521r1;
    case 29:
      return tls13::NamedGroup::x25519;
    case 30:
      return tls13::NamedGroup::x448;
    default:
      return std::nullopt;
  }
}

// What the library cannot do for this connection's flags, or "" if it can.
std::string unsupported(const ShimConfig& c) {
  if (!c.unimplemented.empty()) return c.unimplemented;
  if (c.max_version != 0 && c.max_version < kTls13) return "TLS 1.2 and older (out of scope)";
  if (c.export_traffic_secrets) return "exporting traffic secrets";
  if (c.server && c.enable_grease) return "GREASE on the server side";
  for (int g : c.curves)
    if (!group_from_id(g)) return "group " + std::to_string(g);
  return "";
}

// BoringSSL's compliance policies restated as configuration: FIPS 202205
// allows AES-GCM, P-256/P-384 and RSA/ECDSA P-256/P-384 signatures; WPA3
// 192-bit (202304) AES-256-GCM, P-384 and SHA-384/512 signatures.
void apply_policy(const std::string& policy, tls13::CommonConfig& cfg) {
  using CS = tls13::CipherSuite;
  using G = tls13::NamedGroup;
  using S = tls13::SignatureScheme;
  if (policy.empty()) return;
  std::vector<CS> suites;
  std::vector<G> groups;
  std::vector<S> schemes;
  if (policy == "fips-202205") {
    suites = {CS::aes_128_gcm_sha256, CS::aes_256_gcm_sha384};
    groups = {G::secp256r1, G::secp384r1};
    schemes = {S::rsa_pkcs1_sha256,       S::rsa_pkcs1_sha384,       S::rsa_pkcs1_sha512,
               S::ecdsa_secp256r1_sha256, S::ecdsa_secp384r1_sha384, S::rsa_pss_rsae_sha256,
               S::rsa_pss_rsae_sha384,    S::rsa_pss_rsae_sha512};
  } else {
    suites = {CS::aes_256_gcm_sha384};
    groups = {G::secp384r1};
    schemes = {S::rsa_pkcs1_sha384, S::rsa_pkcs1_sha512, S::ecdsa_secp384r1_sha384,
               S::rsa_pss_rsae_sha384, S::rsa_pss_rsae_sha512};
  }
  auto keep = [](auto& have, const auto& allowed) {
    std::erase_if(have, [&](auto v) {
      return std::find(allowed.begin(), allowed.end(), v) == allowed.end();
    });
  };
  keep(cfg.cipher_suites, suites);
  keep(cfg.groups, groups);
  keep(cfg.signature_schemes, schemes);
  if (!cfg.signing_schemes.empty()) keep(cfg.signing_schemes, schemes);
}

// -verify-prefs: what we accept and advertise; -signing-prefs: what we sign
// with.
void set_schemes(const ShimConfig& c, tls13::CommonConfig& cfg) {
  auto to_schemes = [](const std::vector<int>& ids) {
    std::vector<tls13::SignatureScheme> out;
    // 0xff01 is BoringSSL's internal name for TLS 1.1's MD5+SHA-1
    // signatures, never sent on the wire.
    for (int s : ids)
      if (s != 0xff01) out.push_back(static_cast<tls13::SignatureScheme>(s));
    return out;
  };
  // BoringSSL's lists are independent: each one left out keeps its default.
  cfg.signing_schemes =
      c.signing_prefs.empty() ? tls13::default_signature_schemes() : to_schemes(c.signing_prefs);
  if (!c.verify_prefs.empty()) cfg.signature_schemes = to_schemes(c.verify_prefs);
}

// A trust anchor no runner certificate chains to.
tls13::Result<std::shared_ptr<const tls13::TrustAnchors>> unrelated_anchor() {
  auto other = tls13::CertifiedKey::self_signed({"unrelated.invalid"});
  if (!other) return std::move(other).error();
  return tls13::TrustAnchors::from_pem((*other)->leaf_pem());
}

// BoringSSL's certificate verify callback, as tls13's certificate_check: it
// refuses the chain under -verify-fail (handshake_failure from the legacy
// callback, certificate_unknown from the custom one) and must run once per
// handshake. After a client's 0-RTT rejection BoringSSL starts over with the
// retry flags, so the callback may run once more.
struct VerifyCallback {
  const ShimConfig* first = nullptr;
  const ShimConfig* retry = nullptr;
  const std::optional<tls13::Connection>* conn = nullptr;
  int calls[2] = {0, 0};  // before / after a 0-RTT rejection

  tls13::Result<void> operator()() {
    const bool rejected =
        conn && *conn && (*conn)->info().early_data == tls13::EarlyDataStatus::rejected;
    const ShimConfig& c = rejected ? *retry : *first;
    if (++calls[rejected ? 1 : 0] > 1)
      return tls13::Error(tls13::Alert::internal_error, "Certificate verified twice.");
    if (c.verify_fail) {
      // SSL_VERIFY_NONE: a client records the failure and carries on.
      if (c.server || c.verify_peer)
        return tls13::Error(c.use_custom_verify_callback ? tls13::Alert::certificate_unknown
                                                         : tls13::Alert::handshake_failure,
                            "certificate verify failed (the application's callback)");
      failed = true;
    }
    // A client's OCSP callback judges the stapled response (or its absence).
    if (!c.server && c.use_ocsp_callback && c.fail_ocsp_callback)
      return tls13::Error(tls13::Alert::bad_certificate_status_response, "OCSP callback failed");
    return tls13::ok();
  }
  bool failed = false;  // a soft failure was recorded
};

tls13::CertificateCheckFn certificate_check(std::shared_ptr<VerifyCallback> cb) {
  return [cb](std::span<const std::vector<std::uint8_t>>) { return (*cb)(); };
}

// Builds the per-connection configurations from the flags.
tls13::Result<std::shared_ptr<const tls13::ClientConfig>> client_config(
    const ShimConfig& c, const Shared& shared, std::shared_ptr<VerifyCallback> verify) {
  auto cfg = std::make_shared<tls13::ClientConfig>();
  if (!c.curves.empty()) {
    cfg->groups.clear();
    for (int g : c.curves) cfg->groups.push_back(*group_from_id(g));
    cfg->key_share_groups = {cfg->groups.front()};
  }
  set_schemes(c, *cfg);
  if (!c.advertise_alpn.empty()) {
    auto alpn = parse_alpn_wire(c.advertise_alpn);
    if (!alpn) return tls13::Error(tls13::Alert::internal_error, "malformed -advertise-alpn");
    cfg->alpn = *alpn;
  }
  if (!c.cert_file.empty()) {
    auto key = tls13::CertifiedKey::from_files(c.cert_file, c.key_file);
    if (!key) return std::move(key).error();
    cfg->certificates = {*key};
  }
  cfg->verify_peer = c.verify_peer;
  if (c.verify_peer) {
    auto trust = tls13::TrustAnchors::from_file(c.trust_cert);
    if (!trust) return std::move(trust).error();
    cfg->trust = *trust;
  }
  // BoringSSL's client runs its verify callback with or without
  // -verify-peer (without, a failure is only recorded).
  cfg->certificate_check = certificate_check(std::move(verify));
  cfg->recheck_on_resumption = c.reverify_on_resume;
  cfg->request_ocsp = c.enable_ocsp_stapling;
  cfg->request_sct = c.enable_signed_cert_timestamps;
  apply_policy(c.compliance_policy, *cfg);
  if (!c.compliance_policy.empty() && c.curves.empty() && !cfg->groups.empty())
    cfg->key_share_groups = {cfg->groups.front()};
  cfg->grease = c.enable_grease;
  cfg->padding = true;  // BoringSSL pads ClientHellos by default
  cfg->send_sni = !c.host_name.empty();
  cfg->session_cache = shared.sessions;
  boringssl_limits(cfg->limits, c.max_cert_list);
  auto offset = shared.clock_offset;
  cfg->clock = [offset] { return static_cast<std::int64_t>(std::time(nullptr)) + *offset; };
  return std::shared_ptr<const tls13::ClientConfig>(std::move(cfg));
}

tls13::Result<std::shared_ptr<const tls13::ServerConfig>> server_config(
    const ShimConfig& c, const Shared& shared, std::shared_ptr<VerifyCallback> verify) {
  auto cfg = std::make_shared<tls13::ServerConfig>();
  auto key = tls13::CertifiedKey::from_files(c.cert_file, c.key_file);
  if (!key) return std::move(key).error();
  cfg->certificates = {*key};
  if (!c.curves.empty()) {
    cfg->groups.clear();
    for (int g : c.curves) cfg->groups.push_back(*group_from_id(g));
  }
  set_schemes(c, *cfg);
  apply_policy(c.compliance_policy, *cfg);
  // Client authentication: SSL_VERIFY_PEER asks for a certificate,
  // SSL_VERIFY_FAIL_IF_NO_PEER_CERT requires one. The runner's chain leads
  // to -trust-cert; without one (the runner sends no certificate) any
  // anchor does. BoringSSL sends no certificate_authorities unless told to.
  if (c.require_any_client_certificate) {
    cfg->client_auth = tls13::ClientAuth::required;
  } else if (c.verify_peer) {
    cfg->client_auth = tls13::ClientAuth::optional;
  }
  if (cfg->client_auth != tls13::ClientAuth::none) {
    auto trust =
        c.trust_cert.empty() ? unrelated_anchor() : tls13::TrustAnchors::from_file(c.trust_cert);
    if (!trust) return std::move(trust).error();
    cfg->client_trust = *trust;
    cfg->send_certificate_authorities = false;
    cfg->client_certificate_check = certificate_check(std::move(verify));
  }
  // Stapled status; BoringSSL's legacy OCSP callback may set the response
  // itself, decline to staple or fail the handshake.
  if (!c.ocsp_response.empty() || !c.signed_cert_timestamps.empty() || c.use_ocsp_callback) {
    cfg->certificate_status =
        [c](const tls13::CertifiedKey&) -> tls13::Result<tls13::CertificateStatus> {
      tls13::CertificateStatus st;
      st.ocsp_response.assign(c.ocsp_response.begin(), c.ocsp_response.end());
      st.sct_list.assign(c.signed_cert_timestamps.begin(), c.signed_cert_timestamps.end());
      if (c.use_ocsp_callback && c.fail_ocsp_callback)
        return tls13::Error(tls13::Alert::internal_error, "OCSP callback failed");
      if (c.use_ocsp_callback && c.decline_ocsp_callback) st.ocsp_response.clear();
      return st;
    };
  }
  // BoringSSL's ALPN callback picks -select-alpn; without one, no ALPN.
  if (!c.select_alpn.empty() && !c.decline_alpn) cfg->alpn = {c.select_alpn};
  cfg->alpn_required = false;
  // SSL_OP_NO_TICKET: neither issue tickets nor accept them.
  if (!c.no_ticket) cfg->ticket_keys = shared.ticket_keys;
  cfg->tickets = 2;
  // BoringSSL's server accepts up to 14336 bytes of early data and allows a
  // ticket age skew of 60 s; its shim keeps no anti-replay state between
  // connections (a fresh store per connection does the same).
  if (c.enable_early_data) {
    cfg->max_early_data_size = 14336;
    cfg->early_data_window_ms = 60000;
  }
  boringssl_limits(cfg->limits, c.max_cert_list);
  auto offset = shared.clock_offset;
  cfg->clock = [offset] { return static_cast<std::int64_t>(std::time(nullptr)) + *offset; };
  return std::shared_ptr<const tls13::ServerConfig>(std::move(cfg));
}

// BoringSSL's name for why 0-RTT went as it did (SSL_early_data_reason_string);
// "" where the library does not tell (a server declining a resumption's
// early data over ALPN, ticket age or a ticket without 0-RTT).
std::string early_data_reason(const ShimConfig& c, const tls13::HandshakeInfo& info,
                              const EarlyContext& e) {
  using S = tls13::EarlyDataStatus;
  if (info.early_data == S::accepted) return "accept";
  if (!c.enable_early_data) return "disabled";
  if (c.server) {
    // BoringSSL looks at the session first, then at the client's offer.
    // The runner has no ticket to offer on the first connection; on later
    // ones we cannot tell a ticket we declined from none offered.
    if (!info.resumed) return e.is_resume ? "" : "no_session_offered";
    if (info.early_data == S::not_offered) return "peer_declined";
    return info.hello_retry_request ? "hello_retry_request" : "";
  }
  if (info.early_data == S::not_offered) {
    if (!e.session_offered) return "no_session_offered";
    if (!e.session_allows) return "unsupported_for_session";
    return "";
  }
  if (info.hello_retry_request) return "hello_retry_request";
  if (!info.resumed) return "session_not_resumed";
  return "peer_declined";
}

// Checks what the handshake negotiated against the test's expectations
// (BoGo's CheckHandshakeProperties, for what tls13 reports). `first`: not a
// client's retry after a 0-RTT rejection. A failure with an empty message
// means the check needs what the library does not report.
std::optional<ShimFailure> check_handshake(const ShimConfig& c, const tls13::HandshakeInfo& info,
                                           bool is_resume, bool first, const EarlyContext& early,
                                           bool verify_failed, Shared& shared) {
  auto fail = [](std::string m) { return std::optional<ShimFailure>(ShimFailure{std::move(m)}); };
  using S = tls13::EarlyDataStatus;
  if ((c.expect_accept_early_data && info.early_data != S::accepted) ||
      (c.expect_reject_early_data && info.early_data == S::accepted))
    return fail(std::string("Early data was") + (info.early_data == S::accepted ? "" : " not") +
                " accepted, but we expected the opposite");
  if (!c.expect_early_data_reason.empty()) {
    const std::string reason = early_data_reason(c, info, early);
    if (reason.empty()) return fail("");
    if (reason != c.expect_early_data_reason)
      return fail("Early data reason was \"" + reason + "\", expected \"" +
                  c.expect_early_data_reason + "\"");
  }
  if (!c.server && is_resume && first && c.expect_no_offer_early_data &&
      info.early_data != S::not_offered)
    return fail("Client unexpectedly offered early data.");
  if (c.expect_version && info.version != c.expect_version)
    return fail("wrong version " + std::to_string(info.version));
  const bool expect_resume = is_resume && !c.expect_session_miss;
  if (info.resumed != expect_resume)
    return fail(std::string("session unexpectedly was") + (info.resumed ? "" : " not") + " reused");
  if (!c.expect_server_name.empty() && info.server_name != c.expect_server_name)
    return fail("servername mismatch (got " + info.server_name + ")");
  const std::string& want_alpn = c.server ? c.select_alpn : c.expect_alpn;
  if (info.alpn != want_alpn) return fail("negotiated alpn proto mismatch: " + info.alpn);
  const auto& peer_scheme = c.server ? info.client_signature_scheme : info.signature_scheme;
  if (!info.resumed) shared.peer_signature_scheme = peer_scheme;
  const auto scheme = info.resumed ? shared.peer_signature_scheme : peer_scheme;
  if (c.expect_peer_signature_algorithm &&
      (!scheme || static_cast<int>(*scheme) != c.expect_peer_signature_algorithm))
    return fail("peer signature algorithm mismatch");
  if (c.expect_curve_id && (!info.group || static_cast<int>(*info.group) != c.expect_curve_id))
    return fail("curve_id mismatch");
  const int cipher = info.cipher_suite ? static_cast<int>(*info.cipher_suite) : 0;
  if (c.expect_cipher && cipher != c.expect_cipher) return fail("cipher mismatch");
  // tls13 prefers AES-GCM as a machine with AES instructions would.
  if (c.expect_cipher_aes && cipher != c.expect_cipher_aes) return fail("cipher mismatch (AES)");
  if (c.expect_hrr && !info.hello_retry_request) return fail("Got no HRR, but wanted opposite.");
  if (c.expect_no_hrr && info.hello_retry_request) return fail("Got HRR, but wanted opposite.");
  // A resumption carries no certificate; BoringSSL's session remembers the
  // peer's, ours does not.
  if ((!c.server || c.require_any_client_certificate) && !info.resumed && info.peer_chain.empty())
    return fail("Received no peer certificate but expected one.");
  // A server that got no certificate has nothing to verify (X509_V_OK).
  // Stapled status: a resumption reports the session's, as BoringSSL's does.
  if (!c.server && !info.resumed) {
    shared.ocsp_response.assign(info.ocsp_response.begin(), info.ocsp_response.end());
    shared.sct_list.assign(info.sct_list.begin(), info.sct_list.end());
  }
  if (!c.expect_ocsp_response.empty() &&
      (info.resumed ? shared.ocsp_response
                    : std::string(info.ocsp_response.begin(), info.ocsp_response.end())) !=
          c.expect_ocsp_response)
    return fail("OCSP response mismatch");
  if (!c.expect_signed_cert_timestamps.empty() &&
      (info.resumed ? shared.sct_list : std::string(info.sct_list.begin(), info.sct_list.end())) !=
          c.expect_signed_cert_timestamps)
    return fail("SCT list mismatch");
  // The verify result: a resumption reports the session's.
  if (!info.resumed && !c.server) shared.verify_failed = verify_failed;
  if (c.expect_verify_result && !c.server &&
      (info.resumed ? shared.verify_failed : verify_failed) != c.verify_fail)
    return fail("Wrong certificate verification result");
  if (c.expect_verify_result && c.verify_peer && !info.resumed && !info.peer_verified &&
      !(c.server && info.peer_chain.empty()))
    return fail("Wrong certificate verification result");
  if (!c.expect_peer_cert_file.empty() && !info.resumed) {
    if (pem_certificates(read_file(c.expect_peer_cert_file)) != info.peer_chain)
      return fail("Received a different certificate chain.");
  }
  return std::nullopt;
}

// The shim's command line, for the unimplemented log.
std::string g_command_line;

// Exits 89 with the reason on stderr, and appended with the command line to
// the file named by $TLS13_BOGO_UNIMPLEMENTED_LOG.
int unimplemented(const std::string& why) {
  std::fprintf(stderr, "unimplemented: %s\n", why.c_str());
  if (const char* log = std::getenv("TLS13_BOGO_UNIMPLEMENTED_LOG")) {
    if (std::FILE* f = std::fopen(log, "a")) {
      std::fprintf(f, "%s\t%s\n", why.c_str(), g_command_line.c_str());
      std::fclose(f);
    }
  }
  return kExitUnimplemented;
}

// One connection to the runner: handshake, checks, exchange, shutdown.
// `retry` takes over on a client whose 0-RTT was rejected (BoringSSL's shim
// resets the connection and carries on with the -on-retry- flags).
// Returns 0 (success), 1 (failure) or 89 (unimplemented).
int run_connection(const ShimConfig& first, const ShimConfig& retry, Shared& shared,
                   bool is_resume) {
  if (auto why = unsupported(first); !why.empty()) return unimplemented(why);
  if (first.min_version > kTls13) {
    std::fprintf(stderr, "no supported version in range\n");
    return 1;
  }

  static const std::uint8_t kHello[] = {'h', 'e', 'l', 'l', 'o'};
  std::optional<tls13::Connection> conn;
  auto verify = std::make_shared<VerifyCallback>();
  verify->first = &first;
  verify->retry = &retry;
  verify->conn = &conn;
  const std::size_t stored_before = shared.sessions->stored();
  EarlyContext early;
  early.is_resume = is_resume;
  std::size_t early_written = 0;
  if (first.server) {
    auto cfg = server_config(first, shared, verify);
    if (!cfg) return report(cfg.error());
    conn.emplace(tls13::Connection::server(*cfg));
  } else {
    auto cfg = client_config(first, shared, verify);
    if (!cfg) return report(cfg.error());
    if (is_resume && shared.sessions->size() == 0) {
      std::fprintf(stderr, "No session to offer.\n");
      return 1;
    }
    // Without -host-name nothing is sent as SNI; "test" is the name in the
    // runner's certificates and keys our session cache.
    const std::string name = first.host_name.empty() ? "test" : first.host_name;
    const auto* next = shared.sessions->peek(name);
    early.session_offered = next != nullptr;
    early.session_allows = next && next->max_early_data_size > 0;
    conn.emplace(tls13::Connection::client(*cfg, name));
    // 0-RTT: the runner expects "hello" as early data; what the ticket's
    // max_early_data_size leaves out follows the handshake.
    if (is_resume && first.enable_early_data && first.shim_writes_first) {
      auto r = conn->write_early_data(kHello);
      if (!r) return report(r.error());
      early_written = *r;
    }
  }
  if (first.max_send_fragment > 0)
    tls13::ConnectionAccess::impl(*conn).max_send_fragment =
        static_cast<std::size_t>(first.max_send_fragment);

  Transport t;
  if (!t.connect(first.port, first.ipv6, first.shim_id)) return 1;
  Driver d(t, *conn);
  // BoringSSL's client returns from the handshake while it sends 0-RTT and
  // exports there, before any keying material exists.
  if (early_written > 0 && first.export_keying_material > 0) {
    std::vector<std::uint8_t> ekm(static_cast<std::size_t>(first.export_keying_material));
    if (auto r = conn->export_keying_material(first.export_label, {}, ekm); !r)
      return report(r.error());
  }

  if (!d.handshake(first.server && first.enable_early_data)) return d.report_failure();
  const auto& info = conn->info();
  const ShimConfig* cp = &first;
  if (!first.server && info.early_data != tls13::EarlyDataStatus::not_offered) {
    if (info.early_data == tls13::EarlyDataStatus::rejected) {
      if (!first.expect_reject_early_data) {
        std::fprintf(stderr, "SSL error: early data rejected\n");
        return 1;
      }
      cp = &retry;  // the rejected data is gone; the retry starts afresh
      early_written = 0;
      if (auto why = unsupported(retry); !why.empty()) return unimplemented(why);
    } else if (first.expect_reject_early_data) {
      std::fprintf(stderr, "Unexpectedly received data instead of 0-RTT reject.\n");
      return 1;
    }
  }
  const ShimConfig& c = *cp;
  if (auto f = check_handshake(c, info, is_resume, cp == &first, early, verify->failed, shared)) {
    if (f->message.empty()) return unimplemented("the reason 0-RTT was rejected");
    std::fprintf(stderr, "%s\n", f->message.c_str());
    return 1;
  }

  if (c.export_keying_material > 0) {
    std::vector<std::uint8_t> ekm(static_cast<std::size_t>(c.export_keying_material));
    const auto* ctx = reinterpret_cast<const std::uint8_t*>(c.export_context.data());
    std::span<const std::uint8_t> context;
    if (c.use_export_context) context = std::span(ctx, c.export_context.size());
    if (auto r = conn->export_keying_material(c.export_label, context, ekm); !r)
      return report(r.error());
    if (!d.write(ekm)) return d.report_failure();
  }

  if (c.send_alert) {
    // BoGo's -send-alert: a fatal decompression_failure (30) after the
    // handshake; no public API sends an arbitrary alert.
    tls13::ConnectionAccess::impl(*conn).send_alert(static_cast<tls13::Alert>(30));
    d.flush();
    t.drain_and_close();
    return 0;
  }

  if (early_written > 0) {
    if (early_written < sizeof(kHello) && !d.write(std::span(kHello).subspan(early_written)))
      return d.report_failure();
  } else if (c.shim_writes_first && !d.write(kHello)) {
    return d.report_failure();
  }

  if (!c.shim_shuts_down) {
    const std::size_t read_size = c.read_size > 0 ? static_cast<std::size_t>(c.read_size) : 512;
    std::vector<std::uint8_t> buf(read_size);
    for (;;) {
      auto n = d.read(buf);
      if (!n) return d.report_failure();
      if (*n == 0) break;  // close_notify or end of stream
      if (c.key_update && conn->handshake_complete()) {
        if (auto r = conn->update_keys(false); !r) return report(r.error());
      }
      for (std::size_t i = 0; i < *n; ++i) buf[i] ^= 0xff;
      if (!d.write(std::span(buf.data(), *n))) return d.report_failure();
    }
  }
  if (!conn->handshake_complete()) {
    std::fprintf(stderr, "handshake was not completed\n");
    return 1;
  }

  if (!c.server) {
    const bool got_session = shared.sessions->stored() > stored_before;
    const bool expect_session = !c.expect_no_session && !c.shim_shuts_down;
    if (got_session != expect_session) {
      std::fprintf(stderr, "new session was%s cached, but we expected the opposite\n",
                   got_session ? "" : " not");
      return 1;
    }
    if (got_session &&
        shared.sessions->last_allows_early_data() != c.expect_ticket_supports_early_data) {
      std::fprintf(stderr, "new session did%s support early data, but we expected the opposite\n",
                   shared.sessions->last_allows_early_data() ? "" : " not");
      return 1;
    }
  }

  // Without -check-close-notify BoringSSL's shim shuts down quietly.
  if (c.check_close_notify) {
    conn->close();
    d.flush();
    if (c.shim_shuts_down && !d.wait_close_notify()) return d.report_failure();
  }
  t.drain_and_close();
  return 0;
}

}  // namespace
}  // namespace bogo

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  for (int i = 1; i < argc; ++i) (bogo::g_command_line += ' ') += argv[i];
  auto args = bogo::parse_args(argc, argv);
  if (args.unknown_flag) {
    return bogo::unimplemented("unknown flag " + *args.unknown_flag);
  }
  if (args.error) {
    std::fprintf(stderr, "%s\n", args.error->c_str());
    return 1;
  }
  if (args.initial.is_handshaker_supported) {
    std::printf("No\n");
    return 0;
  }
  if (args.initial.resume_count > 0) {
    // Fail fast rather than after a first connection the runner must drive.
    if (auto why = bogo::unsupported(args.resume); !why.empty()) {
      return bogo::unimplemented(why);
    }
  }
  bogo::Shared shared;
  for (int i = 0; i <= args.initial.resume_count; ++i) {
    const bool is_resume = i > 0;
    const bogo::ShimConfig& c = is_resume ? args.resume : args.initial;
    const int rc = bogo::run_connection(c, args.retry, shared, is_resume);
    if (rc != 0) {
      if (rc != bogo::kExitUnimplemented) std::fprintf(stderr, "Connection %d failed.\n", i + 1);
      return rc;
    }
    *shared.clock_offset += c.resumption_delay;
  }
  return 0;
}
