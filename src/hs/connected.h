// What an endpoint keeps once its handshake is complete. The full state
// machines hold the transcript, the handshake secrets, options and the
// peer's offer; an idle connection needs none of that, so the connection
// swaps the machine for one of these small ones (Handshake::connected_state)
// unless post-handshake authentication may still need the transcript.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hs/application_keys.h"
#include "hs/handshake.h"
#include "keysched/key_schedule.h"
#include "msg/new_session_ticket.h"
#include "tls13/config.h"

namespace tls13::hs {

// Server: NewSessionTickets over resumption_master_secret (RFC 8446 §4.6.1),
// each with its own nonce (a counter) and ticket_age_add.
class ServerTickets {
 public:
  ServerTickets(const crypto::SuiteInfo& suite, ks::ResumptionMasterSecret resumption,
                bool client_can_resume)
      : suite_(suite), resumption_(std::move(resumption)), client_can_resume_(client_can_resume) {}
  // Sends up to `count` tickets (none after an external PSK, to a client
  // that cannot redeem them, or whose identity does not fit in a ticket).
  Result<void> send(Io& io, const ServerConfig& cfg, unsigned count);

 private:
  crypto::SuiteInfo suite_;
  ks::ResumptionMasterSecret resumption_;
  std::uint32_t sent_ = 0;  // ticket_nonce counter
  bool client_can_resume_ = false;
};

// Queues an encoded NewSessionTicket (post-handshake: outside the
// transcript) and traces it.
Result<void> send_new_session_ticket(Io& io, const msg::NewSessionTicket& nst);

// Client: NewSessionTickets into the session cache.
class ClientTickets {
 public:
  // `resumed_chain`: the chain of the session this connection resumed, kept
  // in its tickets for recheck_on_resumption (empty otherwise).
  ClientTickets(CipherSuite suite, ks::ResumptionMasterSecret resumption,
                std::optional<std::vector<std::vector<std::uint8_t>>> resumed_chain)
      : suite_(suite),
        resumption_(std::move(resumption)),
        resumed_chain_(std::move(resumed_chain)) {}
  Result<void> on_ticket(Io& io, const ClientConfig& cfg, const std::string& server_name,
                         const RawMessage& m) const;

 private:
  CipherSuite suite_;
  ks::ResumptionMasterSecret resumption_;
  std::optional<std::vector<std::vector<std::uint8_t>>> resumed_chain_;
};

std::unique_ptr<Handshake> make_connected_server(
    std::shared_ptr<const ServerConfig> cfg, ServerTickets tickets, ApplicationKeys app,
    std::optional<ks::EarlyExporterMasterSecret> early_exporter);
// Only for a client that did not offer post_handshake_auth.
std::unique_ptr<Handshake> make_connected_client(
    std::shared_ptr<const ClientConfig> cfg, std::string server_name, ClientTickets tickets,
    ApplicationKeys app, std::optional<ks::EarlyExporterMasterSecret> early_exporter);

}  // namespace tls13::hs
