// Certificate status stapling (RFC 8446 §4.4.2.1): an OCSP response
// (status_request, RFC 6066 §8) and Signed Certificate Timestamps (RFC 6962
// §3.3.1) in the server's leaf CertificateEntry, sent when the client asks.
#pragma once

#include "base/result.h"
#include "msg/certificate.h"
#include "msg/extension.h"
#include "tls13/config.h"
#include "tls13/connection.h"

namespace tls13::hs {

// Client: the ClientHello extensions that ask for status.
void add_status_requests(const ClientConfig& cfg, msg::ExtensionList& ext);

// Client: the per-certificate extensions of the server's Certificate may
// only be what we asked for (unsupported_extension otherwise); the leaf's
// go to info.ocsp_response / info.sct_list (malformed: decode_error). An
// intermediate's are ignored: they do not speak for the leaf.
Result<void> read_certificate_status(const ClientConfig& cfg, const msg::Certificate& cert,
                                     HandshakeInfo& info);

// Server: staples ServerConfig::certificate_status to `leaf` for what the
// ClientHello asks for.
Result<void> add_certificate_status(const ServerConfig& cfg, const CertifiedKey& chosen,
                                    const msg::ExtensionList& client_hello,
                                    msg::CertificateEntry& leaf);

}  // namespace tls13::hs
