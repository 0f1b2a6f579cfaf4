// Finished (RFC 8446 §4.4.4): opaque verify_data[Hash.length].
#pragma once

#include <cstddef>

#include "base/result.h"
#include "msg/decode_guard.h"
#include "msg/handshake_type.h"
#include "wire/reader.h"
#include "wire/writer.h"

namespace tls13::msg {

// `verify_data` is a view; compare it with ct_equal.
struct Finished {
  static constexpr HandshakeType kType = HandshakeType::finished;
  wire::Bytes verify_data;

  // decode_error unless the body is exactly `hash_length` bytes.
  static Result<Finished> decode(wire::Bytes body, std::size_t hash_length);
  TLS13_MSG_NO_DECODE_FROM_TEMPORARY(Finished);
  void encode(wire::Writer& w) const { w.bytes(verify_data); }
};

}  // namespace tls13::msg
