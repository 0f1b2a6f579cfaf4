// EndOfEarlyData (RFC 8446 §4.5): struct {} — an empty body.
#pragma once

#include "base/result.h"
#include "msg/handshake_type.h"
#include "wire/reader.h"
#include "wire/writer.h"

namespace tls13::msg {

struct EndOfEarlyData {
  static constexpr HandshakeType kType = HandshakeType::end_of_early_data;

  // decode_error on a non-empty body.
  static Result<EndOfEarlyData> decode(wire::Bytes body);
  void encode(wire::Writer&) const {}
};

}  // namespace tls13::msg
