// supported_versions (RFC 8446 §4.2.1): the offered list in ClientHello, the
// selected version in ServerHello and HelloRetryRequest.
#pragma once

#include <cstdint>
#include <vector>

#include "base/result.h"
#include "msg/extension.h"
#include "wire/writer.h"

namespace tls13::msg {

// ProtocolVersion versions<2..254>, most preferred first. Unknown and GREASE
// values are kept.
struct SupportedVersionsClientHello {
  static constexpr ExtensionType kType = ExtensionType::supported_versions;
  std::vector<std::uint16_t> versions;

  bool offers(std::uint16_t v) const noexcept;

  static Result<SupportedVersionsClientHello> decode(wire::Bytes body);
  void encode(wire::Writer& w) const;
};

// ProtocolVersion selected_version.
struct SupportedVersionsServerHello {
  static constexpr ExtensionType kType = ExtensionType::supported_versions;
  std::uint16_t selected_version = 0;

  static Result<SupportedVersionsServerHello> decode(wire::Bytes body);
  void encode(wire::Writer& w) const { w.u16(selected_version); }
};

}  // namespace tls13::msg
