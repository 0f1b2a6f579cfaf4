#include "msg/key_update.h"

#include "msg/codec_util.h"

namespace tls13::msg {

Result<KeyUpdate> KeyUpdate::decode(wire::Bytes body) {
  wire::Reader r(body);
  std::uint8_t v;
  if (!r.read_u8(v) || !r.empty()) return detail::decode_error("KeyUpdate: malformed");
  if (v > 1) return detail::illegal_parameter("KeyUpdate: unknown request_update value");
  return KeyUpdate{static_cast<KeyUpdateRequest>(v)};
}

}  // namespace tls13::msg
