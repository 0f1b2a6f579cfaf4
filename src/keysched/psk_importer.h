// The external PSK importer (RFC 9258 §5.1): ImportedIdentity and ipskx.
// The public entry point is tls13::import_external_psk (tls13/config.h).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/result.h"
#include "base/secret.h"
#include "crypto/algorithms.h"

namespace tls13::ks {

// target_protocol for TLS 1.3 (RFC 9258 §5.1).
inline constexpr std::uint16_t kImportTargetTls13 = 0x0304;
// Target KDF registry (RFC 9258 §10): HKDF_SHA256 0x0001, HKDF_SHA384 0x0002.
inline constexpr std::uint16_t kTargetKdfHkdfSha256 = 0x0001;
inline constexpr std::uint16_t kTargetKdfHkdfSha384 = 0x0002;

//   struct {
//     opaque external_identity<1...2^16-1>;
//     opaque context<0..2^16-1>;
//     uint16 target_protocol;
//     uint16 target_kdf;
//   } ImportedIdentity;
// internal_error for an empty or oversized identity or context, or a whole
// ImportedIdentity over 2^16-1 bytes (it must fit PskIdentity.identity).
Result<std::vector<std::uint8_t>> encode_imported_identity(
    std::span<const std::uint8_t> external_identity, std::span<const std::uint8_t> context,
    std::uint16_t target_protocol, std::uint16_t target_kdf);

// ipskx = HKDF-Expand-Label(HKDF-Extract(0, epsk), "derived psk",
//                           Hash(ImportedIdentity), out_length)
// where HKDF and Hash use `epsk_hash`, the EPSK's own hash (not the target
// KDF's); out_length is the target KDF's output length.
SecretBytes derive_imported_psk(crypto::HashId epsk_hash, std::span<const std::uint8_t> epsk,
                                std::span<const std::uint8_t> imported_identity,
                                std::size_t out_length);

}  // namespace tls13::ks
