// ServerHello and HelloRetryRequest (RFC 8446 §4.1.3, §4.1.4): one wire
// structure; a HelloRetryRequest is a ServerHello whose random is
// SHA-256("HelloRetryRequest").
#pragma once

#include <cstdint>

#include "base/result.h"
#include "msg/decode_guard.h"
#include "msg/extension.h"
#include "msg/handshake_type.h"
#include "msg/limits.h"
#include "tls13/types.h"
#include "wire/reader.h"
#include "wire/writer.h"

namespace tls13::msg {

// §4.1.3: SHA-256("HelloRetryRequest").
inline constexpr Random kHelloRetryRequestRandom = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

//   ProtocolVersion legacy_version = 0x0303;
//   Random random;
//   opaque legacy_session_id_echo<0..32>;
//   CipherSuite cipher_suite;
//   uint8 legacy_compression_method = 0;
//   Extension extensions<6..2^16-1>;
// Decode checks the extensions against the ServerHello or the
// HelloRetryRequest column of §4.2 (chosen by the random) and rejects a
// compression method other than 0 (illegal_parameter). Everything that needs
// the ClientHello (echo, suite offered, version, downgrade sentinel,
// unsolicited extensions) is the client state machine's.
struct ServerHello {
  static constexpr HandshakeType kType = HandshakeType::server_hello;

  std::uint16_t legacy_version = kTls12;
  Random random{};
  wire::Bytes legacy_session_id_echo;
  CipherSuite cipher_suite{};
  std::uint8_t legacy_compression_method = 0;
  ExtensionList extensions;

  bool is_hello_retry_request() const noexcept { return random == kHelloRetryRequestRandom; }
  MessageContext context() const noexcept {
    return is_hello_retry_request() ? MessageContext::hello_retry_request
                                    : MessageContext::server_hello;
  }

  static Result<ServerHello> decode(wire::Bytes body, const DecodeLimits& limits = {});
  TLS13_MSG_NO_DECODE_FROM_TEMPORARY(ServerHello);
  void encode(wire::Writer& w) const;
};

}  // namespace tls13::msg
