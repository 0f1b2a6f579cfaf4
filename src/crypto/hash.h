// Incremental hashing with cheap snapshots (a transcript needs the running
// hash at many points), plus one-shot helpers. The running state lives
// inline (libcrypto's SHA-2 context, hash.cpp): creating, copying and
// finishing a hash allocates nothing.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "crypto/algorithms.h"

namespace tls13::crypto {

// A hash output. Not secret (transcript hashes), so copyable and comparable.
class Digest {
 public:
  Digest() = default;
  explicit Digest(std::span<const std::uint8_t> b);
  std::span<const std::uint8_t> span() const noexcept { return {buf_.data(), len_}; }
  std::span<std::uint8_t> resize_for_write(std::size_t n) noexcept;
  std::size_t size() const noexcept { return len_; }
  const std::uint8_t* data() const noexcept { return buf_.data(); }
  bool operator==(const Digest& o) const noexcept;

 private:
  std::array<std::uint8_t, kMaxHashLength> buf_{};
  std::size_t len_ = 0;
};

class Hash {
 public:
  explicit Hash(HashId id);
  ~Hash();  // wipes the state (HMAC keys are hashed into it)
  Hash(Hash&&) noexcept;
  Hash& operator=(Hash&&) noexcept;
  Hash(const Hash&) = delete;
  Hash& operator=(const Hash&) = delete;
  Hash clone() const;  // independent copy of the running state

  HashId id() const noexcept { return id_; }
  std::size_t length() const noexcept { return hash_length(id_); }

  void update(std::span<const std::uint8_t> data);
  // Hash of everything so far; the running state is kept and may continue.
  Digest snapshot() const;
  // Hash of everything so far into `out` (length() bytes); the state is
  // used up (update/snapshot/finish afterwards give garbage).
  void finish(std::span<std::uint8_t> out);
  // Input block size (64 for SHA-256, 128 for SHA-384/512), for HMAC.
  std::size_t block_size() const noexcept { return id_ == HashId::sha256 ? 64 : 128; }

  static Digest oneshot(HashId id, std::span<const std::uint8_t> data);
  // Hash of the empty string (Derive-Secret's "" context, RFC 8446 §7.1).
  // Computed once per process (a constant), not per call.
  static Digest empty(HashId id);

 private:
  Hash(HashId id, int) noexcept : id_(id) {}  // uninitialised state (clone)
  HashId id_;
  // libcrypto's SHA256_CTX / SHA512_CTX (or, where libcrypto lacks the
  // low-level SHA-2 API, an EVP_MD_CTX pointer); hash.cpp checks the size.
  alignas(8) unsigned char state_[216];
};

}  // namespace tls13::crypto
