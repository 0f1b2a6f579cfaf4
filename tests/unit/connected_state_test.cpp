// Once the handshake is complete the connection swaps its state machine for
// a small connected one (hs/connected.h) unless post-handshake
// authentication is possible. Everything a connected endpoint does must
// still work on the small machine, and what it must refuse it still refuses.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <typeinfo>
#include <vector>

#include "conn/connection_access.h"
#include "support/loopback.h"
#include "support/test_pki.h"

namespace tls13 {
namespace {

using crypto::KeyType;

std::string machine_type(Connection& c) {
  return typeid(*ConnectionAccess::impl(c).machine).name();
}

struct Pair {
  test::Pki pki = test::make_pki();
  std::shared_ptr<InMemorySessionCache> cache = std::make_shared<InMemorySessionCache>(8);
  std::shared_ptr<ClientConfig> ccfg = std::make_shared<ClientConfig>();
  std::shared_ptr<ServerConfig> scfg = std::make_shared<ServerConfig>();
  std::optional<Connection> c, s;
  explicit Pair(bool pha = false) {
    ccfg->trust = pki.anchors;
    ccfg->session_cache = cache;
    ccfg->post_handshake_auth = pha;
    scfg->certificates = {test::server_cert(pki, KeyType::ec_p256)};
    scfg->ticket_keys = std::make_shared<RotatingTicketKeys>(std::chrono::seconds(3600));
    scfg->tickets = 0;
    scfg->client_trust = pki.anchors;
  }
  void connect() {
    c.emplace(Connection::client(ccfg, "localhost"));
    s.emplace(Connection::server(scfg));
    ASSERT_TRUE(test::pump(*c, *s));
    ASSERT_TRUE(c->handshake_complete() && s->handshake_complete());
  }
  // Sends `n` bytes each way and checks they arrive.
  void echo(std::size_t n) {
    std::vector<std::uint8_t> data(n, 0x5a), got(n);
    ASSERT_TRUE(c->write(data).ok());
    ASSERT_TRUE(s->write(data).ok());
    ASSERT_TRUE(test::pump(*c, *s));
    ASSERT_EQ(s->read(got), n);
    EXPECT_EQ(got, data);
    ASSERT_EQ(c->read(got), n);
    EXPECT_EQ(got, data);
  }
};

TEST(ConnectedState, MachinesShrinkAfterTheHandshake) {
  Pair p;
  p.connect();
  EXPECT_NE(machine_type(*p.c).find("ConnectedClient"), std::string::npos) << machine_type(*p.c);
  EXPECT_NE(machine_type(*p.s).find("ConnectedServer"), std::string::npos) << machine_type(*p.s);
}

TEST(ConnectedState, PostHandshakeAuthKeepsTheFullMachines) {
  Pair p(/*pha=*/true);
  p.connect();
  EXPECT_NE(machine_type(*p.c).find("ClientHandshake"), std::string::npos) << machine_type(*p.c);
  EXPECT_NE(machine_type(*p.s).find("ServerHandshake"), std::string::npos) << machine_type(*p.s);
  // ... which can still ask for a certificate.
  auto r = p.s->request_client_auth();
  EXPECT_TRUE(r.ok()) << r.error().describe();
}

TEST(ConnectedState, KeyUpdatesAndExportersWork) {
  Pair p;
  p.connect();
  ASSERT_TRUE(p.c->update_keys(/*request_peer_update=*/true).ok());
  ASSERT_TRUE(test::pump(*p.c, *p.s));
  p.echo(100);
  ASSERT_TRUE(p.s->update_keys(false).ok());
  p.echo(5000);
  std::uint8_t a[32], b[32];
  const std::uint8_t ctx[] = {1, 2, 3};
  ASSERT_TRUE(p.c->export_keying_material("EXPERIMENTAL test", ctx, a).ok());
  ASSERT_TRUE(p.s->export_keying_material("EXPERIMENTAL test", ctx, b).ok());
  EXPECT_EQ(std::vector<std::uint8_t>(a, a + 32), std::vector<std::uint8_t>(b, b + 32));
  // No PSK: no early exporter, on either side.
  EXPECT_EQ(p.c->export_early_keying_material("x", ctx, a).error().alert, Alert::internal_error);
  EXPECT_EQ(p.s->export_early_keying_material("x", ctx, b).error().alert, Alert::internal_error);
}

TEST(ConnectedState, TicketsSentLaterAreStoredAndResume) {
  Pair p;
  p.connect();
  EXPECT_EQ(p.cache->size(), 0u);  // tickets = 0 in the handshake
  ASSERT_TRUE(p.s->send_tickets(2).ok());
  ASSERT_TRUE(test::pump(*p.c, *p.s));
  EXPECT_EQ(p.cache->size(), 2u);
  p.connect();
  EXPECT_TRUE(p.c->info().resumed);
  EXPECT_TRUE(p.s->info().resumed);
  p.echo(10);
}

TEST(ConnectedState, ServerStillRefusesPostHandshakeAuthWithoutTheOffer) {
  Pair p;
  p.connect();
  auto r = p.s->request_client_auth();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::internal_error);
  EXPECT_FALSE(p.s->failed());
  p.echo(10);
}

// Queues a raw handshake message on `from` under its application keys.
void inject(Connection& from, std::vector<std::uint8_t> message) {
  auto& impl = ConnectionAccess::impl(from);
  impl.send_handshake(message);
  impl.flush_handshake();
}

TEST(ConnectedState, ClientRejectsACertificateRequestItDidNotOffer) {
  Pair p;
  p.connect();
  // CertificateRequest: empty context, signature_algorithms {ecdsa_secp256r1_sha256}.
  inject(*p.s, {13, 0, 0, 11, 0, 0, 8, 0, 13, 0, 4, 0, 2, 4, 3});
  test::pump(*p.c, *p.s);
  ASSERT_TRUE(p.c->failed());
  EXPECT_EQ(p.c->error()->alert, Alert::unexpected_message);
}

TEST(ConnectedState, ServerRejectsAStrayHandshakeMessage) {
  Pair p;
  p.connect();
  // A Certificate with no outstanding CertificateRequest.
  inject(*p.c, {11, 0, 0, 4, 0, 0, 0, 0});
  test::pump(*p.c, *p.s);
  ASSERT_TRUE(p.s->failed());
  EXPECT_EQ(p.s->error()->alert, Alert::unexpected_message);
}

TEST(ConnectedState, ClientRejectsAStrayServerHello) {
  Pair p;
  p.connect();
  inject(*p.s, {2, 0, 0, 0});
  test::pump(*p.c, *p.s);
  ASSERT_TRUE(p.c->failed());
  EXPECT_EQ(p.c->error()->alert, Alert::unexpected_message);
}

}  // namespace
}  // namespace tls13
