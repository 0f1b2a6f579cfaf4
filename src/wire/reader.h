// Bounds-checked reader over received bytes (RFC 8446 §3 presentation
// language). Every method either succeeds and advances, or fails and leaves
// the reader unchanged; nothing throws. A decoder that gets `false` reports
// decode_error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tls13::wire {

using Bytes = std::span<const std::uint8_t>;

class Reader {
 public:
  Reader() = default;
  explicit Reader(Bytes data) noexcept : data_(data) {}

  [[nodiscard]] bool read_u8(std::uint8_t& out) noexcept;
  [[nodiscard]] bool read_u16(std::uint16_t& out) noexcept;
  [[nodiscard]] bool read_u24(std::uint32_t& out) noexcept;
  [[nodiscard]] bool read_u32(std::uint32_t& out) noexcept;
  [[nodiscard]] bool read_u64(std::uint64_t& out) noexcept;

  // Exactly n bytes.
  [[nodiscard]] bool read_bytes(std::size_t n, Bytes& out) noexcept;

  // opaque field<min..max> with a `prefix_len`-byte (1, 2 or 3) length. Fails
  // if the prefix is truncated, the body exceeds the remaining input, or the
  // length is outside [min, max].
  [[nodiscard]] bool read_vector(int prefix_len, std::size_t min, std::size_t max,
                                 Bytes& out) noexcept;

  // As read_vector, but hands back a sub-reader limited to the block.
  [[nodiscard]] bool read_prefixed(int prefix_len, std::size_t min, std::size_t max,
                                   Reader& sub) noexcept;
  [[nodiscard]] bool read_prefixed(int prefix_len, Reader& sub) noexcept {
    return read_prefixed(prefix_len, 0, SIZE_MAX, sub);
  }

  bool empty() const noexcept { return pos_ == data_.size(); }
  std::size_t remaining() const noexcept { return data_.size() - pos_; }
  std::size_t position() const noexcept { return pos_; }
  // Bytes not yet consumed.
  Bytes rest() const noexcept { return data_.subspan(pos_); }
  // Bytes consumed so far.
  Bytes consumed() const noexcept { return data_.first(pos_); }
  // Everything this reader covers.
  Bytes all() const noexcept { return data_; }

 private:
  [[nodiscard]] bool read_uint(int n, std::uint64_t& out) noexcept;

  Bytes data_;
  std::size_t pos_ = 0;
};

}  // namespace tls13::wire
