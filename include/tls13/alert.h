// TLS alert descriptions (RFC 8446 §6) and their IANA names.
#pragma once

#include <cstdint>
#include <string_view>

namespace tls13 {

// In TLS 1.3 every alert but close_notify and user_canceled is fatal,
// whatever level it is sent with.
enum class AlertLevel : std::uint8_t { warning = 1, fatal = 2 };

// The alert a failure sends; every Error carries one.
enum class Alert : std::uint8_t {
  close_notify = 0,
  unexpected_message = 10,
  bad_record_mac = 20,
  record_overflow = 22,
  handshake_failure = 40,
  bad_certificate = 42,
  unsupported_certificate = 43,
  certificate_revoked = 44,
  certificate_expired = 45,
  certificate_unknown = 46,
  illegal_parameter = 47,
  unknown_ca = 48,
  access_denied = 49,
  decode_error = 50,
  decrypt_error = 51,
  protocol_version = 70,
  insufficient_security = 71,
  internal_error = 80,
  inappropriate_fallback = 86,
  user_canceled = 90,
  missing_extension = 109,
  unsupported_extension = 110,
  unrecognized_name = 112,
  bad_certificate_status_response = 113,
  unknown_psk_identity = 115,
  certificate_required = 116,
  no_application_protocol = 120,
};

// The RFC's name for an alert ("handshake_failure"); "unknown_alert(N)" style
// names are not allocated, so unknown values yield "unknown".
std::string_view to_string(Alert a) noexcept;

}  // namespace tls13
