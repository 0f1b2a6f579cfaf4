// The DER form of an ECDSA signature, Ecdsa-Sig-Value ::= SEQUENCE { r
// INTEGER, s INTEGER } (RFC 8446 §4.2.3, RFC 3279 §2.2.3), written and read
// here so that signing and verifying need no ASN.1 objects from libcrypto.
// No OpenSSL types: r and s are big-endian magnitudes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace tls13::crypto {

// Largest r or s magnitude accepted: the P-521 order is 66 bytes.
inline constexpr std::size_t kEcdsaMaxScalar = 66;
// Largest DER signature: 3 header bytes, then two INTEGERs of 2 + 1 + 66.
inline constexpr std::size_t kEcdsaMaxDer = 3 + 2 * (2 + 1 + kEcdsaMaxScalar);

// Writes the DER signature for (r, s) into `out` (at least kEcdsaMaxDer
// bytes) and returns its length; leading zero bytes of r and s are allowed
// and dropped. 0 if r or s exceeds kEcdsaMaxScalar significant bytes.
std::size_t ecdsa_der_encode(std::span<const std::uint8_t> r, std::span<const std::uint8_t> s,
                             std::span<std::uint8_t> out) noexcept;

struct EcdsaSigParts {
  std::span<const std::uint8_t> r;  // magnitudes, into the parsed input
  std::span<const std::uint8_t> s;
};

// Parses a DER signature strictly, as libcrypto's ECDSA_verify did (it
// re-encodes and compares): minimal lengths, minimal non-negative INTEGERs,
// no trailing bytes. nullopt for anything else, or a value longer than
// kEcdsaMaxScalar bytes.
std::optional<EcdsaSigParts> ecdsa_der_decode(std::span<const std::uint8_t> der) noexcept;

}  // namespace tls13::crypto
