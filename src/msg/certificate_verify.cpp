#include "msg/certificate_verify.h"

#include "msg/codec_util.h"

namespace tls13::msg {

Result<CertificateVerify> CertificateVerify::decode(wire::Bytes body) {
  wire::Reader r(body);
  CertificateVerify cv;
  std::uint16_t alg;
  if (!r.read_u16(alg) || !r.read_vector(2, 0, 0xffff, cv.signature) || !r.empty()) {
    return detail::decode_error("CertificateVerify: malformed");
  }
  cv.algorithm = static_cast<SignatureScheme>(alg);
  return cv;
}

void CertificateVerify::encode(wire::Writer& w) const {
  w.u16(static_cast<std::uint16_t>(algorithm));
  w.vector(2, signature);
}

}  // namespace tls13::msg
