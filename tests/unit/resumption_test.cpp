// Session tickets and PSK resumption (RFC 8446 §4.6.1, §4.2.11) between our
// client and server.
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <memory>
#include <string>

#include "conn/connection_access.h"
#include "msg/client_hello.h"
#include "msg/ext_psk.h"
#include "msg/handshake.h"
#include "support/loopback.h"
#include "support/test_support.h"

namespace tls13 {
namespace {

using test::pump;

struct Names : TraceSink {
  std::vector<std::string> sent;
  void message(bool s, std::string_view name, std::string_view) override {
    if (s) sent.emplace_back(name);
  }
  void secret(std::string_view) override {}
  bool sent_any(std::string_view n) const {
    return std::find(sent.begin(), sent.end(), n) != sent.end();
  }
};

struct Fixture {
  test::Pki pki = test::make_pki();
  std::shared_ptr<std::int64_t> now = std::make_shared<std::int64_t>(std::time(nullptr));
  std::shared_ptr<InMemorySessionCache> cache = std::make_shared<InMemorySessionCache>(8);
  std::shared_ptr<RotatingTicketKeys> keys =
      std::make_shared<RotatingTicketKeys>(std::chrono::seconds(3600));
  std::shared_ptr<ClientConfig> client = std::make_shared<ClientConfig>();
  std::shared_ptr<ServerConfig> server = std::make_shared<ServerConfig>();
  Fixture() {
    client->trust = pki.anchors;
    client->session_cache = cache;
    client->clock = [n = now] { return *n; };
    server->certificates.push_back(test::server_cert(pki, crypto::KeyType::ec_p256));
    server->ticket_keys = keys;
    server->clock = [n = now] { return *n; };
  }
  // One handshake plus an echo; returns whether both sides resumed.
  struct Outcome {
    bool client_resumed, server_resumed, certificate_sent;
  };
  Outcome connect(std::shared_ptr<const ServerConfig> srv = nullptr) {
    auto c = Connection::client(client, "localhost");
    auto s = Connection::server(srv ? srv : server);
    Names names;
    s.set_trace(&names);
    EXPECT_TRUE(pump(c, s));
    EXPECT_FALSE(c.failed()) << c.error()->describe();
    EXPECT_FALSE(s.failed()) << s.error()->describe();
    EXPECT_TRUE(c.handshake_complete() && s.handshake_complete());
    const std::string msg = "resumed data";
    EXPECT_TRUE(
        c.write(std::span(reinterpret_cast<const std::uint8_t*>(msg.data()), msg.size())).ok());
    EXPECT_TRUE(pump(c, s));
    std::vector<std::uint8_t> buf(64);
    EXPECT_EQ(s.read(buf), msg.size());
    return {c.info().resumed, s.info().resumed, names.sent_any("Certificate")};
  }
};

TEST(Resumption, EverySuiteResumesWithoutCertificates) {
  for (CipherSuite suite : {CipherSuite::aes_128_gcm_sha256, CipherSuite::aes_256_gcm_sha384,
                            CipherSuite::chacha20_poly1305_sha256, CipherSuite::aes_128_ccm_sha256,
                            CipherSuite::aes_128_ccm_8_sha256}) {
    SCOPED_TRACE(std::string(to_string(suite)));
    Fixture f;
    f.client->cipher_suites = f.server->cipher_suites = {suite};
    auto full = f.connect();
    EXPECT_FALSE(full.client_resumed);
    EXPECT_FALSE(full.server_resumed);
    EXPECT_TRUE(full.certificate_sent);
    EXPECT_EQ(f.cache->size(), 2u);  // ServerConfig::tickets
    auto again = f.connect();
    EXPECT_TRUE(again.client_resumed);
    EXPECT_TRUE(again.server_resumed);
    EXPECT_FALSE(again.certificate_sent);
  }
}

TEST(Resumption, TicketsAreSingleUse) {
  Fixture f;
  f.server->tickets = 1;
  EXPECT_FALSE(f.connect().client_resumed);
  ASSERT_EQ(f.cache->size(), 1u);
  auto no_tickets = std::make_shared<ServerConfig>(*f.server);
  no_tickets->tickets = 0;
  EXPECT_TRUE(f.connect(no_tickets).client_resumed);
  EXPECT_EQ(f.cache->size(), 0u);
  EXPECT_FALSE(f.connect(no_tickets).client_resumed);  // nothing left to offer
}

TEST(Resumption, PreviousTicketKeyStillAcceptedOlderAndUnknownNot) {
  Fixture f;
  f.keys = std::make_shared<RotatingTicketKeys>(std::chrono::seconds(100));
  f.server->ticket_keys = f.keys;
  f.server->tickets = 1;
  EXPECT_FALSE(f.connect().client_resumed);
  *f.now += 150;  // one rotation: the issuing key is now the previous one
  EXPECT_TRUE(f.connect().server_resumed);

  Fixture g;
  g.keys = std::make_shared<RotatingTicketKeys>(std::chrono::seconds(100));
  g.server->ticket_keys = g.keys;
  g.server->tickets = 1;
  EXPECT_FALSE(g.connect().client_resumed);
  *g.now += 250;  // two rotations: the key is gone
  auto r = g.connect();
  EXPECT_FALSE(r.client_resumed);
  EXPECT_FALSE(r.server_resumed);

  // A key the server never had (another fleet): full handshake, silently.
  Fixture h;
  EXPECT_FALSE(h.connect().client_resumed);
  auto other = std::make_shared<ServerConfig>(*h.server);
  other->ticket_keys = std::make_shared<RotatingTicketKeys>(std::chrono::seconds(3600));
  r = h.connect(other);
  EXPECT_FALSE(r.server_resumed);
  EXPECT_TRUE(r.certificate_sent);
}

TEST(Resumption, ExpiredTicketGivesFullHandshake) {
  Fixture f;
  f.server->ticket_lifetime = 10;
  EXPECT_FALSE(f.connect().client_resumed);
  // The client no longer offers it...
  *f.now += 20;
  EXPECT_FALSE(f.connect().client_resumed);
  // ...and the server refuses it when a client (clock behind) still does.
  Fixture g;
  g.server->ticket_lifetime = 10;
  EXPECT_FALSE(g.connect().client_resumed);
  auto later = std::make_shared<ServerConfig>(*g.server);
  later->clock = [n = g.now] { return *n + 20; };
  auto r = g.connect(later);
  EXPECT_FALSE(r.client_resumed);
  EXPECT_FALSE(r.server_resumed);
}

TEST(Resumption, ZeroLifetimeTicketsAreDiscarded) {
  Fixture f;
  f.server->ticket_lifetime = 0;
  EXPECT_FALSE(f.connect().client_resumed);
  EXPECT_EQ(f.cache->size(), 0u);  // §4.6.1: discard immediately
}

TEST(Resumption, HelloRetryRequestThenResume) {
  Fixture f;
  EXPECT_FALSE(f.connect().client_resumed);
  f.client->key_share_groups = {NamedGroup::secp256r1};  // server prefers x25519: HRR
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_TRUE(pump(c, s));
  ASSERT_FALSE(c.failed()) << c.error()->describe();
  ASSERT_FALSE(s.failed()) << s.error()->describe();
  EXPECT_TRUE(c.info().hello_retry_request);
  EXPECT_TRUE(c.info().resumed);
  EXPECT_TRUE(s.info().resumed);
}

TEST(Resumption, WrongBinderIsDecryptError) {
  Fixture f;
  EXPECT_FALSE(f.connect().client_resumed);
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  // The binder is the ClientHello's last bytes.
  ConnectionAccess::impl(c).outgoing_handshake_filter = [](std::vector<std::uint8_t>& m) {
    if (m[0] == 1) m.back() ^= 1;
  };
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.error()->alert, Alert::decrypt_error);
  EXPECT_FALSE(s.handshake_complete());
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.error()->alert, Alert::decrypt_error);
}

TEST(Resumption, PreSharedKeyNotLastIsIllegalParameter) {
  Fixture f;
  EXPECT_FALSE(f.connect().client_resumed);
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ConnectionAccess::impl(c).outgoing_handshake_filter = [](std::vector<std::uint8_t>& m) {
    if (m[0] != 1) return;
    const std::vector<std::uint8_t> orig = m;
    auto ch = msg::ClientHello::decode(std::span(orig).subspan(4));
    ASSERT_TRUE(ch.ok());
    ch->extensions.add(std::uint16_t{0x7a7a}, {});  // after pre_shared_key
    ch->extensions.own();
    m.clear();
    ASSERT_TRUE(msg::append_message(m, *ch).ok());
  };
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.error()->alert, Alert::illegal_parameter);
}

TEST(Resumption, TicketOfAnotherHashIsNotOffered) {
  Fixture f;
  f.client->cipher_suites = f.server->cipher_suites = {CipherSuite::aes_256_gcm_sha384};
  EXPECT_FALSE(f.connect().client_resumed);
  f.client->cipher_suites = {CipherSuite::aes_128_gcm_sha256};  // SHA-256 only
  f.server->cipher_suites = default_cipher_suites();
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  bool offered = true;
  ConnectionAccess::impl(c).outgoing_handshake_filter = [&](std::vector<std::uint8_t>& m) {
    if (m[0] != 1) return;
    auto ch = msg::ClientHello::decode(std::span(m).subspan(4));
    ASSERT_TRUE(ch.ok());
    offered = ch->extensions.contains(msg::ExtensionType::pre_shared_key);
  };
  ASSERT_TRUE(pump(c, s));
  ASSERT_FALSE(c.failed()) << c.error()->describe();
  EXPECT_FALSE(offered);
  EXPECT_FALSE(c.info().resumed);
  EXPECT_FALSE(s.info().resumed);
}

// RFC 6066 §3: a ticket issued under one server name does not resume another.
TEST(Resumption, TicketIsBoundToTheServerName) {
  Fixture f;
  EXPECT_FALSE(f.connect().client_resumed);
  auto t = f.cache->take("localhost");
  ASSERT_TRUE(t.has_value());
  f.cache->store("other.localhost", std::move(*t));
  f.client->verify_peer = false;
  auto c = Connection::client(f.client, "other.localhost");
  auto s = Connection::server(f.server);
  ASSERT_TRUE(pump(c, s));
  ASSERT_FALSE(c.failed()) << c.error()->describe();
  ASSERT_FALSE(s.failed()) << s.error()->describe();
  EXPECT_FALSE(s.info().resumed);
  EXPECT_FALSE(c.info().resumed);
}

TEST(Resumption, StoredSessionRoundTripsAndRefusesGarbage) {
  Fixture f;
  EXPECT_FALSE(f.connect().client_resumed);
  auto s = f.cache->take("localhost");
  ASSERT_TRUE(s.has_value());
  const auto bytes = s->serialize();
  auto back = StoredSession::parse(bytes);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->ticket, s->ticket);
  EXPECT_EQ(back->psk, s->psk);
  EXPECT_EQ(back->suite, s->suite);
  EXPECT_EQ(back->age_add, s->age_add);
  EXPECT_EQ(back->received_ms, s->received_ms);
  auto bad = bytes;
  bad[4] = 9;  // unknown version
  EXPECT_FALSE(StoredSession::parse(bad).has_value());
  EXPECT_FALSE(StoredSession::parse(std::span(bytes).first(bytes.size() - 1)).has_value());
  // A parsed session resumes through another cache.
  f.cache->store("localhost", std::move(*back));
  EXPECT_TRUE(f.connect().server_resumed);
}

// §4.2.11.1: the ticket age is milliseconds since the NewSessionTicket
// arrived. Whole seconds would round a 1.5 s age to 2 s, past the server's
// own view of it, and servers (GnuTLS) then reject 0-RTT.
TEST(Resumption, TicketAgeCountsMilliseconds) {
  Fixture f;
  EXPECT_FALSE(f.connect().client_resumed);
  auto s = f.cache->take("localhost");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->received_ms, *f.now * 1000);
  s->received_ms -= 1500;
  const std::uint32_t age_add = s->age_add;
  f.cache->store("localhost", std::move(*s));
  auto c = Connection::client(f.client, "localhost");
  const auto out = c.pending_output();
  ASSERT_GT(out.size(), 9u);
  // Record header (5), handshake header (4), then the ClientHello body.
  auto hello = msg::ClientHello::decode(out.subspan(9));
  ASSERT_TRUE(hello.ok());
  auto psks = hello->extensions.get<msg::OfferedPsks>();
  ASSERT_TRUE(psks.ok() && psks->has_value());
  EXPECT_EQ((*psks)->identities[0].obfuscated_ticket_age - age_add, 1500u);
}

// Session files of versions 1 and 2 kept seconds: they still parse, in ms.
TEST(Resumption, StoredSessionVersionTwoSecondsBecomeMilliseconds) {
  StoredSession s;
  s.ticket = {1, 2, 3};
  s.psk.assign(32, 7);
  s.suite = CipherSuite::aes_128_gcm_sha256;
  s.received_ms = 1700000000123;
  auto bytes = s.serialize();
  EXPECT_EQ(bytes[4], 3);
  EXPECT_EQ(StoredSession::parse(bytes)->received_ms, 1700000000123);
  bytes[4] = 2;
  // received is the u64 after magic, version, suite, lifetime, age_add.
  const std::uint64_t secs = 1700000000;
  for (int i = 0; i < 8; ++i) bytes[15 + i] = static_cast<std::uint8_t>(secs >> (56 - 8 * i));
  auto v2 = StoredSession::parse(bytes);
  ASSERT_TRUE(v2.has_value());
  EXPECT_EQ(v2->received_ms, 1700000000000);
}

TEST(Resumption, RotatingKeysKeepCurrentAndPrevious) {
  RotatingTicketKeys keys(std::chrono::seconds(10));
  const auto k0 = keys.current(1000);
  EXPECT_EQ(keys.current(1009).id, k0.id);  // same period
  const auto k1 = keys.current(1010);       // rotated
  EXPECT_NE(k1.id, k0.id);
  ASSERT_TRUE(keys.find(k0.id, 1010).has_value());
  EXPECT_EQ(keys.find(k0.id, 1010)->key, k0.key);
  EXPECT_FALSE(keys.find(k0.id, 1020).has_value());  // two rotations: retired
  const auto k2 = keys.current(1020);
  EXPECT_TRUE(keys.find(k1.id, 1020).has_value());
  // A long idle gap retires everything older than the new key.
  keys.current(2000);
  EXPECT_FALSE(keys.find(k2.id, 2000).has_value());
}

TEST(Resumption, InMemoryCacheIsBoundedAndNewestFirst) {
  InMemorySessionCache cache(2);
  for (std::uint8_t i = 1; i <= 3; ++i) {
    StoredSession s;
    s.ticket = {i};
    cache.store(i == 2 ? "b" : "a", std::move(s));
  }
  EXPECT_EQ(cache.size(), 2u);  // ticket 1 ("a") dropped, oldest first
  auto a = cache.take("a");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->ticket, std::vector<std::uint8_t>{3});
  EXPECT_FALSE(cache.take("a").has_value());
  EXPECT_TRUE(cache.take("b").has_value());
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace tls13
