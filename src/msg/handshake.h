// Handshake framing (RFC 8446 §4): a 1-byte HandshakeType and a uint24 body
// length, then the body. Message structs (client_hello.h, ...) decode and
// encode bodies; these helpers add or strip the header.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "base/result.h"
#include "msg/handshake_type.h"
#include "wire/reader.h"
#include "wire/writer.h"

namespace tls13::msg {

inline constexpr std::size_t kHandshakeHeaderSize = 4;

struct HandshakeHeader {
  HandshakeType type{};
  std::uint32_t length = 0;  // body bytes that follow the header
};

// Reads the header at the start of `data`; the body need not be present yet
// (for reassembly). decode_error if fewer than 4 bytes.
Result<HandshakeHeader> parse_handshake_header(wire::Bytes data);

// A complete message split into type and body (a view).
struct HandshakeView {
  HandshakeType type{};
  wire::Bytes body;
};

// Splits exactly one message: decode_error unless the length field matches
// the bytes after the header.
Result<HandshakeView> parse_handshake(wire::Bytes message);
Result<HandshakeView> parse_handshake(std::vector<std::uint8_t>&&) = delete;  // would dangle

inline constexpr std::size_t kFreshMessageReserve = 512;

// Appends header + body to `out`; `body(w)` writes the body. internal_error
// if anything overflowed its length field (e.g. a body above 2^24-1 bytes or
// a list above its prefix); `out` then keeps its previous contents.
template <std::invocable<wire::Writer&> F>
Result<void> append_handshake(std::vector<std::uint8_t>& out, HandshakeType type, F&& body) {
  // A fresh buffer would otherwise grow byte by byte through 1, 2, 4, ...
  // (six reallocations for a ClientHello); one block holds most messages.
  if (out.capacity() == 0) out.reserve(kFreshMessageReserve);
  const std::size_t start = out.size();
  wire::Writer w(out);
  w.u8(static_cast<std::uint8_t>(type));
  w.prefixed(3, std::forward<F>(body));
  if (!w.ok()) {
    out.resize(start);
    return Error(Alert::internal_error, "handshake message too long for its length fields");
  }
  return {};
}

template <std::invocable<wire::Writer&> F>
Result<std::vector<std::uint8_t>> encode_handshake(HandshakeType type, F&& body) {
  std::vector<std::uint8_t> out;
  TLS13_TRY(append_handshake(out, type, std::forward<F>(body)));
  return out;
}

// A message whose body is already encoded.
Result<std::vector<std::uint8_t>> encode_handshake(HandshakeType type, wire::Bytes body);

// Any message struct M with M::kType and M::encode(Writer&).
template <class M>
Result<std::vector<std::uint8_t>> encode_message(const M& m) {
  return encode_handshake(M::kType, [&](wire::Writer& w) { m.encode(w); });
}
template <class M>
Result<void> append_message(std::vector<std::uint8_t>& out, const M& m) {
  return append_handshake(out, M::kType, [&](wire::Writer& w) { m.encode(w); });
}

}  // namespace tls13::msg
