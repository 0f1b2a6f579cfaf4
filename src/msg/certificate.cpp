#include "msg/certificate.h"

#include "msg/codec_util.h"

namespace tls13::msg {

Result<Certificate> Certificate::decode(wire::Bytes body, const DecodeLimits& limits) {
  wire::Reader r(body);
  Certificate c;
  wire::Reader list;
  if (!r.read_vector(1, 0, 255, c.certificate_request_context)) {
    return detail::decode_error("Certificate: malformed certificate_request_context");
  }
  if (!r.read_prefixed(3, 0, 0xffffff, list)) {
    return detail::decode_error("Certificate: malformed certificate_list");
  }
  if (!r.empty()) return detail::decode_error("Certificate: trailing data");
  while (!list.empty()) {
    if (c.certificate_list.size() == limits.max_certificate_entries) {
      return detail::decode_error("Certificate: too many certificates");
    }
    CertificateEntry e;
    if (!list.read_vector(3, 1, 0xffffff, e.cert_data)) {
      return detail::decode_error("Certificate: malformed cert_data");
    }
    TLS13_ASSIGN_OR_RETURN(
        e.extensions, decode_extensions(list, MessageContext::certificate, limits.max_extensions));
    c.certificate_list.push_back(std::move(e));
  }
  return c;
}

void Certificate::encode(wire::Writer& w) const {
  w.vector(1, certificate_request_context);
  w.prefixed(3, [&](wire::Writer& b) {
    for (const auto& e : certificate_list) {
      b.vector(3, e.cert_data);
      e.extensions.encode(b);
    }
  });
}

}  // namespace tls13::msg
