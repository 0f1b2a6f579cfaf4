// (EC)DHE key exchange for TLS 1.3 named groups with the wire encodings of
// RFC 8446 §4.2.8.2 (uncompressed points for NIST curves, raw u-coordinates
// for X25519/X448) and validation of the peer's public value.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "base/result.h"
#include "base/secret.h"
#include "tls13/random.h"
#include "tls13/types.h"

namespace tls13::crypto {

bool key_exchange_supported(NamedGroup g) noexcept;

// Length of the key_exchange field for `g` (e.g. 32 for x25519, 65 for
// secp256r1); 0 when unsupported.
std::size_t key_share_length(NamedGroup g) noexcept;

class KeyShare {
 public:
  // Fresh ephemeral key pair; the private key is drawn from `rng`.
  static Result<KeyShare> generate(NamedGroup g, RandomSource& rng);
  // Key pair from a known private key (test vectors): the raw 32/56-byte
  // scalar for X25519/X448, the big-endian scalar for the NIST curves.
  static Result<KeyShare> from_private_key(NamedGroup g, std::span<const std::uint8_t> priv);

  ~KeyShare();
  KeyShare(KeyShare&&) noexcept;
  KeyShare& operator=(KeyShare&&) noexcept;
  KeyShare(const KeyShare&) = delete;
  KeyShare& operator=(const KeyShare&) = delete;

  NamedGroup group() const noexcept { return group_; }
  // The KeyShareEntry.key_exchange bytes for our side.
  std::span<const std::uint8_t> public_key() const noexcept;

  // Shared secret with the peer's key_exchange bytes (RFC 8446 §7.4: the
  // x-coordinate for NIST curves, the X25519/X448 output otherwise). A
  // malformed or invalid peer value (wrong length, not on the curve, point at
  // infinity, all-zero X25519 output) gives illegal_parameter.
  Result<SecretBytes> derive(std::span<const std::uint8_t> peer_public) const;

 private:
  struct Key;
  KeyShare(NamedGroup g, std::unique_ptr<Key> key) noexcept;
  NamedGroup group_;
  std::unique_ptr<Key> key_;  // also holds our public value: one allocation
};

}  // namespace tls13::crypto
