#include "hs/connected.h"

#include <algorithm>
#include <utility>

#include "hs/common.h"
#include "hs/tickets.h"
#include "msg/ext_psk.h"
#include "msg/handshake.h"
#include "msg/handshake_type.h"
#include "msg/new_session_ticket.h"

namespace tls13::hs {

Result<void> ServerTickets::send(Io& io, const ServerConfig& cfg, unsigned count) {
  // None after an external PSK: the session's authentication is the
  // external key's, and clients such as NSS's abort on such tickets. None
  // for a client that lists no PSK mode we accept: it could not redeem
  // them (§4.2.9).
  if (!cfg.ticket_keys || io.info().psk == PskType::external || !client_can_resume_) return ok();
  // §4.6.1: a ticket is tied to the client's authentication; none when the
  // identity does not fit in one (tickets.h).
  const auto client_chain = ticket_client_chain(io.info());
  if (!client_chain) return ok();
  const std::int64_t now = io.now();
  for (unsigned n = 0; n < count; ++n) {
    msg::NewSessionTicket nst;
    nst.ticket_lifetime = std::min(cfg.ticket_lifetime, msg::kMaxTicketLifetime);
    std::uint8_t age_add[4];
    io.random().fill(age_add);
    for (std::uint8_t b : age_add) nst.ticket_age_add = (nst.ticket_age_add << 8) | b;
    const std::uint32_t counter = sent_++;
    const std::uint8_t nonce[4] = {
        static_cast<std::uint8_t>(counter >> 24), static_cast<std::uint8_t>(counter >> 16),
        static_cast<std::uint8_t>(counter >> 8), static_cast<std::uint8_t>(counter)};
    nst.ticket_nonce = nonce;
    auto psk = ks::resumption_psk(resumption_, nonce);
    if (!psk) return std::move(psk).error();
    TicketState st;
    st.suite = suite_.suite;
    st.psk = SecretBytes(psk->span());
    st.created = now;
    st.lifetime = nst.ticket_lifetime;
    st.age_add = nst.ticket_age_add;
    st.alpn = io.info().alpn;
    st.sni = io.info().server_name;
    st.client_chain = *client_chain;
    // §4.2.10, §4.6.1: 0-RTT allowed under this ticket (never without
    // anti-replay).
    if (cfg.max_early_data_size > 0 && cfg.replay_store) {
      st.max_early_data_size = cfg.max_early_data_size;
      nst.extensions.add(msg::EarlyDataNewSessionTicket{cfg.max_early_data_size});
    }
    TicketKey key = cfg.ticket_keys->current(now);
    auto ticket = seal_ticket(key, st, io.random());
    secure_wipe(key.key.data(), key.key.size());
    if (!ticket) return std::move(ticket).error();
    nst.ticket = *ticket;
    TLS13_TRY(send_new_session_ticket(io, nst));
  }
  return ok();
}

Result<void> send_new_session_ticket(Io& io, const msg::NewSessionTicket& nst) {
  std::vector<std::uint8_t> bytes;
  TLS13_TRY(msg::append_message(bytes, nst));
  io.send_handshake(bytes);  // post-handshake: not part of the transcript
  if (io.tracing())
    io.trace_message(true, "NewSessionTicket",
                     "lifetime=" + std::to_string(nst.ticket_lifetime) + "s");
  return ok();
}

Result<void> ClientTickets::on_ticket(Io& io, const ClientConfig& cfg,
                                      const std::string& server_name, const RawMessage& m) const {
  msg::DecodeLimits lim;
  lim.max_extensions = cfg.limits.max_extensions;
  auto nst = msg::NewSessionTicket::decode(m.body, lim);
  if (!nst) return std::move(nst).error();
  if (io.tracing())
    io.trace_message(false, "NewSessionTicket",
                     "lifetime=" + std::to_string(nst->ticket_lifetime) + "s");
  // §4.6.1: lifetime 0 means discard at once; clients must not keep a
  // ticket longer than 7 days whatever the server says, so a longer
  // lifetime is capped (the RFC names no alert for it).
  if (!cfg.session_cache || nst->ticket_lifetime == 0 || server_name.empty()) return ok();
  auto s = stored_session(*nst, resumption_, suite_, io.info().alpn, io.now_ms());
  if (!s) return std::move(s).error();
  if (cfg.recheck_on_resumption)
    s->peer_chain = resumed_chain_ ? *resumed_chain_ : io.info().peer_chain;
  cfg.session_cache->store(server_name, std::move(s).value());
  return ok();
}

namespace {

using msg::HandshakeType;

// What both connected machines share: KeyUpdate, the exporters, no
// further handshake.
template <class Config>
class Connected : public Handshake {
 public:
  Connected(std::shared_ptr<const Config> cfg, ApplicationKeys app,
            std::optional<ks::EarlyExporterMasterSecret> early_exporter)
      : cfg_(std::move(cfg)), app_(std::move(app)), early_exporter_(std::move(early_exporter)) {}

  Result<void> start(Io&) override {
    return Error(Alert::internal_error, "handshake already complete");
  }
  bool change_cipher_spec_allowed() const override { return false; }
  Result<void> update_keys(Io& io, bool request_peer_update) override {
    return app_.send_key_update(io, request_peer_update);
  }
  Result<void> export_keying_material(std::string_view label, std::span<const std::uint8_t> context,
                                      std::span<std::uint8_t> out) const override {
    return app_.export_keying_material(label, context, out);
  }
  Result<void> export_early_keying_material(std::string_view label,
                                            std::span<const std::uint8_t> context,
                                            std::span<std::uint8_t> out) const override {
    if (!early_exporter_)
      return Error(Alert::internal_error, "no early exporter for this connection");
    return ks::export_keying_material(*early_exporter_, label, context, out);
  }
  std::size_t max_message_size() const override { return cfg_->limits.max_handshake_message; }

 protected:
  std::shared_ptr<const Config> cfg_;
  ApplicationKeys app_;
  std::optional<ks::EarlyExporterMasterSecret> early_exporter_;
};

class ConnectedServer final : public Connected<ServerConfig> {
 public:
  ConnectedServer(std::shared_ptr<const ServerConfig> cfg, ServerTickets tickets,
                  ApplicationKeys app, std::optional<ks::EarlyExporterMasterSecret> early_exporter)
      : Connected(std::move(cfg), std::move(app), std::move(early_exporter)),
        tickets_(std::move(tickets)) {}

  Result<void> on_message(Io& io, const RawMessage& m) override {
    // No CertificateRequest can be outstanding: this machine is only used
    // when the client did not offer post_handshake_auth.
    if (static_cast<HandshakeType>(m.type) != HandshakeType::key_update)
      return unexpected(m.type, "connected");
    return app_.on_key_update(io, m);
  }
  Result<void> request_client_auth(Io&) override {
    return Error(Alert::internal_error, "the client did not offer post_handshake_auth");
  }
  Result<void> issue_tickets(Io& io, unsigned n) override {
    if (!cfg_->ticket_keys) return Error(Alert::internal_error, "no ticket keys configured");
    return tickets_.send(io, *cfg_, n);
  }

 private:
  ServerTickets tickets_;
};

class ConnectedClient final : public Connected<ClientConfig> {
 public:
  ConnectedClient(std::shared_ptr<const ClientConfig> cfg, std::string server_name,
                  ClientTickets tickets, ApplicationKeys app,
                  std::optional<ks::EarlyExporterMasterSecret> early_exporter)
      : Connected(std::move(cfg), std::move(app), std::move(early_exporter)),
        server_name_(std::move(server_name)),
        tickets_(std::move(tickets)) {}

  Result<void> on_message(Io& io, const RawMessage& m) override {
    switch (static_cast<HandshakeType>(m.type)) {
      case HandshakeType::new_session_ticket:
        return tickets_.on_ticket(io, *cfg_, server_name_, m);
      case HandshakeType::key_update:
        return app_.on_key_update(io, m);
      case HandshakeType::certificate_request:
        return Error(Alert::unexpected_message,
                     "CertificateRequest after the handshake, but post_handshake_auth was not "
                     "offered");
      default:
        return unexpected(m.type, "connected");
    }
  }

 private:
  std::string server_name_;
  ClientTickets tickets_;
};

}  // namespace

std::unique_ptr<Handshake> make_connected_server(
    std::shared_ptr<const ServerConfig> cfg, ServerTickets tickets, ApplicationKeys app,
    std::optional<ks::EarlyExporterMasterSecret> early_exporter) {
  return std::make_unique<ConnectedServer>(std::move(cfg), std::move(tickets), std::move(app),
                                           std::move(early_exporter));
}

std::unique_ptr<Handshake> make_connected_client(
    std::shared_ptr<const ClientConfig> cfg, std::string server_name, ClientTickets tickets,
    ApplicationKeys app, std::optional<ks::EarlyExporterMasterSecret> early_exporter) {
  return std::make_unique<ConnectedClient>(std::move(cfg), std::move(server_name),
                                           std::move(tickets), std::move(app),
                                           std::move(early_exporter));
}

}  // namespace tls13::hs
