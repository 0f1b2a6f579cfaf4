// A resumed connection is authenticated as its original one was (RFC 8446
// §4.6.1, §2.2): the server's ticket carries the client's verified chain, so
// a connection resumed from a ticket issued after client authentication (in
// the handshake or post-handshake) reports client_auth and the same chain;
// ClientAuth::required declines tickets without an identity; old ticket
// formats fall back to a full handshake silently. In memory.
#include <gtest/gtest.h>

#include <ctime>
#include <memory>
#include <vector>

#include "crypto/aead.h"
#include "hs/client_auth.h"
#include "hs/tickets.h"
#include "support/negative.h"
#include "wire/writer.h"

namespace tls13 {
namespace {

using test::pump;
using Chain = std::vector<std::vector<std::uint8_t>>;

std::shared_ptr<const CertifiedKey> client_cert() {
  const auto& pki = test::neg::shared_pki();
  auto leaf = test::issue_leaf(pki.ca, crypto::KeyType::ec_p256, {"client.test"});
  return test::must(
      CertifiedKey::from_pem(leaf.cert.to_pem() + pki.ca.cert.to_pem(), leaf.key->to_pem()),
      "client certificate");
}

// A server that may ask for client certificates and issues tickets, and a
// client holding a certificate (leaf + CA) and a session cache.
struct Peers : test::neg::Peers {
  std::shared_ptr<RotatingTicketKeys> keys =
      std::make_shared<RotatingTicketKeys>(std::chrono::hours(1));
  std::shared_ptr<InMemorySessionCache> cache = std::make_shared<InMemorySessionCache>();
  explicit Peers(ClientAuth mode) {
    server->client_auth = mode;
    server->client_trust = test::neg::shared_pki().anchors;
    server->ticket_keys = keys;
    client->certificates.push_back(client_cert());
    client->session_cache = cache;
  }
};

struct Conn {
  Connection c, s;
  explicit Conn(const Peers& p, std::shared_ptr<const ServerConfig> server = nullptr)
      : c(Connection::client(p.client, "localhost")),
        s(Connection::server(server ? server : p.server)) {
    EXPECT_TRUE(pump(c, s));
    EXPECT_FALSE(c.failed()) << c.error()->describe();
    EXPECT_FALSE(s.failed()) << s.error()->describe();
    EXPECT_TRUE(c.handshake_complete() && s.handshake_complete());
  }
  // Application data still flows both ways.
  void echo() {
    const auto msg = test::neg::text("after resumption");
    ASSERT_TRUE(c.write(msg).ok());
    ASSERT_TRUE(pump(c, s));
    test::neg::Message buf(64);
    buf.resize(s.read(buf));
    EXPECT_EQ(buf, msg);
    ASSERT_TRUE(s.write(msg).ok());
    ASSERT_TRUE(pump(c, s));
    buf.resize(64);
    buf.resize(c.read(buf));
    EXPECT_EQ(buf, msg);
  }
};

TEST(ResumptionClientAuth, ResumedConnectionKeepsTheClientsChain) {
  Peers p(ClientAuth::required);
  Chain first_chain;
  {
    Conn k(p);
    ASSERT_TRUE(k.s.info().client_auth);
    first_chain = k.s.info().peer_chain;
    ASSERT_EQ(first_chain.size(), 2u);  // leaf + CA, as sent
  }
  Conn k(p);
  EXPECT_TRUE(k.c.info().resumed);
  EXPECT_TRUE(k.s.info().resumed);
  EXPECT_FALSE(k.s.info().certificate_requested);  // §4.3.2: none with a PSK
  EXPECT_TRUE(k.s.info().client_auth);
  EXPECT_TRUE(k.s.info().peer_verified);
  EXPECT_EQ(k.s.info().peer_chain, first_chain);
  k.echo();
  // A ticket issued by the resumed connection carries the identity on.
  Conn again(p);
  EXPECT_TRUE(again.s.info().resumed);
  EXPECT_EQ(again.s.info().peer_chain, first_chain);
}

// §4.6.1: a resumed connection inherits the ticket's client identity, so
// the server checks it against today's trust anchors: after they change,
// the ticket is declined and a full handshake asks for a certificate again.
TEST(ResumptionClientAuth, TicketIdentityIsCheckedAgainstTodaysAnchors) {
  Peers p(ClientAuth::optional);
  { Conn k(p); }
  auto other = std::make_shared<ServerConfig>(*p.server);
  other->client_trust = test::make_pki().anchors;  // another CA only
  auto c = Connection::client(p.client, "localhost");
  auto s = Connection::server(other);
  (void)pump(c, s);
  EXPECT_FALSE(s.info().resumed);
  EXPECT_TRUE(s.info().certificate_requested);
  EXPECT_FALSE(s.info().client_auth);
  // The same anchors (a new ServerConfig sharing them) still resume.
  Peers q(ClientAuth::optional);
  { Conn k(q); }
  Conn k(q, std::make_shared<ServerConfig>(*q.server));
  EXPECT_TRUE(k.s.info().resumed);
  EXPECT_TRUE(k.s.info().client_auth);
}

TEST(ResumptionClientAuth, ClientIdentityStillTrustedChecksAnchorsTimeAndShape) {
  Peers p(ClientAuth::required);
  Chain chain;
  {
    Conn k(p);
    chain = k.s.info().peer_chain;
  }
  const std::int64_t now = std::time(nullptr);
  EXPECT_TRUE(hs::client_identity_still_trusted(*p.server, chain, now));
  EXPECT_TRUE(hs::client_identity_still_trusted(*p.server, Chain{chain.front()}, now));
  // Expired by then (test certificates last years, not centuries).
  EXPECT_FALSE(hs::client_identity_still_trusted(*p.server, chain, now + 200LL * 365 * 86400));
  ServerConfig other = *p.server;
  other.client_trust = test::make_pki().anchors;
  EXPECT_FALSE(hs::client_identity_still_trusted(other, chain, now));
  other.client_trust = nullptr;
  EXPECT_FALSE(hs::client_identity_still_trusted(other, chain, now));
  EXPECT_FALSE(hs::client_identity_still_trusted(*p.server, Chain{}, now));
  EXPECT_FALSE(hs::client_identity_still_trusted(*p.server, Chain{{0x30, 0x00}}, now));
}

TEST(ResumptionClientAuth, TicketsStaySmall) {
  Peers p(ClientAuth::required);
  std::size_t chain = 0;
  {
    Conn k(p);
    for (const auto& c : k.s.info().peer_chain) chain += c.size();
  }
  auto s = p.cache->take("localhost");
  ASSERT_TRUE(s.has_value());
  // The chain plus a fixed ~100 bytes of state, key id, nonce and tag.
  EXPECT_GT(s->ticket.size(), chain);
  EXPECT_LT(s->ticket.size(), chain + 160);
}

TEST(ResumptionClientAuth, ClientAuthOnResumptionStillAsksAgain) {
  Peers p(ClientAuth::required);
  p.server->client_auth_on_resumption = true;
  { Conn k(p); }
  Conn k(p);
  EXPECT_FALSE(k.c.info().resumed);
  EXPECT_FALSE(k.s.info().resumed);
  EXPECT_TRUE(k.s.info().certificate_requested);
  EXPECT_TRUE(k.s.info().client_auth);
  EXPECT_EQ(k.s.info().peer_chain.size(), 2u);
}

TEST(ResumptionClientAuth, UnauthenticatedSessionResumesUnauthenticated) {
  Peers p(ClientAuth::optional);
  p.client->certificates.clear();  // answers the request with an empty Certificate
  {
    Conn k(p);
    EXPECT_TRUE(k.s.info().certificate_requested);
    EXPECT_FALSE(k.s.info().client_auth);
  }
  Conn k(p);
  EXPECT_TRUE(k.s.info().resumed);
  EXPECT_FALSE(k.s.info().client_auth);
  EXPECT_FALSE(k.s.info().peer_verified);
  EXPECT_TRUE(k.s.info().peer_chain.empty());
}

TEST(ResumptionClientAuth, RequiredDeclinesATicketWithoutIdentity) {
  Peers p(ClientAuth::none);
  { Conn k(p); }  // ticket issued without client authentication
  auto required = std::make_shared<ServerConfig>(*p.server);
  required->client_auth = ClientAuth::required;
  Conn k(p, required);
  EXPECT_FALSE(k.c.info().resumed);  // silently a full handshake
  EXPECT_TRUE(k.s.info().certificate_requested);
  EXPECT_TRUE(k.s.info().client_auth);
}

TEST(ResumptionClientAuth, PostHandshakeAuthenticationReachesLaterTickets) {
  Peers p(ClientAuth::none);
  p.client->post_handshake_auth = true;
  p.server->tickets = 0;
  Chain chain;
  {
    Conn k(p);
    ASSERT_TRUE(k.s.request_client_auth().ok());
    ASSERT_TRUE(pump(k.c, k.s));
    ASSERT_TRUE(k.s.info().client_auth);
    chain = k.s.info().peer_chain;
    ASSERT_TRUE(k.s.send_tickets(1).ok());
    ASSERT_TRUE(pump(k.c, k.s));
  }
  Conn k(p);
  EXPECT_TRUE(k.s.info().resumed);
  EXPECT_TRUE(k.s.info().client_auth);
  EXPECT_EQ(k.s.info().peer_chain, chain);
}

TEST(ResumptionClientAuth, ChainBeyondTheLimitKeepsTheLeafOrNoTicket) {
  HandshakeInfo info;
  EXPECT_EQ(hs::ticket_client_chain(info), Chain{});  // no client authentication
  info.client_auth = true;
  info.peer_chain = {std::vector<std::uint8_t>(5000, 1), std::vector<std::uint8_t>(3000, 2)};
  EXPECT_EQ(hs::ticket_client_chain(info), info.peer_chain);  // 8000 bytes fit
  info.peer_chain.push_back(std::vector<std::uint8_t>(500, 3));
  EXPECT_EQ(hs::ticket_client_chain(info), Chain{info.peer_chain.front()});
  info.peer_chain.front().resize(hs::kMaxTicketClientChain + 1);
  EXPECT_FALSE(hs::ticket_client_chain(info).has_value());
}

// A SHA-256 ticket's state, valid for an hour from `now`.
hs::TicketState ticket_state(std::int64_t now) {
  hs::TicketState st;
  st.suite = CipherSuite::aes_128_gcm_sha256;
  st.psk = SecretBytes(std::vector<std::uint8_t>(32, 0x11));
  st.created = now;
  st.lifetime = 3600;
  return st;
}

TEST(ResumptionClientAuth, SealedChainOpensAndOversizedChainIsRefused) {
  RotatingTicketKeys keys(std::chrono::hours(1));
  const std::int64_t now = std::time(nullptr);
  hs::TicketState st = ticket_state(now);
  st.client_chain = {{1, 2, 3}, {4, 5}};
  auto ticket = hs::seal_ticket(keys.current(now), st, system_random());
  ASSERT_TRUE(ticket.ok());
  auto opened = hs::open_ticket(keys, *ticket, now);
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(opened->client_chain, st.client_chain);
  st.client_chain = {std::vector<std::uint8_t>(hs::kMaxTicketClientChain + 1, 7)};
  auto big = hs::seal_ticket(keys.current(now), st, system_random());
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().alert, Alert::internal_error);
}

// A version-2 ticket (before client chains) as the previous format sealed it:
// key_id || nonce || AES-256-GCM(version, suite, created, lifetime, age_add,
// psk, alpn, sni, max_early_data_size) || tag.
std::vector<std::uint8_t> version2_ticket(const TicketKey& key, const hs::TicketState& st) {
  std::vector<std::uint8_t> out;
  out.reserve(256);
  wire::Writer w(out);
  const std::uint8_t nonce[12] = {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
  w.bytes(key.id);
  w.bytes(nonce);
  const std::size_t body_at = out.size();
  w.u8(2);
  w.u16(static_cast<std::uint16_t>(st.suite));
  w.u64(static_cast<std::uint64_t>(st.created));
  w.u32(st.lifetime);
  w.u32(st.age_add);
  w.vector(1, st.psk.span());
  w.vector(1, {});
  w.vector(2, std::span(reinterpret_cast<const std::uint8_t*>(st.sni.data()), st.sni.size()));
  w.u32(0);
  const std::size_t body_len = out.size() - body_at;
  out.resize(out.size() + 16);
  auto aead =
      crypto::AeadKey::create(crypto::AeadId::aes_256_gcm, crypto::AeadDirection::seal, key.key);
  EXPECT_TRUE(aead.ok());
  auto span = std::span(out);
  EXPECT_TRUE(aead->seal(std::span<const std::uint8_t, 12>(nonce), span.first(16),
                         span.subspan(body_at, body_len), span.subspan(body_at + body_len, 16))
                  .ok());
  return out;
}

TEST(ResumptionClientAuth, OldTicketFormatFallsBackToAFullHandshake) {
  for (const bool old_format : {false, true}) {
    SCOPED_TRACE(old_format ? "version 2" : "version 3 (control)");
    Peers p(ClientAuth::none);
    p.server->tickets = 0;
    const std::int64_t now = std::time(nullptr);
    hs::TicketState st = ticket_state(now);
    st.sni = "localhost";
    const TicketKey key = p.keys->current(now);
    StoredSession s;
    if (old_format) {
      s.ticket = version2_ticket(key, st);
    } else {
      auto t = hs::seal_ticket(key, st, system_random());
      ASSERT_TRUE(t.ok());
      s.ticket = *t;
    }
    s.psk.assign(32, 0x11);
    s.suite = st.suite;
    s.lifetime = st.lifetime;
    s.received_ms = now * 1000;
    p.cache->store("localhost", std::move(s));
    Conn k(p);
    EXPECT_EQ(k.c.info().resumed, !old_format);
    EXPECT_EQ(k.s.info().resumed, !old_format);
    k.echo();
  }
}

}  // namespace
}  // namespace tls13
