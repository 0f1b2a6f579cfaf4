// The flag table of the BoGo shim. Each flag the runner can pass is either
// implemented (it sets a ShimConfig field), accepted as a no-op because it
// cannot change a TLS 1.3 connection, or marked unimplemented with the
// feature it needs: a test using it exits 89 until the library gains that
// feature. Unknown flags also exit 89 (BoGo's PORTING.md asks for that).
#include "bogo/shim_config.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <string_view>

namespace bogo {
namespace {

using Setter = std::function<bool(ShimConfig&, const char* param)>;

struct Flag {
  bool has_param = false;
  Setter set;
};

bool parse_int(const char* s, long long& out) {
  if (!s || !*s) return false;
  errno = 0;
  char* end = nullptr;
  out = std::strtoll(s, &end, 10);
  return errno == 0 && end && *end == '\0';
}

Flag boolean(bool ShimConfig::*field) {
  return {false, [field](ShimConfig& c, const char*) { return (c.*field = true); }};
}
Flag integer(int ShimConfig::*field) {
  return {true, [field](ShimConfig& c, const char* p) {
            long long v;
            if (!parse_int(p, v)) return false;
            c.*field = static_cast<int>(v);
            return true;
          }};
}
Flag size(std::size_t ShimConfig::*field) {
  return {true, [field](ShimConfig& c, const char* p) {
            long long v;
            if (!parse_int(p, v) || v < 0) return false;
            c.*field = static_cast<std::size_t>(v);
            return true;
          }};
}
// Repeated flags (-curves 29 -curves 23) append in order.
Flag int_list(std::vector<int> ShimConfig::*field) {
  return {true, [field](ShimConfig& c, const char* p) {
            long long v;
            if (!parse_int(p, v)) return false;
            (c.*field).push_back(static_cast<int>(v));
            return true;
          }};
}
Flag string(std::string ShimConfig::*field) {
  return {true, [field](ShimConfig& c, const char* p) {
            c.*field = p;
            return true;
          }};
}
int b64_digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}
// A base64 parameter (BoringSSL's Base64Flag), stored decoded.
Flag base64(std::string ShimConfig::*field) {
  return {true, [field](ShimConfig& c, const char* p) {
            std::string out;
            unsigned acc = 0;
            int bits = 0;
            for (const char* q = p; *q && *q != '='; ++q) {
              const int v = b64_digit(*q);
              if (v < 0) return false;
              acc = (acc << 6) | static_cast<unsigned>(v);
              bits += 6;
              if (bits >= 8) {
                bits -= 8;
                out.push_back(static_cast<char>((acc >> bits) & 0xff));
              }
            }
            c.*field = std::move(out);
            return true;
          }};
}
// Accepted and ignored: the flag cannot change a TLS 1.3 connection over a
// blocking socket (e.g. -async, which only reroutes BoringSSL's callbacks).
Flag ignored(bool has_param) {
  return {has_param, [](ShimConfig&, const char*) { return true; }};
}
// A feature the library does not have (yet): the test exits 89.
Flag missing(bool has_param, std::string feature) {
  return {has_param, [feature](ShimConfig& c, const char*) {
            if (c.unimplemented.empty()) c.unimplemented = feature;
            return true;
          }};
}

const std::map<std::string, Flag, std::less<>>& flag_table() {
  static const auto* table = [] {
    auto* t = new std::map<std::string, Flag, std::less<>>;
    auto& m = *t;
    using C = ShimConfig;
    // Harness.
    m["-port"] = integer(&C::port);
    m["-shim-id"] = {true, [](C& c, const char* p) {
                       long long v;
                       if (!parse_int(p, v) || v < 0) return false;
                       c.shim_id = static_cast<std::uint64_t>(v);
                       return true;
                     }};
    m["-ipv6"] = boolean(&C::ipv6);
    m["-server"] = boolean(&C::server);
    m["-resume-count"] = integer(&C::resume_count);
    m["-is-handshaker-supported"] = boolean(&C::is_handshaker_supported);
    m["-async"] = ignored(false);               // BoringSSL's async callbacks
    m["-implicit-handshake"] = ignored(false);  // we handshake before data either way
    m["-no-op-extra-handshake"] = ignored(false);
    m["-handshake-twice"] = ignored(false);
    m["-write-settings"] = ignored(true);
    m["-wait-for-debugger"] = ignored(false);

    // Versions: we speak TLS 1.3 only; the range flags are checked later.
    m["-min-version"] = integer(&C::min_version);
    m["-max-version"] = integer(&C::max_version);
    m["-expect-version"] = integer(&C::expect_version);
    m["-no-tls1"] = ignored(false);
    m["-no-tls11"] = ignored(false);
    m["-no-tls12"] = ignored(false);
    m["-no-tls13"] = missing(false, "TLS 1.2 and older (out of scope)");
    m["-dtls"] = missing(false, "DTLS (out of scope)");
    m["-quic"] = missing(false, "QUIC (out of scope)");
    m["-mtu"] = missing(true, "DTLS (out of scope)");
    m["-initial-timeout-duration-ms"] = missing(true, "DTLS (out of scope)");
    m["-tls-unique"] = missing(false, "tls-unique (TLS 1.2 only)");

    // Credentials and certificate verification.
    m["-key-file"] = string(&C::key_file);
    m["-cert-file"] = string(&C::cert_file);
    m["-trust-cert"] = string(&C::trust_cert);
    m["-verify-peer"] = boolean(&C::verify_peer);
    m["-require-any-client-certificate"] = boolean(&C::require_any_client_certificate);
    m["-use-custom-verify-callback"] = boolean(&C::use_custom_verify_callback);
    m["-verify-fail"] = boolean(&C::verify_fail);
    m["-expect-verify-result"] = boolean(&C::expect_verify_result);
    m["-reverify-on-resume"] = boolean(&C::reverify_on_resume);
    m["-expect-peer-cert-file"] = string(&C::expect_peer_cert_file);

    // Groups, signature algorithms, cipher suites.
    m["-curves"] = int_list(&C::curves);
    m["-signing-prefs"] = int_list(&C::signing_prefs);
    m["-verify-prefs"] = int_list(&C::verify_prefs);
    m["-expect-curve-id"] = integer(&C::expect_curve_id);
    m["-expect-peer-signature-algorithm"] = integer(&C::expect_peer_signature_algorithm);
    m["-expect-cipher"] = integer(&C::expect_cipher);
    m["-expect-cipher-aes"] = integer(&C::expect_cipher_aes);
    m["-expect-cipher-no-aes"] = integer(&C::expect_cipher_no_aes);
    m["-expect-hrr"] = boolean(&C::expect_hrr);
    m["-expect-no-hrr"] = boolean(&C::expect_no_hrr);
    m["-enable-grease"] = boolean(&C::enable_grease);
    m["-max-cert-list"] = size(&C::max_cert_list);
    for (const char* policy : {"fips-202205", "wpa-202304"})
      m[std::string("-") + policy] = {false, [policy](C& c, const char*) {
                                        // Two policies at once is a test error.
                                        if (!c.compliance_policy.empty()) return false;
                                        c.compliance_policy = policy;
                                        return true;
                                      }};
    // BoringSSL's cipher string only configures TLS 1.2 suites.
    m["-cipher"] = ignored(true);

    // SNI and ALPN.
    m["-host-name"] = string(&C::host_name);
    m["-expect-server-name"] = string(&C::expect_server_name);
    m["-advertise-alpn"] = string(&C::advertise_alpn);
    m["-expect-alpn"] = string(&C::expect_alpn);
    m["-select-alpn"] = string(&C::select_alpn);
    m["-decline-alpn"] = boolean(&C::decline_alpn);

    // Tickets and resumption.
    m["-no-ticket"] = boolean(&C::no_ticket);
    m["-expect-session-miss"] = boolean(&C::expect_session_miss);
    m["-expect-no-session"] = boolean(&C::expect_no_session);
    m["-resumption-delay"] = integer(&C::resumption_delay);

    // Application data, KeyUpdate, alerts, shutdown.
    m["-shim-writes-first"] = boolean(&C::shim_writes_first);
    m["-shim-shuts-down"] = boolean(&C::shim_shuts_down);
    m["-check-close-notify"] = boolean(&C::check_close_notify);
    m["-send-alert"] = boolean(&C::send_alert);
    m["-key-update"] = boolean(&C::key_update);
    m["-read-size"] = integer(&C::read_size);
    m["-max-send-fragment"] = integer(&C::max_send_fragment);

    // Exporters.
    m["-export-keying-material"] = integer(&C::export_keying_material);
    m["-export-label"] = string(&C::export_label);
    m["-export-context"] = string(&C::export_context);
    m["-use-export-context"] = boolean(&C::use_export_context);
    m["-export-traffic-secrets"] = boolean(&C::export_traffic_secrets);

    // TLS 1.2-only mechanisms: they cannot occur in TLS 1.3, so a TLS 1.3
    // shim that ignores them behaves as BoringSSL does at TLS 1.3.
    m["-advertise-npn"] = ignored(true);
    m["-select-next-proto"] = ignored(true);
    m["-srtp-profiles"] = ignored(true);  // use_srtp is DTLS-only
    m["-false-start"] = ignored(false);
    m["-renegotiate-freely"] = ignored(false);
    m["-renegotiate-once"] = ignored(false);
    m["-renegotiate-ignore"] = ignored(false);
    m["-expect-extended-master-secret"] = ignored(false);  // always true in TLS 1.3
    m["-expect-secure-renegotiation"] = ignored(false);    // likewise
    // Only meaningful with BoringSSL's split-handshake hints, which we lack
    // (the runner's hint-mismatch tests pass without a handshaker).
    m["-allow-hint-mismatch"] = ignored(false);
    // tls13's server keeps no session state: resumption is by self-contained
    // tickets only, so nothing is ever cached by session ID (what
    // -expect-no-session-id checks). -expect-session-id stays missing.
    m["-expect-no-session-id"] = ignored(false);
    // BoringSSL's older way to supply the client certificate: the same
    // certificate (or none) goes out either way.
    m["-use-old-client-cert-callback"] = ignored(false);
    // tls13's server always chooses by its own preference.
    m["-server-preference"] = ignored(false);

    // Features of other helpers' branches (client auth is checked per
    // connection; these flags only occur with the feature itself).
    // 0-RTT.
    m["-enable-early-data"] = boolean(&C::enable_early_data);
    m["-expect-ticket-supports-early-data"] = boolean(&C::expect_ticket_supports_early_data);
    m["-expect-accept-early-data"] = boolean(&C::expect_accept_early_data);
    m["-expect-reject-early-data"] = boolean(&C::expect_reject_early_data);
    m["-expect-no-offer-early-data"] = boolean(&C::expect_no_offer_early_data);
    m["-expect-early-data-reason"] = string(&C::expect_early_data_reason);
    // Stops a server's handshake after a given message with writes pending:
    // BoringSSL's asynchronous I/O only.
    m["-early-write-after-message"] = missing(true,
                                              "BoringSSL API without a tls13 counterpart: "
                                              "-early-write-after-message");
    m["-quic-early-data-context"] = missing(true, "QUIC (out of scope)");
    // BoringSSL's -psk configures the TLS 1.2 PSK cipher suites
    // (SSL_CTX_set_psk_*_callback); it has no effect on TLS 1.3.
    m["-psk"] = ignored(true);
    m["-psk-identity"] = ignored(true);

    // Extensions the library does not implement.
    // OCSP stapling and SCTs.
    m["-enable-ocsp-stapling"] = boolean(&C::enable_ocsp_stapling);
    m["-enable-signed-cert-timestamps"] = boolean(&C::enable_signed_cert_timestamps);
    m["-ocsp-response"] = base64(&C::ocsp_response);
    m["-signed-cert-timestamps"] = base64(&C::signed_cert_timestamps);
    m["-expect-ocsp-response"] = base64(&C::expect_ocsp_response);
    m["-expect-signed-cert-timestamps"] = base64(&C::expect_signed_cert_timestamps);
    m["-use-ocsp-callback"] = boolean(&C::use_ocsp_callback);
    m["-set-ocsp-in-callback"] = boolean(&C::set_ocsp_in_callback);
    m["-decline-ocsp-callback"] = boolean(&C::decline_ocsp_callback);
    m["-fail-ocsp-callback"] = boolean(&C::fail_ocsp_callback);
    m["-enable-channel-id"] = missing(false, "Channel ID");
    m["-send-channel-id"] = missing(true, "Channel ID");
    m["-expect-channel-id"] = missing(true, "Channel ID");
    m["-verify-peer-if-no-obc"] = missing(false, "Channel ID");
    m["-application-settings"] = missing(true, "ALPS");
    m["-expect-peer-application-settings"] = missing(true, "ALPS");
    m["-alps-use-new-codepoint"] = missing(false, "ALPS");
    m["-defer-alps"] = missing(false, "ALPS");
    for (const char* f :
         {"-ech-config-list", "-ech-server-config", "-ech-server-key", "-ech-is-retry-config",
          "-expect-ech-name-override", "-expect-ech-retry-configs"})
      m[f] = missing(true, "Encrypted Client Hello");
    for (const char* f : {"-expect-ech-accept", "-expect-no-ech-name-override",
                          "-expect-no-ech-retry-configs", "-enable-ech-grease"})
      m[f] = missing(false, "Encrypted Client Hello");
    m["-install-cert-compression-algs"] = missing(false, "certificate compression");
    m["-install-one-cert-compression-alg"] = missing(true, "certificate compression");
    m["-delegated-credential"] = missing(true, "delegated credentials");
    m["-expect-delegated-credential-used"] = missing(false, "delegated credentials");
    m["-quic-transport-params"] = missing(true, "QUIC (out of scope)");
    m["-expect-quic-transport-params"] = missing(true, "QUIC (out of scope)");
    m["-quic-use-legacy-codepoint"] = missing(true, "QUIC (out of scope)");
    m["-jdk11-workaround"] = missing(false, "the JDK 11 workaround");
    m["-fallback-scsv"] = missing(false, "TLS_FALLBACK_SCSV (a TLS 1.2 downgrade signal)");
    m["-permute-extensions"] = missing(false, "ClientHello extension permutation");

    // Hooks of BoringSSL's API that ours has no counterpart for.
    for (const char* f : {
             "-use-early-callback",
             "-fail-early-callback",
             "-install-ddos-callback",
             "-fail-ddos-callback",
             "-fail-cert-callback",
             "-use-ticket-callback",
             "-renew-ticket",
             "-reject-alpn",
             "-select-empty-alpn",
             "-allow-unknown-alpn-protos",
             "-peek-then-read",
             "-read-with-unfinished-write",
             "-retain-only-sha256-client-cert",
             "-expect-sha256-client-cert",
             "-ignore-rsa-key-usage",
             "-expect-key-usage-invalid",
             "-expect-ticket-renewal",
             "-expect-session-id",
             "-use-exporter-between-reads",
             "-handoff",
             "-handshake-hints",
             "-handshaker-resume",
             "-write-different-record-sizes",
             "-cbc-record-splitting",
             "-partial-write",
             "-renegotiate-explicit",
             "-forbid-renegotiation-after-handshake",
             "-expect-no-secure-renegotiation",
             "-handshake-never-done",
             "-allow-false-start-without-alpn",
         })
      m[f] = missing(false, std::string("BoringSSL API without a tls13 counterpart: ") + f);
    for (const char* f :
         {"-ticket-key", "-expect-msg-callback", "-expect-peer-verify-pref", "-use-client-ca-list",
          "-expect-client-ca-list", "-expect-advertised-alpn", "-expect-ticket-age-skew",
          "-handshaker-path", "-expect-late-alpn", "-expect-total-renegotiations",
          "-expect-certificate-types", "-expect-next-proto"})
      m[f] = missing(true, std::string("BoringSSL API without a tls13 counterpart: ") + f);
    return t;
  }();
  return *table;
}

// Strips "prefix" from *name when *name starts with prefix + "-".
bool strip_prefix(std::string_view& name, std::string_view prefix) {
  if (name.size() > prefix.size() && name.substr(0, prefix.size()) == prefix &&
      name[prefix.size()] == '-') {
    name.remove_prefix(prefix.size());
    return true;
  }
  return false;
}

}  // namespace

ParsedArgs parse_args(int argc, char** argv) {
  ParsedArgs out;
  const auto& table = flag_table();
  for (int i = 1; i < argc; ++i) {
    std::string_view name = argv[i];
    bool skip = false;
    if (strip_prefix(name, "-on-shim")) {
      // -on-shim- flags apply to us; -on-handshaker- ones to a split handshaker.
    } else if (strip_prefix(name, "-on-handshaker")) {
      skip = true;
    }
    ShimConfig* only = nullptr;
    if (strip_prefix(name, "-on-initial")) {
      only = &out.initial;
    } else if (strip_prefix(name, "-on-resume")) {
      only = &out.resume;
    } else if (strip_prefix(name, "-on-retry")) {
      only = &out.retry;
    }
    auto it = table.find(name);
    if (it == table.end()) {
      out.unknown_flag = std::string(name);
      return out;
    }
    const char* param = nullptr;
    if (it->second.has_param) {
      if (i + 1 >= argc) {
        out.error = "missing parameter for " + std::string(name);
        return out;
      }
      param = argv[++i];
    }
    if (skip) continue;
    bool ok = true;
    if (only) {
      ok = it->second.set(*only, param);
    } else {
      for (ShimConfig* c : {&out.initial, &out.resume, &out.retry})
        ok = it->second.set(*c, param) && ok;
    }
    if (!ok) {
      out.error = "invalid parameter for " + std::string(name) + ": " + (param ? param : "");
      return out;
    }
  }
  return out;
}

}  // namespace bogo
