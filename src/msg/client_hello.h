// ClientHello (RFC 8446 §4.1.2), plus the PSK binder helpers of §4.2.11.2.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "base/result.h"
#include "msg/decode_guard.h"
#include "msg/extension.h"
#include "msg/handshake_type.h"
#include "msg/limits.h"
#include "tls13/types.h"
#include "wire/reader.h"
#include "wire/writer.h"

namespace tls13::msg {

inline constexpr std::array<std::uint8_t, 1> kNullCompressionOnly = {0};

//   ProtocolVersion legacy_version = 0x0303;
//   Random random;
//   opaque legacy_session_id<0..32>;
//   CipherSuite cipher_suites<2..2^16-2>;
//   opaque legacy_compression_methods<1..2^8-1>;
//   Extension extensions<8..2^16-1>;
// Byte strings and decoded extensions are views into the decoded buffer.
// Decode checks syntax, the §4.2 table and that pre_shared_key comes last
// (illegal_parameter, §4.2.11). legacy_version and the compression methods
// are reported, not judged: the server decides (0x0303 / exactly {0}, else
// illegal_parameter for TLS 1.3).
struct ClientHello {
  static constexpr HandshakeType kType = HandshakeType::client_hello;

  std::uint16_t legacy_version = kTls12;
  Random random{};
  wire::Bytes legacy_session_id;
  std::vector<CipherSuite> cipher_suites;
  wire::Bytes legacy_compression_methods = kNullCompressionOnly;
  ExtensionList extensions;

  // True if legacy_compression_methods is exactly {0} (§4.1.2).
  bool null_compression_only() const noexcept;

  static Result<ClientHello> decode(wire::Bytes body, const DecodeLimits& limits = {});
  TLS13_MSG_NO_DECODE_FROM_TEMPORARY(ClientHello);
  void encode(wire::Writer& w) const;
};

// Truncate(ClientHello) of §4.2.11.2: the complete message (with its 4-byte
// header) minus the trailing binders field of its pre_shared_key extension.
// The result is a prefix of `client_hello_message`. decode errors as for
// ClientHello::decode / OfferedPsks::decode; internal_error if the message
// has no pre_shared_key.
Result<wire::Bytes> truncate_client_hello_for_binders(wire::Bytes client_hello_message,
                                                      const DecodeLimits& limits = {});
Result<wire::Bytes> truncate_client_hello_for_binders(std::vector<std::uint8_t>&&,
                                                      auto&&...) = delete;  // would dangle

// Overwrites the binders in an encoded ClientHello (with header), e.g. after
// encoding it with zeroed placeholder binders of the right lengths and
// computing the real ones over truncate_client_hello_for_binders(). The count
// and each length must match the encoded ones (internal_error otherwise).
Result<void> patch_psk_binders(std::span<std::uint8_t> client_hello_message,
                               std::span<const wire::Bytes> binders,
                               const DecodeLimits& limits = {});

}  // namespace tls13::msg
