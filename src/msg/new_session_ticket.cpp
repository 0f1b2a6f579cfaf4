#include "msg/new_session_ticket.h"

#include "msg/codec_util.h"

namespace tls13::msg {

Result<NewSessionTicket> NewSessionTicket::decode(wire::Bytes body, const DecodeLimits& limits) {
  wire::Reader r(body);
  NewSessionTicket t;
  if (!r.read_u32(t.ticket_lifetime) || !r.read_u32(t.ticket_age_add)) {
    return detail::decode_error("NewSessionTicket: truncated");
  }
  if (!r.read_vector(1, 0, 255, t.ticket_nonce)) {
    return detail::decode_error("NewSessionTicket: malformed ticket_nonce");
  }
  if (!r.read_vector(2, 1, 0xffff, t.ticket)) {
    return detail::decode_error("NewSessionTicket: malformed ticket");
  }
  TLS13_ASSIGN_OR_RETURN(t.extensions, decode_extensions(r, MessageContext::new_session_ticket,
                                                         limits.max_extensions));
  if (!r.empty()) return detail::decode_error("NewSessionTicket: trailing data");
  return t;
}

void NewSessionTicket::encode(wire::Writer& w) const {
  w.u32(ticket_lifetime);
  w.u32(ticket_age_add);
  w.vector(1, ticket_nonce);
  w.vector(2, ticket);
  extensions.encode(w);
}

}  // namespace tls13::msg
