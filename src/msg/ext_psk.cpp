#include "msg/ext_psk.h"

#include <algorithm>

#include "msg/codec_util.h"

namespace tls13::msg {

std::size_t OfferedPsks::binders_size() const noexcept {
  std::size_t n = 2;
  for (const auto& b : binders) n += 1 + b.size();
  return n;
}

Result<OfferedPsks> OfferedPsks::decode(wire::Bytes body) {
  wire::Reader r(body);
  wire::Reader ids, binders;
  if (!r.read_prefixed(2, 7, 0xffff, ids) || !r.read_prefixed(2, 33, 0xffff, binders) ||
      !r.empty()) {
    return detail::decode_error("pre_shared_key: malformed OfferedPsks");
  }
  OfferedPsks out;
  while (!ids.empty()) {
    PskIdentity id;
    if (!ids.read_vector(2, 1, 0xffff, id.identity) || !ids.read_u32(id.obfuscated_ticket_age)) {
      return detail::decode_error("pre_shared_key: malformed identity");
    }
    out.identities.push_back(id);
  }
  while (!binders.empty()) {
    wire::Bytes b;
    if (!binders.read_vector(1, 32, 255, b)) {
      return detail::decode_error("pre_shared_key: malformed binder");
    }
    out.binders.push_back(b);
  }
  if (out.binders.size() != out.identities.size()) {
    return detail::illegal_parameter("pre_shared_key: binder count differs from identity count");
  }
  return out;
}

void OfferedPsks::encode(wire::Writer& w) const {
  w.prefixed(2, [&](wire::Writer& b) {
    for (const auto& id : identities) {
      b.vector(2, id.identity);
      b.u32(id.obfuscated_ticket_age);
    }
  });
  w.prefixed(2, [&](wire::Writer& b) {
    for (const auto& binder : binders) b.vector(1, binder);
  });
}

Result<PreSharedKeyServerHello> PreSharedKeyServerHello::decode(wire::Bytes body) {
  wire::Reader r(body);
  PreSharedKeyServerHello out;
  if (!r.read_u16(out.selected_identity) || !r.empty()) {
    return detail::decode_error("pre_shared_key: malformed selected_identity");
  }
  return out;
}

bool PskKeyExchangeModes::offers(PskKeyExchangeMode m) const noexcept {
  return std::ranges::find(ke_modes, m) != ke_modes.end();
}

Result<PskKeyExchangeModes> PskKeyExchangeModes::decode(wire::Bytes body) {
  wire::Reader r(body);
  wire::Bytes modes;
  if (!r.read_vector(1, 1, 255, modes) || !r.empty()) {
    return detail::decode_error("psk_key_exchange_modes: malformed ke_modes");
  }
  PskKeyExchangeModes out;
  for (std::uint8_t m : modes) out.ke_modes.push_back(static_cast<PskKeyExchangeMode>(m));
  return out;
}

void PskKeyExchangeModes::encode(wire::Writer& w) const {
  w.prefixed(1, [&](wire::Writer& b) {
    for (auto m : ke_modes) b.u8(static_cast<std::uint8_t>(m));
  });
}

Result<EarlyDataNewSessionTicket> EarlyDataNewSessionTicket::decode(wire::Bytes body) {
  wire::Reader r(body);
  EarlyDataNewSessionTicket out;
  if (!r.read_u32(out.max_early_data_size) || !r.empty()) {
    return detail::decode_error("early_data: malformed max_early_data_size");
  }
  return out;
}

}  // namespace tls13::msg
