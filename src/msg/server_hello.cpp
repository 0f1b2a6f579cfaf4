#include "msg/server_hello.h"

#include <algorithm>

#include "msg/codec_util.h"

namespace tls13::msg {

Result<ServerHello> ServerHello::decode(wire::Bytes body, const DecodeLimits& limits) {
  wire::Reader r(body);
  ServerHello sh;
  wire::Bytes random;
  std::uint16_t suite;
  if (!r.read_u16(sh.legacy_version) || !r.read_bytes(sh.random.size(), random)) {
    return detail::decode_error("ServerHello: truncated");
  }
  std::ranges::copy(random, sh.random.begin());
  if (!r.read_vector(1, 0, 32, sh.legacy_session_id_echo)) {
    return detail::decode_error("ServerHello: malformed legacy_session_id_echo");
  }
  if (!r.read_u16(suite) || !r.read_u8(sh.legacy_compression_method)) {
    return detail::decode_error("ServerHello: truncated");
  }
  sh.cipher_suite = static_cast<CipherSuite>(suite);
  TLS13_ASSIGN_OR_RETURN(sh.extensions, decode_extensions(r, sh.context(), limits.max_extensions));
  if (!r.empty()) return detail::decode_error("ServerHello: trailing data");
  // Checked after the full parse so a malformed message still reports
  // decode_error first.
  if (sh.legacy_compression_method != 0) {
    return detail::illegal_parameter("ServerHello: legacy_compression_method is not 0");
  }
  return sh;
}

void ServerHello::encode(wire::Writer& w) const {
  w.u16(legacy_version);
  w.bytes(random);
  w.vector(1, legacy_session_id_echo);
  w.u16(static_cast<std::uint16_t>(cipher_suite));
  w.u8(legacy_compression_method);
  extensions.encode(w);
}

}  // namespace tls13::msg
