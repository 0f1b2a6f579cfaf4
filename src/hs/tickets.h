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
#include "tls13/connection.h"
#include "tls13/random.h"

namespace tls13::hs {

// The client certificate chain a ticket carries, in DER bytes: enough for a
// leaf and an intermediate or two while keeping tickets (and the
// ClientHellos that carry them back) a few KiB at most.
inline constexpr std::size_t kMaxTicketClientChain = 8192;

// What a ticket carries (version 3 of the sealed format; versions 1 and 2
// cannot say whether the client was authenticated, so they no longer open
// and the client gets a full handshake).
struct TicketState {
  CipherSuite suite{};
  SecretBytes psk;           // resumption PSK
  std::int64_t created = 0;  // unix seconds
  std::uint32_t lifetime = 0;
  std::uint32_t age_add = 0;
  std::string alpn;
  std::string sni;
  std::uint32_t max_early_data_size = 0;  // promised in the ticket's early_data
  // The client's verified certificate chain (DER, leaf first) when it
  // authenticated: §4.6.1 ties the resumption PSK to the original
  // connection's authentication (§2.2). Empty: no client authentication.
  std::vector<std::vector<std::uint8_t>> client_chain;
};

// The client identity for a ticket issued now (server side): the verified
// client chain of `info` (as of the latest client authentication) when its
// DER fits kMaxTicketClientChain, else its leaf alone. nullopt when even the
// leaf does not fit: no ticket may then be issued, since resuming would lose
// the client's identity.
std::optional<std::vector<std::vector<std::uint8_t>>> ticket_client_chain(
    const HandshakeInfo& info);
// A connection resumed from `st` is authenticated as its original one was:
// client_auth, peer_verified and peer_chain come from the ticket.
void restore_client_identity(const TicketState& st, HandshakeInfo& info);

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
