#include "hs/certificate_status.h"

#include <string>
#include <vector>

#include "hs/common.h"
#include "msg/ext_misc.h"
#include "wire/reader.h"

namespace tls13::hs {

namespace {

using msg::ExtensionType;

// RFC 6962 §3.3: opaque SerializedSCT<1..2^16-1>;
// struct { SerializedSCT sct_list<1..2^16-1>; } SignedCertificateTimestampList.
bool valid_sct_list(wire::Bytes body) {
  wire::Reader r(body);
  wire::Reader list;
  if (!r.read_prefixed(2, 1, 0xffff, list) || !r.empty()) return false;
  while (!list.empty()) {
    wire::Bytes sct;
    if (!list.read_vector(2, 1, 0xffff, sct)) return false;
  }
  return true;
}

}  // namespace

void add_status_requests(const ClientConfig& cfg, msg::ExtensionList& ext) {
  if (cfg.request_ocsp) ext.add(msg::CertificateStatusRequest{});  // ocsp, no responder IDs
  if (cfg.request_sct) ext.add(ExtensionType::signed_certificate_timestamp, {});
}

Result<void> read_certificate_status(const ClientConfig& cfg, const msg::Certificate& cert,
                                     HandshakeInfo& info) {
  std::vector<std::uint16_t> asked;
  if (cfg.request_ocsp) asked.push_back(static_cast<std::uint16_t>(ExtensionType::status_request));
  if (cfg.request_sct)
    asked.push_back(static_cast<std::uint16_t>(ExtensionType::signed_certificate_timestamp));
  info.ocsp_response.clear();
  info.sct_list.clear();
  for (const auto& entry : cert.certificate_list)
    TLS13_TRY(check_solicited(entry.extensions, asked, "CertificateEntry"));
  if (cert.certificate_list.empty()) return ok();
  const auto& leaf = cert.certificate_list.front().extensions;
  auto status = leaf.get<msg::CertificateStatus>();
  if (!status) return std::move(status).error();
  if (status->has_value())
    info.ocsp_response.assign((*status)->ocsp_response.begin(), (*status)->ocsp_response.end());
  if (auto sct = leaf.find(ExtensionType::signed_certificate_timestamp)) {
    if (!valid_sct_list(sct->body))
      return Error(Alert::decode_error, "signed_certificate_timestamp: malformed SCT list");
    info.sct_list.assign(sct->body.begin(), sct->body.end());
  }
  return ok();
}

Result<void> add_certificate_status(const ServerConfig& cfg, const CertifiedKey& chosen,
                                    const msg::ExtensionList& client_hello,
                                    msg::CertificateEntry& leaf) {
  auto request = client_hello.get<msg::CertificateStatusRequest>();
  if (!request) return std::move(request).error();
  const bool ocsp =
      request->has_value() && (*request)->status_type == msg::kCertificateStatusTypeOcsp;
  const bool sct = client_hello.contains(ExtensionType::signed_certificate_timestamp);
  if (!cfg.certificate_status || (!ocsp && !sct)) return ok();
  auto status = cfg.certificate_status(chosen);
  if (!status) return std::move(status).error();
  if (ocsp && !status->ocsp_response.empty()) {
    if (status->ocsp_response.size() > 0xffffff)
      return Error(Alert::internal_error, "OCSP response too large to staple");
    leaf.extensions.add(msg::CertificateStatus{msg::kCertificateStatusTypeOcsp,
                                               wire::Bytes(status->ocsp_response)});
  }
  if (sct && !status->sct_list.empty()) {
    if (!valid_sct_list(status->sct_list))
      return Error(Alert::internal_error, "CertificateStatus::sct_list is not an SCT list");
    leaf.extensions.add(ExtensionType::signed_certificate_timestamp, status->sct_list);
  }
  return ok();
}

}  // namespace tls13::hs
