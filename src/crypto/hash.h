// Incremental hashing with cheap snapshots (a transcript needs the running
// hash at many points), plus one-shot helpers.
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
  ~Hash();
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

  static Digest oneshot(HashId id, std::span<const std::uint8_t> data);
  // Hash of the empty string (Derive-Secret's "" context, RFC 8446 §7.1).
  static Digest empty(HashId id) { return oneshot(id, {}); }

 private:
  struct Ctx;
  HashId id_;
  std::unique_ptr<Ctx> ctx_;
};

}  // namespace tls13::crypto
