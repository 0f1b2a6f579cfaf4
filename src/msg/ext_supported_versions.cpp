#include "msg/ext_supported_versions.h"

#include <algorithm>

#include "msg/codec_util.h"

namespace tls13::msg {

bool SupportedVersionsClientHello::offers(std::uint16_t v) const noexcept {
  return std::ranges::find(versions, v) != versions.end();
}

Result<SupportedVersionsClientHello> SupportedVersionsClientHello::decode(wire::Bytes body) {
  wire::Reader r(body);
  SupportedVersionsClientHello out;
  if (!detail::read_u16_list(r, 1, 2, 254, out.versions) || !r.empty()) {
    return detail::decode_error("supported_versions: malformed version list");
  }
  return out;
}

void SupportedVersionsClientHello::encode(wire::Writer& w) const {
  detail::write_u16_list(w, 1, versions);
}

Result<SupportedVersionsServerHello> SupportedVersionsServerHello::decode(wire::Bytes body) {
  wire::Reader r(body);
  SupportedVersionsServerHello out;
  if (!r.read_u16(out.selected_version) || !r.empty()) {
    return detail::decode_error("supported_versions: malformed selected_version");
  }
  return out;
}

}  // namespace tls13::msg
