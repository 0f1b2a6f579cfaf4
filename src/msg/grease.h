// GREASE (RFC 8701 §2): reserved values a client or server sends so that
// peers keep tolerating unknown code points. The codecs treat them as any
// other unknown value; these helpers let a sender pick them and a receiver
// recognise them (e.g. to reject a server that "negotiated" one, §3.1).
#pragma once

#include <cstdint>
#include <span>

namespace tls13::msg {

// Extensions, named groups, signature schemes, versions and cipher suites
// (0x0A0A, 0x1A1A, ..., 0xFAFA).
constexpr bool is_grease(std::uint16_t v) noexcept {
  return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

// One of the 16 values above, chosen by the high nibble of `seed`.
constexpr std::uint16_t grease_value(std::uint8_t seed) noexcept {
  const auto b = static_cast<std::uint16_t>((seed & 0xf0) | 0x0a);
  return static_cast<std::uint16_t>((b << 8) | b);
}

// PskKeyExchangeMode values 0x0B, 0x2A, ..., 0xE4 (step 0x1F).
constexpr bool is_grease_psk_mode(std::uint8_t v) noexcept {
  return v >= 0x0b && v <= 0xe4 && (v - 0x0b) % 0x1f == 0;
}

// One of the 8 GREASE PskKeyExchangeModes, chosen by the low 3 bits of `seed`.
constexpr std::uint8_t grease_psk_mode(std::uint8_t seed) noexcept {
  return static_cast<std::uint8_t>(0x0b + 0x1f * (seed & 7));
}

// ALPN identifiers {0x?A, 0x?A} (two bytes, same GREASE pattern).
constexpr bool is_grease_alpn(std::span<const std::uint8_t> name) noexcept {
  return name.size() == 2 && is_grease(static_cast<std::uint16_t>((name[0] << 8) | name[1]));
}

}  // namespace tls13::msg
