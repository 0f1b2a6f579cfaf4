// Self-contained session tickets (RFC 8446 §4.6.1): the server keeps no
// state; everything it needs to resume travels sealed in the ticket.
//
//   ticket = key_id(16) || nonce(12) || AES-256-GCM(key, nonce, aad = key_id,
//                                                  TicketState) || tag(16)
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/secret.h"
#include "tls13/config.h"
#include "tls13/random.h"

namespace tls13::hs {

// What a ticket carries (version 1 of the sealed format).
struct TicketState {
  CipherSuite suite{};
  SecretBytes psk;           // resumption PSK
  std::int64_t created = 0;  // unix seconds
  std::uint32_t lifetime = 0;
  std::uint32_t age_add = 0;
  std::string alpn;
  std::string sni;
};

Result<std::vector<std::uint8_t>> seal_ticket(const TicketKey& key, const TicketState& state,
                                              RandomSource& random);
// nullopt for anything that does not open: unknown key, bad tag, bad
// format. Callers fall back to a full handshake, silently.
std::optional<TicketState> open_ticket(TicketKeyProvider& keys,
                                       std::span<const std::uint8_t> ticket, std::int64_t now);

}  // namespace tls13::hs
