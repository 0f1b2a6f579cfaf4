// HMAC (RFC 2104) and HKDF (RFC 5869) over the fetched digests.
#pragma once

#include <cstdint>
#include <span>

#include "base/secret.h"
#include "crypto/algorithms.h"
#include "crypto/hash.h"

namespace tls13::crypto {

using PrkSecret = Secret<kMaxHashLength>;

// HMAC(key, data). Output length = hash_length(id).
Digest hmac(HashId id, std::span<const std::uint8_t> key, std::span<const std::uint8_t> data);

// HKDF-Extract(salt, IKM) -> PRK (RFC 5869 §2.2). An empty salt means
// hash_length zero octets, as the RFC says.
PrkSecret hkdf_extract(HashId id, std::span<const std::uint8_t> salt,
                       std::span<const std::uint8_t> ikm);

// HKDF-Expand(PRK, info, L) into `out` (L = out.size() <= 255*HashLen)
// (RFC 5869 §2.3). Returns false only when L is too large.
[[nodiscard]] bool hkdf_expand(HashId id, std::span<const std::uint8_t> prk,
                               std::span<const std::uint8_t> info, std::span<std::uint8_t> out);

}  // namespace tls13::crypto
