// libFuzzer target: extension blocks in every message context, and every
// typed extension body decoder.
#include <cstdint>
#include <span>

#include "msg/ext_certificate_authorities.h"
#include "msg/ext_cookie.h"
#include "msg/ext_groups_sigalgs.h"
#include "msg/ext_key_share.h"
#include "msg/ext_misc.h"
#include "msg/ext_names.h"
#include "msg/ext_psk.h"
#include "msg/ext_record_size_limit.h"
#include "msg/ext_supported_versions.h"
#include "msg/extension.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tls13::msg;
  if (size == 0) return 0;
  const auto ctx = static_cast<MessageContext>(data[0] % 7);
  const std::span<const std::uint8_t> rest(data + 1, size - 1);
  tls13::wire::Reader r(rest);
  (void)decode_extensions(r, ctx);
  (void)KeyShareClientHello::decode(rest);
  (void)KeyShareServerHello::decode(rest);
  (void)KeyShareHelloRetryRequest::decode(rest);
  (void)SupportedVersionsClientHello::decode(rest);
  (void)SupportedVersionsServerHello::decode(rest);
  (void)OfferedPsks::decode(rest);
  (void)PreSharedKeyServerHello::decode(rest);
  (void)PskKeyExchangeModes::decode(rest);
  (void)EarlyDataNewSessionTicket::decode(rest);
  (void)ServerNameList::decode(rest);
  (void)ProtocolNameList::decode(rest);
  (void)NamedGroupList::decode(rest);
  (void)SignatureSchemeList::decode(rest);
  (void)SignatureSchemeListCert::decode(rest);
  (void)Cookie::decode(rest);
  (void)CertificateAuthorities::decode(rest);
  (void)OidFilters::decode(rest);
  (void)RecordSizeLimit::decode(rest);
  (void)CertificateStatusRequest::decode(rest);
  return 0;
}
