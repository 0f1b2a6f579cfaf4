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
#include "keysched/key_schedule.h"
#include "msg/new_session_ticket.h"
#include "tls13/config.h"
#include "tls13/random.h"

namespace tls13::hs {

// What a ticket carries (version 2 of the sealed format; version 1 lacks
// max_early_data_size and still opens).
struct TicketState {
  CipherSuite suite{};
  SecretBytes psk;           // resumption PSK
  std::int64_t created = 0;  // unix seconds
  std::uint32_t lifetime = 0;
  std::uint32_t age_add = 0;
  std::string alpn;
  std::string sni;
  std::uint32_t max_early_data_size = 0;  // promised in the ticket's early_data
};

Result<std::vector<std::uint8_t>> seal_ticket(const TicketKey& key, const TicketState& state,
                                              RandomSource& random);
// nullopt for anything that does not open: unknown key, bad tag, bad
// format. Callers fall back to a full handshake, silently.
std::optional<TicketState> open_ticket(TicketKeyProvider& keys,
                                       std::span<const std::uint8_t> ticket, std::int64_t now);

// What a client keeps of a NewSessionTicket (§4.6.1): the PSK derived from
// its nonce, the lifetime capped at 7 days (the RFC names no alert for a
// longer one), max_early_data_size from its early_data extension.
Result<StoredSession> stored_session(const msg::NewSessionTicket& nst,
                                     const ks::ResumptionMasterSecret& rms, CipherSuite suite,
                                     const std::string& alpn, std::int64_t now);

}  // namespace tls13::hs
