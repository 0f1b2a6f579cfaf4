#include "msg/handshake.h"

#include "msg/codec_util.h"

namespace tls13::msg {

Result<HandshakeHeader> parse_handshake_header(wire::Bytes data) {
  wire::Reader r(data);
  std::uint8_t type;
  HandshakeHeader h;
  if (!r.read_u8(type) || !r.read_u24(h.length)) {
    return detail::decode_error("handshake: truncated header");
  }
  h.type = static_cast<HandshakeType>(type);
  return h;
}

Result<HandshakeView> parse_handshake(wire::Bytes message) {
  TLS13_ASSIGN_OR_RETURN(HandshakeHeader h, parse_handshake_header(message));
  if (message.size() - kHandshakeHeaderSize != h.length) {
    return detail::decode_error("handshake: length field does not match message");
  }
  return HandshakeView{h.type, message.subspan(kHandshakeHeaderSize)};
}

Result<std::vector<std::uint8_t>> encode_handshake(HandshakeType type, wire::Bytes body) {
  return encode_handshake(type, [&](wire::Writer& w) { w.bytes(body); });
}

}  // namespace tls13::msg
