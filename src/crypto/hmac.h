// HMAC (RFC 2104) and HKDF (RFC 5869) over the fetched digests.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>

#include "base/secret.h"
#include "crypto/algorithms.h"
#include "crypto/hash.h"

namespace tls13::crypto {

using PrkSecret = Secret<kMaxHashLength>;

// HMAC-Hash keyed once: the inner and outer pad states, hashed. Each mac()
// then costs the message's compressions only; a key that derives several
// values (a PRK expanded under several labels) pays for its pads once.
// Wiped on destruction (the pad states are as secret as the key).
class HmacKey {
 public:
  HmacKey(HashId id, std::span<const std::uint8_t> key);
  HmacKey(HmacKey&&) noexcept = default;
  HmacKey& operator=(HmacKey&&) noexcept = default;
  HashId hash() const noexcept { return inner_.id(); }
  // Forgets the key now (the destructor would, later).
  void wipe() noexcept;
  // HMAC(key, parts[0] || parts[1] || ...) into out (hash length bytes).
  void mac(std::initializer_list<std::span<const std::uint8_t>> parts,
           std::span<std::uint8_t> out) const;

 private:
  Hash inner_, outer_;
};

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
// The same with the PRK already keyed.
[[nodiscard]] bool hkdf_expand(const HmacKey& prk, std::span<const std::uint8_t> info,
                               std::span<std::uint8_t> out);

}  // namespace tls13::crypto
