// Command-line configuration of the BoGo shim: the flags BoringSSL's test
// runner (ssl/test/runner) passes, parsed into one ShimConfig per connection
// role. Flags prefixed -on-initial-, -on-resume- or -on-retry- apply to that
// connection only; unprefixed flags apply to all three.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bogo {

// Exit code that tells the runner a test needs something we do not have.
inline constexpr int kExitUnimplemented = 89;

struct ShimConfig {
  // --- harness ---
  int port = 0;
  std::uint64_t shim_id = 0;
  bool ipv6 = false;
  bool server = false;
  int resume_count = 0;
  bool is_handshaker_supported = false;
  // First flag (with the reason) that asks for a feature the library lacks;
  // the connection that uses this config exits 89.
  std::string unimplemented;

  // --- credentials and verification ---
  std::string key_file, cert_file, trust_cert;
  bool verify_peer = false;
  bool require_any_client_certificate = false;
  bool use_custom_verify_callback = false;
  bool verify_fail = false;
  bool expect_verify_result = false;
  bool reverify_on_resume = false;
  std::string expect_peer_cert_file;

  // --- negotiation ---
  int min_version = 0, max_version = 0, expect_version = 0;
  std::vector<int> curves;
  std::vector<int> signing_prefs, verify_prefs;
  int expect_curve_id = 0;
  int expect_peer_signature_algorithm = 0;
  int expect_cipher = 0, expect_cipher_aes = 0, expect_cipher_no_aes = 0;
  bool expect_hrr = false, expect_no_hrr = false;
  bool enable_grease = false;
  std::size_t max_cert_list = 0;
  // BoringSSL's compliance policies ("fips-202205", "wpa-202304"), applied
  // as the suites, groups and signature schemes they allow.
  std::string compliance_policy;

  // --- SNI / ALPN ---
  std::string host_name, expect_server_name;
  std::string advertise_alpn;  // wire format: length-prefixed names
  std::string expect_alpn, select_alpn;
  bool decline_alpn = false;

  // --- resumption ---
  bool no_ticket = false;
  bool expect_session_miss = false;
  bool expect_no_session = false;
  int resumption_delay = 0;  // seconds the clock moves after this connection
  std::string expect_early_data_reason;

  // --- OCSP and SCTs (base64-decoded) ---
  bool enable_ocsp_stapling = false, enable_signed_cert_timestamps = false;
  std::string ocsp_response, signed_cert_timestamps;
  std::string expect_ocsp_response, expect_signed_cert_timestamps;
  bool use_ocsp_callback = false, set_ocsp_in_callback = false;
  bool decline_ocsp_callback = false, fail_ocsp_callback = false;

  // --- 0-RTT ---
  bool enable_early_data = false;
  bool expect_ticket_supports_early_data = false;
  bool expect_accept_early_data = false, expect_reject_early_data = false;
  bool expect_no_offer_early_data = false;

  // --- application data and shutdown ---
  bool shim_writes_first = false;
  bool shim_shuts_down = false;
  bool check_close_notify = false;
  bool send_alert = false;
  bool key_update = false;
  int read_size = 0;
  int max_send_fragment = 0;

  // --- exporters ---
  int export_keying_material = 0;
  std::string export_label, export_context;
  bool use_export_context = false;
  bool export_traffic_secrets = false;
};

struct ParsedArgs {
  ShimConfig initial, resume, retry;
  std::optional<std::string> unknown_flag;  // a flag the shim does not know at all
  std::optional<std::string> error;         // a malformed flag or parameter
};

ParsedArgs parse_args(int argc, char** argv);

}  // namespace bogo
