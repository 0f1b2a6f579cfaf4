// Internal helpers shared by the message and extension codecs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "wire/reader.h"
#include "wire/writer.h"

namespace tls13::msg::detail {

inline Error decode_error(std::string_view what) {
  return Error(Alert::decode_error, std::string(what));
}
inline Error illegal_parameter(std::string_view what) {
  return Error(Alert::illegal_parameter, std::string(what));
}

// A vector of 16-bit code points whose byte length (prefix `prefix_len`) must
// lie in [min, max] and be even. Values are kept as-is (unknown, GREASE).
template <class E>
[[nodiscard]] bool read_u16_list(wire::Reader& r, int prefix_len, std::size_t min, std::size_t max,
                                 std::vector<E>& out) {
  wire::Reader sub;
  if (!r.read_prefixed(prefix_len, min, max, sub) || sub.remaining() % 2 != 0) return false;
  out.clear();
  out.reserve(sub.remaining() / 2);
  std::uint16_t v;
  while (sub.read_u16(v)) out.push_back(static_cast<E>(v));
  return true;
}

template <class E>
void write_u16_list(wire::Writer& w, int prefix_len, const std::vector<E>& values) {
  w.prefixed(prefix_len, [&](wire::Writer& b) {
    for (E v : values) b.u16(static_cast<std::uint16_t>(v));
  });
}

}  // namespace tls13::msg::detail
