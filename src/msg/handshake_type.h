// Handshake message types (RFC 8446 §4, App. B.3) and protocol-wide
// constants shared by the message codecs.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace tls13::msg {

// Holds any byte: unknown types survive decoding and are rejected by the
// state machine (unexpected_message), not by the codec.
enum class HandshakeType : std::uint8_t {
  client_hello = 1,
  server_hello = 2,
  new_session_ticket = 4,
  end_of_early_data = 5,
  encrypted_extensions = 8,
  certificate = 11,
  certificate_request = 13,
  certificate_verify = 15,
  finished = 20,
  key_update = 24,
  message_hash = 254,
};

// "client_hello", ...; "unknown" for unlisted values.
std::string_view to_string(HandshakeType t) noexcept;
// The RFC's struct name ("ClientHello", "EncryptedExtensions"), for traces
// and error messages; "unknown" for other values.
std::string_view message_name(HandshakeType t) noexcept;

// ProtocolVersion values (RFC 8446 §4.1.2, §4.2.1). Kept as raw uint16_t so
// GREASE and unknown versions round-trip.
inline constexpr std::uint16_t kTls12 = 0x0303;  // also every legacy_version
inline constexpr std::uint16_t kTls13 = 0x0304;

using Random = std::array<std::uint8_t, 32>;

}  // namespace tls13::msg
