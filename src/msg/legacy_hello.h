// Recognising hellos of older TLS versions, which the strict TLS 1.3
// decoders reject as malformed (a TLS 1.2 hello may omit its extensions).
// RFC 8446 wants those answered with protocol_version, not decode_error
// (§4.1.3, §4.2.1, Appendix D.5).
#pragma once

#include <cstdint>
#include <optional>

#include "msg/handshake_type.h"
#include "wire/reader.h"

namespace tls13::msg {

// legacy_version: the first two bytes of a ClientHello or ServerHello body.
std::optional<std::uint16_t> peek_legacy_version(wire::Bytes hello_body) noexcept;

// A well-formed ClientHello without extensions: no extensions block, or an
// empty one (either way no supported_versions, so not TLS 1.3).
bool is_extensionless_client_hello(wire::Bytes body) noexcept;

// The random of a well-formed ServerHello without extensions (no block, or
// an empty one).
std::optional<Random> extensionless_server_hello_random(wire::Bytes body) noexcept;

}  // namespace tls13::msg
