// Secret material: wiped on destruction, move-only, no operator==.
// Compare with ct_equal (base/ct.h).
#pragma once

#include <algorithm>
#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace tls13 {

// Wipes memory in a way the optimiser cannot drop (implemented over
// OPENSSL_cleanse in crypto/).
void secure_wipe(void* p, std::size_t n) noexcept;

// A fixed-capacity secret (hash outputs, traffic keys, IVs). 64 bytes covers
// SHA-512 outputs.
template <std::size_t Max = 64>
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::span<const std::uint8_t> bytes) { assign(bytes); }
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  Secret(Secret&& o) noexcept { take(o); }
  Secret& operator=(Secret&& o) noexcept {
    if (this != &o) {
      wipe();
      take(o);
    }
    return *this;
  }
  ~Secret() { wipe(); }

  // Deliberate copy, spelled out at the call site.
  Secret clone() const { return Secret(span()); }

  void assign(std::span<const std::uint8_t> bytes) {
    assert(bytes.size() <= Max);
    wipe();
    len_ = std::min(bytes.size(), Max);
    std::copy_n(bytes.begin(), len_, buf_.begin());
  }
  // Sets the length and exposes the storage for a primitive to write into.
  std::span<std::uint8_t> resize_for_write(std::size_t n) {
    assert(n <= Max);
    wipe();
    len_ = std::min(n, Max);
    return {buf_.data(), len_};
  }

  std::span<const std::uint8_t> span() const noexcept { return {buf_.data(), len_}; }
  std::span<std::uint8_t> mutable_span() noexcept { return {buf_.data(), len_}; }
  const std::uint8_t* data() const noexcept { return buf_.data(); }
  std::size_t size() const noexcept { return len_; }
  bool empty() const noexcept { return len_ == 0; }

  bool operator==(const Secret&) const = delete;

 private:
  void wipe() noexcept {
    if (len_) secure_wipe(buf_.data(), len_);
    len_ = 0;
  }
  void take(Secret& o) noexcept {
    std::copy_n(o.buf_.begin(), o.len_, buf_.begin());
    len_ = o.len_;
    o.wipe();
  }
  std::array<std::uint8_t, Max> buf_{};
  std::size_t len_ = 0;
};

// Variable-size secret (PSKs, shared secrets of large groups, tickets'
// plaintext). Wipes its heap buffer on destruction and on reassignment.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t n) : v_(n) {}
  explicit SecretBytes(std::span<const std::uint8_t> b) : v_(b.begin(), b.end()) {}
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  SecretBytes(SecretBytes&& o) noexcept : v_(std::move(o.v_)) { o.v_.clear(); }
  SecretBytes& operator=(SecretBytes&& o) noexcept {
    if (this != &o) {
      wipe();
      v_ = std::move(o.v_);
      o.v_.clear();
    }
    return *this;
  }
  ~SecretBytes() { wipe(); }

  SecretBytes clone() const { return SecretBytes(span()); }
  void resize(std::size_t n) {
    wipe();
    v_.assign(n, 0);
  }
  std::span<const std::uint8_t> span() const noexcept { return v_; }
  std::span<std::uint8_t> mutable_span() noexcept { return v_; }
  const std::uint8_t* data() const noexcept { return v_.data(); }
  std::uint8_t* data() noexcept { return v_.data(); }
  std::size_t size() const noexcept { return v_.size(); }
  bool empty() const noexcept { return v_.empty(); }

  bool operator==(const SecretBytes&) const = delete;

 private:
  void wipe() noexcept {
    if (!v_.empty()) secure_wipe(v_.data(), v_.size());
    v_.clear();
  }
  std::vector<std::uint8_t> v_;
};

}  // namespace tls13
