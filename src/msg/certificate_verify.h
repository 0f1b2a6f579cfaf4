// CertificateVerify (RFC 8446 §4.4.3).
#pragma once

#include "base/result.h"
#include "msg/decode_guard.h"
#include "msg/handshake_type.h"
#include "tls13/types.h"
#include "wire/reader.h"
#include "wire/writer.h"

namespace tls13::msg {

// struct { SignatureScheme algorithm; opaque signature<0..2^16-1>; }
// The scheme is kept as sent (unknown and GREASE values included); whether it
// was offered is the state machine's check. `signature` is a view.
struct CertificateVerify {
  static constexpr HandshakeType kType = HandshakeType::certificate_verify;
  SignatureScheme algorithm{};
  wire::Bytes signature;

  static Result<CertificateVerify> decode(wire::Bytes body);
  TLS13_MSG_NO_DECODE_FROM_TEMPORARY(CertificateVerify);
  void encode(wire::Writer& w) const;
};

}  // namespace tls13::msg
