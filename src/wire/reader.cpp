#include "wire/reader.h"

namespace tls13::wire {

bool Reader::read_uint(int n, std::uint64_t& out) noexcept {
  if (remaining() < static_cast<std::size_t>(n)) return false;
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | data_[pos_ + static_cast<std::size_t>(i)];
  pos_ += static_cast<std::size_t>(n);
  out = v;
  return true;
}

bool Reader::read_u8(std::uint8_t& out) noexcept {
  std::uint64_t v;
  if (!read_uint(1, v)) return false;
  out = static_cast<std::uint8_t>(v);
  return true;
}

bool Reader::read_u16(std::uint16_t& out) noexcept {
  std::uint64_t v;
  if (!read_uint(2, v)) return false;
  out = static_cast<std::uint16_t>(v);
  return true;
}

bool Reader::read_u24(std::uint32_t& out) noexcept {
  std::uint64_t v;
  if (!read_uint(3, v)) return false;
  out = static_cast<std::uint32_t>(v);
  return true;
}

bool Reader::read_u32(std::uint32_t& out) noexcept {
  std::uint64_t v;
  if (!read_uint(4, v)) return false;
  out = static_cast<std::uint32_t>(v);
  return true;
}

bool Reader::read_u64(std::uint64_t& out) noexcept {
  return read_uint(8, out);
}

bool Reader::read_bytes(std::size_t n, Bytes& out) noexcept {
  if (remaining() < n) return false;
  out = data_.subspan(pos_, n);
  pos_ += n;
  return true;
}

bool Reader::read_vector(int prefix_len, std::size_t min, std::size_t max, Bytes& out) noexcept {
  if (prefix_len < 1 || prefix_len > 3) return false;
  const std::size_t start = pos_;
  std::uint64_t len;
  if (!read_uint(prefix_len, len)) return false;
  if (len < min || len > max || len > remaining()) {
    pos_ = start;
    return false;
  }
  out = data_.subspan(pos_, static_cast<std::size_t>(len));
  pos_ += static_cast<std::size_t>(len);
  return true;
}

bool Reader::read_prefixed(int prefix_len, std::size_t min, std::size_t max, Reader& sub) noexcept {
  Bytes body;
  if (!read_vector(prefix_len, min, max, body)) return false;
  sub = Reader(body);
  return true;
}

}  // namespace tls13::wire
