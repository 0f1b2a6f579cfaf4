// Record content types and size limits (RFC 8446 §5.1, §5.2, §5.4).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tls13::record {

enum class ContentType : std::uint8_t {
  invalid = 0,
  change_cipher_spec = 20,
  alert = 21,
  handshake = 22,
  application_data = 23,
};

// "handshake", "application_data", ...; "unknown" for other values.
std::string_view to_string(ContentType t) noexcept;

// The three types a TLS 1.3 record may carry inside protection (and, with
// change_cipher_spec, the four defined by RFC 8446 §5).
constexpr bool is_known(ContentType t) noexcept {
  return t == ContentType::change_cipher_spec || t == ContentType::alert ||
         t == ContentType::handshake || t == ContentType::application_data;
}

inline constexpr std::size_t kRecordHeaderLength = 5;
inline constexpr std::uint16_t kLegacyRecordVersion = 0x0303;
// TLSPlaintext.length limit (§5.1).
inline constexpr std::size_t kMaxPlaintextLength = std::size_t{1} << 14;
// Full encoded TLSInnerPlaintext limit: content + type + padding (§5.4).
inline constexpr std::size_t kMaxInnerPlaintextLength = kMaxPlaintextLength + 1;
// TLSCiphertext.length limit (§5.2).
inline constexpr std::size_t kMaxCiphertextLength = kMaxPlaintextLength + 256;
// A buffer this large holds any record we send or accept.
inline constexpr std::size_t kMaxRecordLength = kRecordHeaderLength + kMaxCiphertextLength;

}  // namespace tls13::record
