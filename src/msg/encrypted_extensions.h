// EncryptedExtensions (RFC 8446 §4.3.1): Extension extensions<0..2^16-1>.
#pragma once

#include "base/result.h"
#include "msg/decode_guard.h"
#include "msg/extension.h"
#include "msg/handshake_type.h"
#include "msg/limits.h"
#include "wire/writer.h"

namespace tls13::msg {

// Decode rejects extensions the §4.2 table forbids here (key_share,
// supported_versions, ...: illegal_parameter, as §4.3.1 requires).
struct EncryptedExtensions {
  static constexpr HandshakeType kType = HandshakeType::encrypted_extensions;
  ExtensionList extensions;

  static Result<EncryptedExtensions> decode(wire::Bytes body, const DecodeLimits& limits = {});
  TLS13_MSG_NO_DECODE_FROM_TEMPORARY(EncryptedExtensions);
  void encode(wire::Writer& w) const { extensions.encode(w); }
};

}  // namespace tls13::msg
