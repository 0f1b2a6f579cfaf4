#include "msg/ext_certificate_authorities.h"

#include <algorithm>

#include "msg/codec_util.h"

namespace tls13::msg {

Result<CertificateAuthorities> CertificateAuthorities::decode(wire::Bytes body) {
  wire::Reader r(body);
  wire::Reader list;
  if (!r.read_prefixed(2, 3, 0xffff, list) || !r.empty()) {
    return detail::decode_error("certificate_authorities: malformed list");
  }
  CertificateAuthorities out;
  while (!list.empty()) {
    wire::Bytes dn;
    if (!list.read_vector(2, 1, 0xffff, dn)) {
      return detail::decode_error("certificate_authorities: malformed name");
    }
    out.authorities.push_back(dn);
  }
  return out;
}

void CertificateAuthorities::encode(wire::Writer& w) const {
  w.prefixed(2, [&](wire::Writer& b) {
    for (const auto& dn : authorities) b.vector(2, dn);
  });
}

Result<OidFilters> OidFilters::decode(wire::Bytes body) {
  wire::Reader r(body);
  wire::Reader list;
  if (!r.read_prefixed(2, 0, 0xffff, list) || !r.empty()) {
    return detail::decode_error("oid_filters: malformed list");
  }
  OidFilters out;
  while (!list.empty()) {
    OidFilter f;
    if (!list.read_vector(1, 1, 255, f.certificate_extension_oid) ||
        !list.read_vector(2, 0, 0xffff, f.certificate_extension_values)) {
      return detail::decode_error("oid_filters: malformed filter");
    }
    out.filters.push_back(f);
  }
  // Duplicate check on a sorted copy: a 64 KiB body holds ~16k filters.
  std::vector<wire::Bytes> oids;
  for (const auto& f : out.filters) oids.push_back(f.certificate_extension_oid);
  auto less = [](wire::Bytes a, wire::Bytes b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
  };
  std::ranges::sort(oids, less);
  for (std::size_t i = 1; i < oids.size(); ++i) {
    if (std::ranges::equal(oids[i - 1], oids[i])) {
      return detail::illegal_parameter("oid_filters: OID listed twice");
    }
  }
  return out;
}

void OidFilters::encode(wire::Writer& w) const {
  w.prefixed(2, [&](wire::Writer& b) {
    for (const auto& f : filters) {
      b.vector(1, f.certificate_extension_oid);
      b.vector(2, f.certificate_extension_values);
    }
  });
}

}  // namespace tls13::msg
