// certificate_authorities (RFC 8446 §4.2.4) and oid_filters (§4.2.5): hints
// that guide the peer's certificate selection. DER contents are opaque here.
#pragma once

#include <vector>

#include "base/result.h"
#include "msg/decode_guard.h"
#include "msg/extension.h"
#include "wire/writer.h"

namespace tls13::msg {

// CertificateAuthoritiesExtension: DistinguishedName authorities<3..2^16-1>,
// DistinguishedName = opaque<1..2^16-1> (DER, views).
struct CertificateAuthorities {
  static constexpr ExtensionType kType = ExtensionType::certificate_authorities;
  std::vector<wire::Bytes> authorities;

  static Result<CertificateAuthorities> decode(wire::Bytes body);
  TLS13_MSG_NO_DECODE_FROM_TEMPORARY(CertificateAuthorities);
  void encode(wire::Writer& w) const;
};

// struct { opaque certificate_extension_oid<1..2^8-1>;
//          opaque certificate_extension_values<0..2^16-1>; }
struct OidFilter {
  wire::Bytes certificate_extension_oid;
  wire::Bytes certificate_extension_values;
};

// OIDFilterExtension: OIDFilter filters<0..2^16-1>. An OID listed twice is
// illegal_parameter ("Any given OID MUST NOT appear more than once").
struct OidFilters {
  static constexpr ExtensionType kType = ExtensionType::oid_filters;
  std::vector<OidFilter> filters;

  static Result<OidFilters> decode(wire::Bytes body);
  TLS13_MSG_NO_DECODE_FROM_TEMPORARY(OidFilters);
  void encode(wire::Writer& w) const;
};

}  // namespace tls13::msg
