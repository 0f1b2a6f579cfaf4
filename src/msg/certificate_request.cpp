#include "msg/certificate_request.h"

#include "msg/codec_util.h"

namespace tls13::msg {

Result<CertificateRequest> CertificateRequest::decode(wire::Bytes body,
                                                      const DecodeLimits& limits) {
  wire::Reader r(body);
  CertificateRequest cr;
  if (!r.read_vector(1, 0, 255, cr.certificate_request_context)) {
    return detail::decode_error("CertificateRequest: malformed certificate_request_context");
  }
  TLS13_ASSIGN_OR_RETURN(cr.extensions, decode_extensions(r, MessageContext::certificate_request,
                                                          limits.max_extensions));
  if (!r.empty()) return detail::decode_error("CertificateRequest: trailing data");
  return cr;
}

void CertificateRequest::encode(wire::Writer& w) const {
  w.vector(1, certificate_request_context);
  extensions.encode(w);
}

}  // namespace tls13::msg
