// Writer for the RFC 8446 presentation language. Length prefixes are written
// as placeholders and patched once their body is complete; a body too long
// for its prefix sets a sticky overflow flag that ok()/finish() report.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace tls13::wire {

class Writer {
 public:
  // Appends to `out`; existing contents are kept.
  explicit Writer(std::vector<std::uint8_t>& out) noexcept : out_(out) {}

  void u8(std::uint8_t v) { out_.push_back(v); }
  void u16(std::uint16_t v);
  void u24(std::uint32_t v);  // values above 2^24-1 set the overflow flag
  void u32(std::uint32_t v);
  void u64(std::uint64_t v);
  void bytes(std::span<const std::uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void zeros(std::size_t n) { out_.insert(out_.end(), n, 0); }

  // opaque field<0..2^(8*prefix_len)-1>: prefix then bytes.
  void vector(int prefix_len, std::span<const std::uint8_t> b) {
    prefixed(prefix_len, [&](Writer& w) { w.bytes(b); });
  }

  // Writes a `prefix_len`-byte (1..3) length, runs `body`, then patches the
  // length with the number of bytes `body` wrote.
  template <class F>
  void prefixed(int prefix_len, F&& body) {
    const std::size_t at = begin_prefix(prefix_len);
    body(*this);
    end_prefix(at, prefix_len);
  }

  bool ok() const noexcept { return !overflow_; }
  std::size_t size() const noexcept { return out_.size(); }

 private:
  std::size_t begin_prefix(int prefix_len);
  void end_prefix(std::size_t at, int prefix_len);

  std::vector<std::uint8_t>& out_;
  bool overflow_ = false;
};

}  // namespace tls13::wire
