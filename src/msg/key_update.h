// KeyUpdate (RFC 8446 §4.6.3).
#pragma once

#include <cstdint>

#include "base/result.h"
#include "msg/handshake_type.h"
#include "wire/reader.h"
#include "wire/writer.h"

namespace tls13::msg {

enum class KeyUpdateRequest : std::uint8_t { update_not_requested = 0, update_requested = 1 };

// struct { KeyUpdateRequest request_update; }
// Any other request value is illegal_parameter (§4.6.3 MUST).
struct KeyUpdate {
  static constexpr HandshakeType kType = HandshakeType::key_update;
  KeyUpdateRequest request_update = KeyUpdateRequest::update_not_requested;

  static Result<KeyUpdate> decode(wire::Bytes body);
  void encode(wire::Writer& w) const { w.u8(static_cast<std::uint8_t>(request_update)); }
};

}  // namespace tls13::msg
