// PSKs (RFC 8446 §4.2.9, §4.2.11): resumption with and without (EC)DHE
// over every suite, key exchange mode negotiation, the hash rules and
// HelloRetryRequest, external PSKs both ways, and the RFC 9258 importer
// (known answers computed from the draft's formulas).
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "conn/connection_access.h"
#include "keysched/key_schedule.h"
#include "keysched/psk_importer.h"
#include "msg/client_hello.h"
#include "msg/ext_key_share.h"
#include "msg/ext_psk.h"
#include "msg/handshake.h"
#include "support/loopback.h"
#include "support/negative.h"
#include "support/test_support.h"

namespace tls13 {
namespace {

using Bytes = std::vector<std::uint8_t>;
using test::hex;
using test::pump;

Bytes text(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

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

struct Outcome {
  HandshakeInfo client, server;
  bool certificate_sent = false;
  bool ok = false;
};

// One handshake and a round of application data.
Outcome run(const std::shared_ptr<const ClientConfig>& cc,
            const std::shared_ptr<const ServerConfig>& sc) {
  auto c = Connection::client(cc, "localhost");
  auto s = Connection::server(sc);
  Names names;
  s.set_trace(&names);
  EXPECT_TRUE(pump(c, s));
  EXPECT_FALSE(c.failed()) << c.error()->describe();
  EXPECT_FALSE(s.failed()) << s.error()->describe();
  Outcome o{c.info(), s.info(), names.sent_any("Certificate"), false};
  if (!c.handshake_complete() || !s.handshake_complete()) return o;
  EXPECT_TRUE(c.write(text("psk data")).ok());
  EXPECT_TRUE(pump(c, s));
  Bytes buf(16);
  buf.resize(s.read(buf));
  o.ok = buf == text("psk data");
  return o;
}

struct Fixture {
  test::Pki pki = test::make_pki();
  std::shared_ptr<std::int64_t> now = std::make_shared<std::int64_t>(std::time(nullptr));
  std::shared_ptr<InMemorySessionCache> cache = std::make_shared<InMemorySessionCache>(8);
  std::shared_ptr<ClientConfig> client = std::make_shared<ClientConfig>();
  std::shared_ptr<ServerConfig> server = std::make_shared<ServerConfig>();
  Fixture() {
    client->trust = pki.anchors;
    client->session_cache = cache;
    client->clock = [n = now] { return *n; };
    server->certificates.push_back(test::server_cert(pki, crypto::KeyType::ec_p256));
    server->ticket_keys = std::make_shared<RotatingTicketKeys>(std::chrono::seconds(3600));
    server->clock = [n = now] { return *n; };
    server->tickets = 1;
  }
};

ExternalPsk external(std::string id, std::uint8_t fill = 0x42, PskHash h = PskHash::sha256) {
  return ExternalPsk(text(id), Bytes(32, fill), h);
}

constexpr CipherSuite kAllSuites[] = {
    CipherSuite::aes_128_gcm_sha256, CipherSuite::aes_256_gcm_sha384,
    CipherSuite::chacha20_poly1305_sha256, CipherSuite::aes_128_ccm_sha256,
    CipherSuite::aes_128_ccm_8_sha256};

TEST(Psk, ResumptionEverySuiteWithAndWithoutDhe) {
  for (CipherSuite suite : kAllSuites)
    for (auto mode : {PskKeyExchangeMode::psk_dhe_ke, PskKeyExchangeMode::psk_ke}) {
      SCOPED_TRACE(std::string(to_string(suite)) +
                   (mode == PskKeyExchangeMode::psk_ke ? " psk_ke" : " psk_dhe_ke"));
      Fixture f;
      f.client->cipher_suites = f.server->cipher_suites = {suite};
      f.client->psk_modes = f.server->psk_modes = {mode};
      auto full = run(f.client, f.server);
      EXPECT_TRUE(full.ok);
      EXPECT_EQ(full.client.psk, PskType::none);
      EXPECT_TRUE(full.certificate_sent);
      auto again = run(f.client, f.server);
      EXPECT_TRUE(again.ok);
      EXPECT_EQ(again.client.psk, PskType::resumption);
      EXPECT_EQ(again.server.psk, PskType::resumption);
      EXPECT_TRUE(again.client.resumed && again.server.resumed);
      EXPECT_FALSE(again.certificate_sent);
      EXPECT_EQ(again.client.cipher_suite, suite);
      // psk_ke: no (EC)DHE, so no group.
      EXPECT_EQ(again.client.group.has_value(), mode == PskKeyExchangeMode::psk_dhe_ke);
      EXPECT_EQ(again.server.group.has_value(), mode == PskKeyExchangeMode::psk_dhe_ke);
    }
}

TEST(Psk, KeyExchangeModeIsTheServersPreferenceAmongTheClients) {
  Fixture f;
  f.client->psk_modes = {PskKeyExchangeMode::psk_dhe_ke, PskKeyExchangeMode::psk_ke};
  f.server->psk_modes = {PskKeyExchangeMode::psk_ke, PskKeyExchangeMode::psk_dhe_ke};
  EXPECT_TRUE(run(f.client, f.server).ok);
  auto r = run(f.client, f.server);
  EXPECT_TRUE(r.client.resumed);
  EXPECT_FALSE(r.client.group.has_value());  // psk_ke won
  // No mode in common: the PSK is ignored, a full handshake follows.
  f.client->psk_modes = {PskKeyExchangeMode::psk_ke};
  f.server->psk_modes = {PskKeyExchangeMode::psk_dhe_ke};
  r = run(f.client, f.server);
  EXPECT_TRUE(r.ok);
  EXPECT_FALSE(r.client.resumed);
  EXPECT_TRUE(r.certificate_sent);
}

// §4.1.4 + §4.2.11: after a HelloRetryRequest the client recomputes its
// binders over the new transcript (the server checks them) ...
TEST(Psk, HelloRetryRequestRecomputesBinders) {
  for (auto mode : {PskKeyExchangeMode::psk_dhe_ke, PskKeyExchangeMode::psk_ke}) {
    Fixture f;
    f.client->psk_modes = f.server->psk_modes = {mode};
    f.client->external_psks = {external("hrr")};
    f.server->external_psks = {external("hrr")};
    f.client->key_share_groups = {NamedGroup::secp256r1};  // the server prefers x25519
    auto r = run(f.client, f.server);
    EXPECT_TRUE(r.ok);
    EXPECT_EQ(r.client.psk, PskType::external);
    // psk_ke needs no key share, so no HelloRetryRequest either.
    EXPECT_EQ(r.client.hello_retry_request, mode == PskKeyExchangeMode::psk_dhe_ke);
  }
}

// ... and drops PSKs whose hash is not the HelloRetryRequest suite's.
TEST(Psk, HelloRetryRequestDropsPsksOfAnotherHash) {
  Fixture f;
  f.client->cipher_suites = {CipherSuite::aes_256_gcm_sha384, CipherSuite::aes_128_gcm_sha256};
  f.client->external_psks = {external("sha384", 0x42, PskHash::sha384)};
  // The server knows no such PSK and prefers a SHA-256 suite.
  f.server->cipher_suites = {CipherSuite::aes_128_gcm_sha256, CipherSuite::aes_256_gcm_sha384};
  f.client->key_share_groups = {NamedGroup::secp256r1};
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  std::vector<bool> offered;
  ConnectionAccess::impl(c).outgoing_handshake_filter = [&](Bytes& m) {
    if (m[0] != 1) return;
    auto ch = msg::ClientHello::decode(std::span(m).subspan(4));
    ASSERT_TRUE(ch.ok());
    offered.push_back(ch->extensions.contains(msg::ExtensionType::pre_shared_key));
    // psk_key_exchange_modes stays in the second hello (§4.1.2).
    EXPECT_TRUE(ch->extensions.contains(msg::ExtensionType::psk_key_exchange_modes));
  };
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(c.handshake_complete()) << (c.failed() ? c.error()->describe() : "");
  EXPECT_EQ(offered, (std::vector<bool>{true, false}));
  EXPECT_EQ(c.info().cipher_suite, CipherSuite::aes_128_gcm_sha256);
  EXPECT_EQ(c.info().psk, PskType::none);
}

// §4.2.11: the server picks a suite of the PSK's hash when it can.
TEST(Psk, ServerPicksASuiteOfThePsksHash) {
  Fixture f;
  f.client->external_psks = f.server->external_psks = {external("384", 0x33, PskHash::sha384)};
  auto r = run(f.client, f.server);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.client.psk, PskType::external);
  EXPECT_EQ(r.client.cipher_suite, CipherSuite::aes_256_gcm_sha384);
  // A client without a suite of that hash does not offer it at all.
  f.client->cipher_suites = {CipherSuite::aes_128_gcm_sha256};
  r = run(f.client, f.server);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.client.psk, PskType::none);
}

TEST(Psk, ExternalBothModesWithoutAnyCertificate) {
  for (auto mode : {PskKeyExchangeMode::psk_dhe_ke, PskKeyExchangeMode::psk_ke}) {
    Fixture f;
    f.server->certificates.clear();
    f.server->ticket_keys = nullptr;
    f.client->psk_modes = f.server->psk_modes = {mode};
    f.client->external_psks = {external("client-1")};
    f.server->external_psks = {external("other", 0x01), external("client-1")};
    auto r = run(f.client, f.server);
    EXPECT_TRUE(r.ok);
    EXPECT_EQ(r.client.psk, PskType::external);
    EXPECT_EQ(r.server.psk, PskType::external);
    EXPECT_FALSE(r.client.resumed);
    EXPECT_FALSE(r.certificate_sent);
    EXPECT_FALSE(r.client.peer_verified);
    EXPECT_EQ(r.client.group.has_value(), mode == PskKeyExchangeMode::psk_dhe_ke);
  }
}

// No tickets after an external-PSK handshake (NSS's client aborts on them);
// a client with a session cache still says which modes it could resume
// with (§4.2.9), without which BoringSSL issues no tickets at all.
TEST(Psk, NoTicketsAfterAnExternalPskHandshake) {
  Fixture f;
  f.client->external_psks = f.server->external_psks = {external("client-1")};
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  bool modes_sent = false;
  ConnectionAccess::impl(c).outgoing_handshake_filter = [&](Bytes& m) {
    if (m[0] != 1) return;
    auto ch = msg::ClientHello::decode(std::span(m).subspan(4));
    ASSERT_TRUE(ch.ok());
    modes_sent = ch->extensions.contains(msg::ExtensionType::psk_key_exchange_modes);
  };
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(c.handshake_complete());
  EXPECT_EQ(c.info().psk, PskType::external);
  EXPECT_EQ(f.cache->size(), 0u);
  EXPECT_TRUE(modes_sent);

  Fixture g;  // no PSK to offer, but a cache: the modes go out anyway
  auto c2 = Connection::client(g.client, "localhost");
  const Bytes flight(c2.pending_output().begin(), c2.pending_output().end());
  auto ch = msg::ClientHello::decode(std::span(flight).subspan(9));
  ASSERT_TRUE(ch.ok());
  EXPECT_TRUE(ch->extensions.contains(msg::ExtensionType::psk_key_exchange_modes));
  EXPECT_FALSE(ch->extensions.contains(msg::ExtensionType::pre_shared_key));
}

TEST(Psk, UnknownExternalIdentityGivesAFullHandshake) {
  Fixture f;
  f.client->external_psks = {external("nobody-knows")};
  f.server->external_psks = {external("client-1")};
  auto r = run(f.client, f.server);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.client.psk, PskType::none);
  EXPECT_TRUE(r.certificate_sent);
  EXPECT_TRUE(r.client.peer_verified);
}

// The ticket comes first, external PSKs after it; a server without ticket
// keys takes the external one (selected_identity 1).
TEST(Psk, TicketFirstThenExternalPsks) {
  Fixture f;
  f.client->external_psks = f.server->external_psks = {external("ext")};
  f.client->external_psks.clear();
  EXPECT_TRUE(run(f.client, f.server).ok);  // leaves a ticket
  f.client->external_psks = {external("ext")};
  auto no_tickets = std::make_shared<ServerConfig>(*f.server);
  no_tickets->ticket_keys = nullptr;
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(no_tickets);
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(c.handshake_complete());
  EXPECT_EQ(c.info().psk, PskType::external);
  // The early exporter needs the first PSK.
  Bytes out(16);
  EXPECT_FALSE(c.export_early_keying_material("EXPERIMENTAL x", {}, out).ok());
  EXPECT_FALSE(s.export_early_keying_material("EXPERIMENTAL x", {}, out).ok());
}

TEST(Psk, ExternalPskWithAnotherKeyIsDecryptError) {
  Fixture f;
  f.client->external_psks = {external("client-1", 0x42)};
  f.server->external_psks = {external("client-1", 0x43)};
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.error()->alert, Alert::decrypt_error);
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.error()->alert, Alert::decrypt_error);
  EXPECT_TRUE(c.error()->from_peer);
}

TEST(Psk, ExternalPskNotLastIsIllegalParameter) {
  Fixture f;
  f.client->external_psks = f.server->external_psks = {external("client-1")};
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ConnectionAccess::impl(c).outgoing_handshake_filter = [](Bytes& m) {
    if (m[0] != 1) return;
    const Bytes orig = m;
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

// Client-side checks of the server's PSK choice (§4.2.11, §4.2.9).
TEST(Psk, ClientRejectsAnIdentityNotOffered) {
  using namespace test::neg;
  Peers p;
  p.client->external_psks = p.server->external_psks = {external("client-1")};
  Pair pair(p, {}, edit_sh([](msg::ServerHello& sh) {
              sh.extensions.set(msg::PreSharedKeyServerHello{1});
            }));
  pair.run();
  expect_abort(pair, Side::client, Alert::illegal_parameter);
}

TEST(Psk, ClientRejectsPskKeItDidNotOffer) {
  using namespace test::neg;
  Peers p;
  p.client->external_psks = p.server->external_psks = {external("client-1")};
  Pair pair(p, {}, edit_sh([](msg::ServerHello& sh) {
              sh.extensions.remove(msg::ExtensionType::key_share);
            }));
  pair.run();
  expect_abort(pair, Side::client, Alert::missing_extension);
}

// --------------------------------------------------- RFC 9258 importer --

ExternalPsk kat_epsk(PskHash h = PskHash::sha256) {
  Bytes key(32);
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i);
  return ExternalPsk(text("psk-importer-kat"), key, h);
}

// Expected values computed from RFC 9258 §5.1 with Python's hmac/hashlib:
//   epskx = HKDF-Extract(0, epsk)
//   ipskx = HKDF-Expand-Label(epskx, "derived psk", Hash(ImportedIdentity), L)
TEST(PskImporter, KnownAnswers) {
  struct Kat {
    PskHash epsk_hash;
    const char* context;
    PskHash target;
    const char* identity;
    const char* ipskx;
  } kats[] = {
      {PskHash::sha256, "", PskHash::sha256, "001070736b2d696d706f727465722d6b6174000003040001",
       "a79460aa16aa6b1184e94663c5307d4f0d5ce0bb47b56577e03f40efc811730c"},
      {PskHash::sha256, "ctx", PskHash::sha384,
       "001070736b2d696d706f727465722d6b6174000363747803040002",
       "c61db59915c88924902ee6dc2f2b1037d973d5fb983b049a5b196d0c730341aab1fd78e2e736010be320e4fc"
       "a5a5c1ff"},
      // The EPSK's hash drives HKDF; the target KDF only sets L (§5.1).
      {PskHash::sha384, "ctx", PskHash::sha256,
       "001070736b2d696d706f727465722d6b6174000363747803040001",
       "86b4e9f8472b134744671312a127887a65493b83846961c8a9f8f89232104789"},
  };
  for (const auto& k : kats) {
    SCOPED_TRACE(k.ipskx);
    auto ipsk = import_external_psk(kat_epsk(k.epsk_hash), text(k.context), k.target);
    ASSERT_TRUE(ipsk.ok()) << ipsk.error().describe();
    EXPECT_EQ(hex(ipsk->identity), k.identity);
    EXPECT_EQ(hex(ipsk->key), k.ipskx);
    EXPECT_EQ(ipsk->hash, k.target);
    EXPECT_TRUE(ipsk->imported);
  }
}

// §5.2: imported PSKs derive binder_key with "imp binder".
TEST(PskImporter, BinderKeyUsesImpBinderLabel) {
  const Bytes ipskx = hex("a79460aa16aa6b1184e94663c5307d4f0d5ce0bb47b56577e03f40efc811730c");
  const auto early = ks::EarlySecret::from_psk(crypto::HashId::sha256, ipskx);
  EXPECT_EQ(hex(early.binder_key(ks::PskKind::imported).span()),
            "c172bc4450f180972af6270c03ddb86794f53af8adde5a3fd29ded65504c256f");
  EXPECT_EQ(hex(early.binder_key(ks::PskKind::external).span()),
            "5e008a96e1686ec53a2ffc275fb20acf84ccd845aab6ea52d2b09abff0a80956");
}

TEST(PskImporter, RefusesEmptyIdentityOrKeyAndOversizedIdentity) {
  ExternalPsk e = kat_epsk();
  e.identity.clear();
  EXPECT_FALSE(import_external_psk(e, {}, PskHash::sha256).ok());
  e = kat_epsk();
  e.key.clear();
  EXPECT_FALSE(import_external_psk(e, {}, PskHash::sha256).ok());
  e = kat_epsk();
  auto r = import_external_psk(e, Bytes(65535 - 2 - 16 - 2 - 4 + 1, 'c'), PskHash::sha256);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::internal_error);
  EXPECT_TRUE(import_external_psk(e, Bytes(65535 - 2 - 16 - 2 - 4, 'c'), PskHash::sha256).ok());
}

// Both sides import the same EPSK: they agree. One side imported, the
// other not: no common identity, a full handshake. The same identity and
// key without the import flag on one side: the binder labels differ.
TEST(PskImporter, HandshakesOnlyWhenBothSidesImport) {
  for (auto target : {PskHash::sha256, PskHash::sha384}) {
    Fixture f;
    auto ipsk = import_external_psk(kat_epsk(), text("ctx"), target);
    ASSERT_TRUE(ipsk.ok());
    f.client->external_psks = f.server->external_psks = {*ipsk};
    auto r = run(f.client, f.server);
    EXPECT_TRUE(r.ok);
    EXPECT_EQ(r.client.psk, PskType::external);
    EXPECT_EQ(crypto::suite_info(*r.client.cipher_suite)->hash,
              target == PskHash::sha256 ? crypto::HashId::sha256 : crypto::HashId::sha384);
  }
  Fixture f;
  auto ipsk = import_external_psk(kat_epsk(), {}, PskHash::sha256);
  ASSERT_TRUE(ipsk.ok());
  f.client->external_psks = {*ipsk};
  f.server->external_psks = {kat_epsk()};
  auto r = run(f.client, f.server);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.client.psk, PskType::none);

  ExternalPsk not_imported = *ipsk;
  not_imported.imported = false;
  f.server->external_psks = {not_imported};
  f.client->session_cache = nullptr;  // offer the imported PSK alone
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.error()->alert, Alert::decrypt_error);
}

TEST(PskImporter, ImportedIdentityEncoding) {
  auto id = ks::encode_imported_identity(text("id"), text("c"), ks::kImportTargetTls13,
                                         ks::kTargetKdfHkdfSha384);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(hex(*id),
            "000269640001630304"
            "0002");
  EXPECT_FALSE(ks::encode_imported_identity({}, {}, 0x0304, 1).ok());
}

// ------------------------------------------------ stored sessions, v1 --

// A version 1 session file (before max_early_data_size) still parses.
TEST(Psk, StoredSessionVersionOneStillParses) {
  StoredSession s;
  s.ticket = {1, 2, 3};
  s.psk = Bytes(32, 7);
  s.suite = CipherSuite::aes_128_gcm_sha256;
  s.max_early_data_size = 99;
  Bytes current = s.serialize();
  EXPECT_EQ(current[4], 3);
  auto back = StoredSession::parse(current);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->max_early_data_size, 99u);
  Bytes v1(current.begin(), current.end() - 4);
  v1[4] = 1;
  back = StoredSession::parse(v1);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->max_early_data_size, 0u);
  EXPECT_EQ(back->ticket, s.ticket);
  v1[4] = 4;
  EXPECT_FALSE(StoredSession::parse(v1).has_value());
}

}  // namespace
}  // namespace tls13
