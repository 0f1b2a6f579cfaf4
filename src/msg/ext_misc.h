// Small extensions: padding (RFC 7685), post_handshake_auth (RFC 8446
// §4.2.6), status_request (RFC 6066 §8, RFC 8446 §4.4.2.1) and the RFC 7250
// certificate type extensions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/result.h"
#include "msg/decode_guard.h"
#include "msg/extension.h"
#include "wire/writer.h"

namespace tls13::msg {

// padding: `length` zero bytes. The receiver ignores the contents (RFC 7685
// §3 lets servers skip checking them), so decode only measures.
struct Padding {
  static constexpr ExtensionType kType = ExtensionType::padding;
  std::size_t length = 0;

  static Result<Padding> decode(wire::Bytes body) { return Padding{body.size()}; }
  void encode(wire::Writer& w) const { w.zeros(length); }
};

// post_handshake_auth: empty, ClientHello only.
using PostHandshakeAuth = EmptyExtension<ExtensionType::post_handshake_auth>;

inline constexpr std::uint8_t kCertificateStatusTypeOcsp = 1;

// status_request in ClientHello: CertificateStatusRequest.
//   ocsp(1): ResponderID responder_id_list<0..2^16-1> (ResponderID
//            opaque<1..2^16-1>), opaque request_extensions<0..2^16-1>.
// Other status types carry no defined structure; their bytes stay in
// `other_request`. (In CertificateRequest the extension is empty:
// use EmptyExtension<ExtensionType::status_request>.)
struct CertificateStatusRequest {
  static constexpr ExtensionType kType = ExtensionType::status_request;
  std::uint8_t status_type = kCertificateStatusTypeOcsp;
  std::vector<wire::Bytes> responder_id_list;
  wire::Bytes request_extensions;
  wire::Bytes other_request;

  static Result<CertificateStatusRequest> decode(wire::Bytes body);
  TLS13_MSG_NO_DECODE_FROM_TEMPORARY(CertificateStatusRequest);
  void encode(wire::Writer& w) const;
};

// status_request in a CertificateEntry: CertificateStatus with
// ocsp(1): opaque OCSPResponse<1..2^24-1>. Other status types: decode_error.
struct CertificateStatus {
  static constexpr ExtensionType kType = ExtensionType::status_request;
  std::uint8_t status_type = kCertificateStatusTypeOcsp;
  wire::Bytes ocsp_response;

  static Result<CertificateStatus> decode(wire::Bytes body);
  TLS13_MSG_NO_DECODE_FROM_TEMPORARY(CertificateStatus);
  void encode(wire::Writer& w) const;
};

// RFC 7250 CertificateType values (also RFC 8446 §4.4.2).
enum class CertificateType : std::uint8_t { x509 = 0, raw_public_key = 2 };

// client_certificate_type / server_certificate_type in ClientHello:
// CertificateType types<1..2^8-1>.
template <ExtensionType E>
struct CertificateTypeList {
  static constexpr ExtensionType kType = E;
  std::vector<CertificateType> types;

  static Result<CertificateTypeList> decode(wire::Bytes body) {
    wire::Reader r(body);
    wire::Bytes v;
    if (!r.read_vector(1, 1, 255, v) || !r.empty()) {
      return Error(Alert::decode_error, std::string(to_string(E)) + ": malformed list");
    }
    CertificateTypeList out;
    for (std::uint8_t t : v) out.types.push_back(static_cast<CertificateType>(t));
    return out;
  }
  void encode(wire::Writer& w) const {
    w.prefixed(1, [&](wire::Writer& b) {
      for (auto t : types) b.u8(static_cast<std::uint8_t>(t));
    });
  }
};

// The same extensions in EncryptedExtensions: one CertificateType.
template <ExtensionType E>
struct CertificateTypeSelected {
  static constexpr ExtensionType kType = E;
  CertificateType type = CertificateType::x509;

  static Result<CertificateTypeSelected> decode(wire::Bytes body) {
    if (body.size() != 1) {
      return Error(Alert::decode_error, std::string(to_string(E)) + ": malformed value");
    }
    return CertificateTypeSelected{static_cast<CertificateType>(body[0])};
  }
  void encode(wire::Writer& w) const { w.u8(static_cast<std::uint8_t>(type)); }
};

using ClientCertificateTypes = CertificateTypeList<ExtensionType::client_certificate_type>;
using ServerCertificateTypes = CertificateTypeList<ExtensionType::server_certificate_type>;
using ClientCertificateTypeSelected =
    CertificateTypeSelected<ExtensionType::client_certificate_type>;
using ServerCertificateTypeSelected =
    CertificateTypeSelected<ExtensionType::server_certificate_type>;

}  // namespace tls13::msg
