#include "msg/ext_misc.h"

#include "msg/codec_util.h"

namespace tls13::msg {

Result<CertificateStatusRequest> CertificateStatusRequest::decode(wire::Bytes body) {
  wire::Reader r(body);
  CertificateStatusRequest out;
  if (!r.read_u8(out.status_type)) return detail::decode_error("status_request: empty");
  if (out.status_type != kCertificateStatusTypeOcsp) {
    out.other_request = r.rest();
    return out;
  }
  wire::Reader ids;
  if (!r.read_prefixed(2, 0, 0xffff, ids) || !r.read_vector(2, 0, 0xffff, out.request_extensions) ||
      !r.empty()) {
    return detail::decode_error("status_request: malformed OCSPStatusRequest");
  }
  while (!ids.empty()) {
    wire::Bytes id;
    if (!ids.read_vector(2, 1, 0xffff, id)) {
      return detail::decode_error("status_request: malformed ResponderID");
    }
    out.responder_id_list.push_back(id);
  }
  return out;
}

void CertificateStatusRequest::encode(wire::Writer& w) const {
  w.u8(status_type);
  if (status_type != kCertificateStatusTypeOcsp) {
    w.bytes(other_request);
    return;
  }
  w.prefixed(2, [&](wire::Writer& b) {
    for (const auto& id : responder_id_list) b.vector(2, id);
  });
  w.vector(2, request_extensions);
}

Result<CertificateStatus> CertificateStatus::decode(wire::Bytes body) {
  wire::Reader r(body);
  CertificateStatus out;
  if (!r.read_u8(out.status_type) || out.status_type != kCertificateStatusTypeOcsp ||
      !r.read_vector(3, 1, 0xffffff, out.ocsp_response) || !r.empty()) {
    return detail::decode_error("status_request: malformed CertificateStatus");
  }
  return out;
}

void CertificateStatus::encode(wire::Writer& w) const {
  w.u8(status_type);
  w.vector(3, ocsp_response);
}

}  // namespace tls13::msg
