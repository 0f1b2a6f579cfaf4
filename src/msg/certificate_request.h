// CertificateRequest (RFC 8446 §4.3.2).
#pragma once

#include "base/result.h"
#include "msg/decode_guard.h"
#include "msg/extension.h"
#include "msg/handshake_type.h"
#include "msg/limits.h"
#include "wire/writer.h"

namespace tls13::msg {

//   opaque certificate_request_context<0..2^8-1>;
//   Extension extensions<2..2^16-1>;
// Unrecognized extensions are kept (the client ignores them); that
// signature_algorithms is present (missing_extension) is the client state
// machine's check.
struct CertificateRequest {
  static constexpr HandshakeType kType = HandshakeType::certificate_request;
  wire::Bytes certificate_request_context;
  ExtensionList extensions;

  static Result<CertificateRequest> decode(wire::Bytes body, const DecodeLimits& limits = {});
  TLS13_MSG_NO_DECODE_FROM_TEMPORARY(CertificateRequest);
  void encode(wire::Writer& w) const;
};

}  // namespace tls13::msg
