// Injectable randomness. The library draws every random byte (hello randoms,
// key shares, ticket nonces, padding) through this interface, so tests can
// replay fixed traces and fuzzers can run deterministically.
#pragma once

#include <cstdint>
#include <span>

namespace tls13 {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // Fill `out` with cryptographically secure random bytes. Must not fail;
  // an implementation that cannot produce randomness aborts.
  virtual void fill(std::span<std::uint8_t> out) = 0;
};

// The operating system's CSPRNG (through libcrypto's DRBG). Thread-safe;
// one instance may serve every connection. Each thread draws a page of
// output at a time (wiped as it is handed out, and on fork).
RandomSource& system_random() noexcept;

}  // namespace tls13
