// NewSessionTicket (RFC 8446 §4.6.1).
#pragma once

#include <cstdint>

#include "base/result.h"
#include "msg/decode_guard.h"
#include "msg/extension.h"
#include "msg/handshake_type.h"
#include "msg/limits.h"
#include "wire/writer.h"

namespace tls13::msg {

// Longest ticket_lifetime a server may send (7 days, §4.6.1).
inline constexpr std::uint32_t kMaxTicketLifetime = 604800;

//   uint32 ticket_lifetime;
//   uint32 ticket_age_add;
//   opaque ticket_nonce<0..255>;
//   opaque ticket<1..2^16-1>;
//   Extension extensions<0..2^16-2>;
// Nonce, ticket and extensions are views. The lifetime is reported as sent;
// clients cap it at kMaxTicketLifetime themselves.
struct NewSessionTicket {
  static constexpr HandshakeType kType = HandshakeType::new_session_ticket;
  std::uint32_t ticket_lifetime = 0;
  std::uint32_t ticket_age_add = 0;
  wire::Bytes ticket_nonce;
  wire::Bytes ticket;
  ExtensionList extensions;

  static Result<NewSessionTicket> decode(wire::Bytes body, const DecodeLimits& limits = {});
  TLS13_MSG_NO_DECODE_FROM_TEMPORARY(NewSessionTicket);
  void encode(wire::Writer& w) const;
};

}  // namespace tls13::msg
