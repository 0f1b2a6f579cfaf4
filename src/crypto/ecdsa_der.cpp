#include "crypto/ecdsa_der.h"

#include <algorithm>

namespace tls13::crypto {

namespace {

constexpr std::uint8_t kSequence = 0x30;
constexpr std::uint8_t kInteger = 0x02;

std::span<const std::uint8_t> strip_zeros(std::span<const std::uint8_t> v) noexcept {
  while (!v.empty() && v.front() == 0) v = v.subspan(1);
  return v;
}

// Content length of the INTEGER for magnitude `v` (already stripped): an
// extra 0x00 keeps a set top bit from reading as negative; zero is one byte.
std::size_t integer_length(std::span<const std::uint8_t> v) noexcept {
  if (v.empty()) return 1;
  return v.size() + ((v.front() & 0x80) ? 1 : 0);
}

std::uint8_t* put_integer(std::uint8_t* p, std::span<const std::uint8_t> v) noexcept {
  const std::size_t len = integer_length(v);
  *p++ = kInteger;
  *p++ = static_cast<std::uint8_t>(len);
  if (len > v.size()) *p++ = 0;
  return std::copy(v.begin(), v.end(), p);
}

// Reads a DER length at in[pos] (short form, or 0x81 with a value >= 128:
// the longest form a signature needs); advances pos.
std::optional<std::size_t> read_length(std::span<const std::uint8_t> in,
                                       std::size_t& pos) noexcept {
  if (pos >= in.size()) return std::nullopt;
  const std::uint8_t b = in[pos++];
  if (b < 0x80) return b;
  if (b != 0x81 || pos >= in.size()) return std::nullopt;
  const std::uint8_t len = in[pos++];
  if (len < 0x80) return std::nullopt;  // not minimal
  return len;
}

std::optional<std::span<const std::uint8_t>> read_integer(std::span<const std::uint8_t> in,
                                                          std::size_t& pos) noexcept {
  if (pos >= in.size() || in[pos++] != kInteger) return std::nullopt;
  const auto len = read_length(in, pos);
  if (!len || *len == 0 || *len > in.size() - pos) return std::nullopt;
  auto v = in.subspan(pos, *len);
  pos += *len;
  if (v[0] & 0x80) return std::nullopt;                                  // negative
  if (v.size() > 1 && v[0] == 0 && !(v[1] & 0x80)) return std::nullopt;  // not minimal
  v = strip_zeros(v);
  if (v.size() > kEcdsaMaxScalar) return std::nullopt;
  return v;
}

}  // namespace

std::size_t ecdsa_der_encode(std::span<const std::uint8_t> r, std::span<const std::uint8_t> s,
                             std::span<std::uint8_t> out) noexcept {
  r = strip_zeros(r);
  s = strip_zeros(s);
  if (r.size() > kEcdsaMaxScalar || s.size() > kEcdsaMaxScalar || out.size() < kEcdsaMaxDer)
    return 0;
  const std::size_t body = 2 + integer_length(r) + 2 + integer_length(s);
  std::uint8_t* p = out.data();
  *p++ = kSequence;
  if (body >= 0x80) *p++ = 0x81;
  *p++ = static_cast<std::uint8_t>(body);
  p = put_integer(p, r);
  p = put_integer(p, s);
  return static_cast<std::size_t>(p - out.data());
}

std::optional<EcdsaSigParts> ecdsa_der_decode(std::span<const std::uint8_t> der) noexcept {
  std::size_t pos = 0;
  if (der.empty() || der[pos++] != kSequence) return std::nullopt;
  const auto body = read_length(der, pos);
  if (!body || *body != der.size() - pos) return std::nullopt;  // also: no trailing bytes
  EcdsaSigParts parts;
  auto r = read_integer(der, pos);
  if (!r) return std::nullopt;
  auto s = read_integer(der, pos);
  if (!s || pos != der.size()) return std::nullopt;
  parts.r = *r;
  parts.s = *s;
  return parts;
}

}  // namespace tls13::crypto
