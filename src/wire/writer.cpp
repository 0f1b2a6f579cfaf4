#include "wire/writer.h"

namespace tls13::wire {

void Writer::u16(std::uint16_t v) {
  out_.push_back(static_cast<std::uint8_t>(v >> 8));
  out_.push_back(static_cast<std::uint8_t>(v));
}

void Writer::u24(std::uint32_t v) {
  if (v > 0xffffff) overflow_ = true;
  out_.push_back(static_cast<std::uint8_t>(v >> 16));
  out_.push_back(static_cast<std::uint8_t>(v >> 8));
  out_.push_back(static_cast<std::uint8_t>(v));
}

void Writer::u32(std::uint32_t v) {
  u16(static_cast<std::uint16_t>(v >> 16));
  u16(static_cast<std::uint16_t>(v));
}

void Writer::u64(std::uint64_t v) {
  u32(static_cast<std::uint32_t>(v >> 32));
  u32(static_cast<std::uint32_t>(v));
}

std::size_t Writer::begin_prefix(int prefix_len) {
  if (prefix_len < 1 || prefix_len > 3) overflow_ = true;
  const std::size_t at = out_.size();
  out_.insert(out_.end(), static_cast<std::size_t>(prefix_len < 1 ? 0 : prefix_len), 0);
  return at;
}

void Writer::end_prefix(std::size_t at, int prefix_len) {
  if (prefix_len < 1 || prefix_len > 3) return;
  const std::size_t body = out_.size() - at - static_cast<std::size_t>(prefix_len);
  const std::size_t max = (std::size_t{1} << (8 * prefix_len)) - 1;
  if (body > max) {
    overflow_ = true;
    return;
  }
  for (int i = prefix_len - 1; i >= 0; --i) {
    out_[at + static_cast<std::size_t>(i)] =
        static_cast<std::uint8_t>(body >> (8 * (prefix_len - 1 - i)));
  }
}

}  // namespace tls13::wire
