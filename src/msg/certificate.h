// Certificate (RFC 8446 §4.4.2).
#pragma once

#include <vector>

#include "base/result.h"
#include "msg/decode_guard.h"
#include "msg/extension.h"
#include "msg/handshake_type.h"
#include "msg/limits.h"
#include "wire/writer.h"

namespace tls13::msg {

// struct { opaque cert_data<1..2^24-1>; Extension extensions<0..2^16-1>; }
// cert_data is an X.509 certificate or, with RFC 7250 raw public keys, a
// SubjectPublicKeyInfo; the wire shape is the same. A view.
struct CertificateEntry {
  wire::Bytes cert_data;
  ExtensionList extensions;
};

//   opaque certificate_request_context<0..2^8-1>;
//   CertificateEntry certificate_list<0..2^24-1>;
// An empty list is valid syntax (a client without a certificate); that a
// server's list is non-empty, and that entry extensions were solicited, are
// state machine checks. More than limits.max_certificate_entries entries is
// decode_error.
struct Certificate {
  static constexpr HandshakeType kType = HandshakeType::certificate;
  wire::Bytes certificate_request_context;
  std::vector<CertificateEntry> certificate_list;

  static Result<Certificate> decode(wire::Bytes body, const DecodeLimits& limits = {});
  TLS13_MSG_NO_DECODE_FROM_TEMPORARY(Certificate);
  void encode(wire::Writer& w) const;
};

}  // namespace tls13::msg
