// In-memory client <-> server handshakes through the public API.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "conn/connection_access.h"
#include "support/loopback.h"
#include "support/test_support.h"

namespace tls13 {
namespace {

using test::pump;

struct Fixture {
  test::Pki pki = test::make_pki();
  std::shared_ptr<ClientConfig> client = std::make_shared<ClientConfig>();
  std::shared_ptr<ServerConfig> server = std::make_shared<ServerConfig>();
  Fixture(crypto::KeyType key = crypto::KeyType::ec_p256) {
    client->trust = pki.anchors;
    server->certificates.push_back(test::server_cert(pki, key));
  }
};

void expect_connected(const Connection& c, const Connection& s) {
  ASSERT_FALSE(c.failed()) << c.error()->describe();
  ASSERT_FALSE(s.failed()) << s.error()->describe();
  EXPECT_TRUE(c.handshake_complete());
  EXPECT_TRUE(s.handshake_complete());
}

void expect_echo(Connection& c, Connection& s) {
  const std::string msg = "hello over tls13";
  auto w = c.write(std::span(reinterpret_cast<const std::uint8_t*>(msg.data()), msg.size()));
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(pump(c, s));
  std::vector<std::uint8_t> buf(64);
  const auto n = s.read(buf);
  EXPECT_EQ(std::string(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n)), msg);
  ASSERT_TRUE(s.write(std::span(buf).first(n)).ok());
  ASSERT_TRUE(pump(c, s));
  EXPECT_EQ(c.read(buf), n);
}

TEST(Handshake, DefaultConfigConnectsAndCarriesData) {
  Fixture f;
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_TRUE(pump(c, s));
  expect_connected(c, s);
  EXPECT_EQ(c.info().cipher_suite, CipherSuite::aes_128_gcm_sha256);
  EXPECT_EQ(c.info().group, NamedGroup::x25519);
  EXPECT_EQ(c.info().signature_scheme, SignatureScheme::ecdsa_secp256r1_sha256);
  EXPECT_TRUE(c.info().peer_verified);
  EXPECT_FALSE(c.info().hello_retry_request);
  EXPECT_EQ(s.info().server_name, "localhost");
  EXPECT_EQ(c.info().peer_chain.size(), 2u);
  expect_echo(c, s);
  c.close();
  ASSERT_TRUE(pump(c, s));
  EXPECT_TRUE(s.peer_closed());
}

TEST(Handshake, EverySuiteGroupAndKeyType) {
  const CipherSuite suites[] = {CipherSuite::aes_128_gcm_sha256, CipherSuite::aes_256_gcm_sha384,
                                CipherSuite::chacha20_poly1305_sha256,
                                CipherSuite::aes_128_ccm_sha256, CipherSuite::aes_128_ccm_8_sha256};
  const NamedGroup groups[] = {NamedGroup::x25519, NamedGroup::secp256r1, NamedGroup::secp384r1,
                               NamedGroup::secp521r1, NamedGroup::x448};
  const crypto::KeyType keys[] = {crypto::KeyType::ec_p256, crypto::KeyType::ec_p384,
                                  crypto::KeyType::rsa,     crypto::KeyType::rsa_pss,
                                  crypto::KeyType::ed25519, crypto::KeyType::ed448};
  int n = 0;
  for (auto key : keys) {
    Fixture f(key);
    for (auto suite : suites) {
      for (auto group : groups) {
        SCOPED_TRACE(std::string(to_string(suite)) + " " + std::string(to_string(group)) + " " +
                     std::string(crypto::to_string(key)));
        f.client->cipher_suites = {suite};
        f.server->cipher_suites = {suite};
        f.client->groups = {group};
        f.client->key_share_groups = {group};
        auto c = Connection::client(f.client, "localhost");
        auto s = Connection::server(f.server);
        ASSERT_TRUE(pump(c, s));
        expect_connected(c, s);
        EXPECT_EQ(c.info().cipher_suite, suite);
        EXPECT_EQ(s.info().group, group);
        expect_echo(c, s);
        ++n;
      }
    }
  }
  EXPECT_EQ(n, 150);
}

TEST(Handshake, HelloRetryRequestWhenShareMissesServerPreference) {
  for (bool cookie : {false, true}) {
    Fixture f;
    f.client->key_share_groups = {NamedGroup::secp256r1};  // server prefers x25519
    f.server->hrr_cookie = cookie;
    auto c = Connection::client(f.client, "localhost");
    auto s = Connection::server(f.server);
    ASSERT_TRUE(pump(c, s));
    expect_connected(c, s);
    EXPECT_TRUE(c.info().hello_retry_request);
    EXPECT_TRUE(s.info().hello_retry_request);
    EXPECT_EQ(c.info().group, NamedGroup::x25519);
    expect_echo(c, s);
  }
}

TEST(Handshake, AlpnNegotiatedOrRefused) {
  Fixture f;
  f.client->alpn = {"h2", "http/1.1"};
  f.server->alpn = {"http/1.1"};
  {
    auto c = Connection::client(f.client, "localhost");
    auto s = Connection::server(f.server);
    ASSERT_TRUE(pump(c, s));
    expect_connected(c, s);
    EXPECT_EQ(c.info().alpn, "http/1.1");
    EXPECT_EQ(s.info().alpn, "http/1.1");
  }
  f.server->alpn = {"spdy/3"};
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.error()->alert, Alert::no_application_protocol);
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.error()->alert, Alert::no_application_protocol);
  EXPECT_TRUE(c.error()->from_peer);
}

TEST(Handshake, ServerPicksCertificateBySniAndSignatureAlgorithms) {
  Fixture f(crypto::KeyType::rsa);
  f.server->certificates.push_back(
      test::server_cert(f.pki, crypto::KeyType::ed25519, {"other.test"}));
  {
    auto c = Connection::client(f.client, "other.test");
    auto s = Connection::server(f.server);
    ASSERT_TRUE(pump(c, s));
    expect_connected(c, s);
    EXPECT_EQ(c.info().signature_scheme, SignatureScheme::ed25519);
  }
  {
    auto c = Connection::client(f.client, "localhost");
    auto s = Connection::server(f.server);
    ASSERT_TRUE(pump(c, s));
    expect_connected(c, s);
    EXPECT_EQ(c.info().signature_scheme, SignatureScheme::rsa_pss_rsae_sha256);
  }
}

TEST(Handshake, WrongHostNameIsBadCertificate) {
  Fixture f;
  auto c = Connection::client(f.client, "not-localhost.example");
  auto s = Connection::server(f.server);
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.error()->alert, Alert::bad_certificate);
  EXPECT_FALSE(c.handshake_complete());
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.error()->alert, Alert::bad_certificate);
  EXPECT_FALSE(s.handshake_complete());
}

TEST(Handshake, UnknownCaIsRejected) {
  Fixture f;
  f.client->trust = test::make_pki().anchors;  // a different CA
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.error()->alert, Alert::unknown_ca);
}

TEST(Handshake, NoCommonSuiteIsHandshakeFailure) {
  Fixture f;
  f.client->cipher_suites = {CipherSuite::aes_128_ccm_sha256};
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.error()->alert, Alert::handshake_failure);
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.error()->alert, Alert::handshake_failure);
}

TEST(Handshake, TamperedRecordIsBadRecordMac) {
  Fixture f;
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_TRUE(pump(c, s));
  expect_connected(c, s);
  const std::uint8_t data[4] = {1, 2, 3, 4};
  ASSERT_TRUE(c.write(data).ok());
  std::vector<std::uint8_t> rec(c.pending_output().begin(), c.pending_output().end());
  c.consume_output(rec.size());
  rec.back() ^= 1;
  auto r = s.feed(rec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::bad_record_mac);
  EXPECT_EQ(s.readable(), 0u);  // nothing reached the application
}

TEST(Handshake, WriteBeforeHandshakeIsRefused) {
  Fixture f;
  auto c = Connection::client(f.client, "localhost");
  const std::uint8_t data[1] = {0};
  EXPECT_FALSE(c.write(data).ok());
}

}  // namespace
}  // namespace tls13

namespace tls13 {
namespace {

struct KeyUpdateCounter final : TraceSink {
  int requested = 0, not_requested = 0;
  void message(bool sent, std::string_view name, std::string_view summary) override {
    if (sent || name != "KeyUpdate") return;
    (summary == "update_requested" ? requested : not_requested)++;
  }
  void secret(std::string_view) override {}
};

TEST(Handshake, KeyUpdateBothDirections) {
  Fixture f;
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  KeyUpdateCounter seen_by_client, seen_by_server;
  c.set_trace(&seen_by_client);
  s.set_trace(&seen_by_server);
  ASSERT_TRUE(pump(c, s));
  expect_connected(c, s);
  // The client updates and asks the server to update too; data still flows
  // both ways on the new keys.
  ASSERT_TRUE(c.update_keys(true).ok());
  ASSERT_TRUE(pump(c, s));
  EXPECT_EQ(seen_by_server.requested, 1);
  EXPECT_EQ(seen_by_client.not_requested, 1);  // the server's answer, exactly one
  expect_echo(c, s);
  ASSERT_TRUE(s.update_keys(false).ok());
  ASSERT_TRUE(pump(c, s));
  expect_echo(c, s);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(s.update_keys(i % 2 == 0).ok());
  ASSERT_TRUE(pump(c, s));
  expect_echo(c, s);
  expect_connected(c, s);
  EXPECT_EQ(seen_by_client.requested, 3);
  EXPECT_EQ(seen_by_client.not_requested, 4);  // one answer, one plain update, two in the loop
  // §4.6.3: the three requests reached a silent client, which answers once.
  EXPECT_EQ(seen_by_server.not_requested, 1);
}

TEST(Handshake, KeyUpdateBeforeHandshakeIsRefused) {
  Fixture f;
  auto c = Connection::client(f.client, "localhost");
  auto r = c.update_keys(false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::internal_error);
}

}  // namespace
}  // namespace tls13

namespace tls13 {
namespace {

TEST(Handshake, FilterSeamDeliversMalformedMessagesToThePeer) {
  Fixture f;
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  // Truncate the server's EncryptedExtensions body by one byte: the client
  // must reject it with decode_error and deliver nothing.
  ConnectionAccess::impl(s).outgoing_handshake_filter = [](std::vector<std::uint8_t>& m) {
    if (m[0] == 8) {
      m.pop_back();
      const std::size_t len = m.size() - 4;
      m[1] = static_cast<std::uint8_t>(len >> 16);
      m[2] = static_cast<std::uint8_t>(len >> 8);
      m[3] = static_cast<std::uint8_t>(len);
    }
  };
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.error()->alert, Alert::decode_error);
  EXPECT_FALSE(c.handshake_complete());
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.error()->alert, Alert::decode_error);
  EXPECT_TRUE(s.error()->from_peer);
}

}  // namespace
}  // namespace tls13

namespace tls13 {
namespace {

// RFC 8701: a client may send GREASE values; the server must ignore them.
TEST(Handshake, GreaseFromTheClientIsIgnored) {
  Fixture f;
  f.client->grease = true;
  f.client->alpn = {"h2"};
  f.server->alpn = {"h2"};
  std::vector<std::uint8_t> hello;
  auto c = Connection::client(f.client, "localhost");
  ConnectionAccess::impl(c).outgoing_handshake_filter = [&](std::vector<std::uint8_t>& m) {
    if (m[0] == 1) hello = m;
  };
  auto s = Connection::server(f.server);
  ASSERT_TRUE(pump(c, s));
  expect_connected(c, s);
  EXPECT_EQ(c.info().alpn, "h2");
  // The ClientHello really carried GREASE (0x?a?a) values.
  int grease = 0;
  for (std::size_t i = 0; i + 1 < hello.size(); ++i)
    if ((hello[i] & 0x0f) == 0x0a && hello[i] == hello[i + 1]) ++grease;
  EXPECT_GE(grease, 3);
}

}  // namespace
}  // namespace tls13

namespace tls13 {
namespace {

// Both sides log the same five secrets under the NSS labels, keyed by the
// client random.
TEST(Handshake, KeyLogMatchesOnBothSides) {
  Fixture f;
  std::vector<std::string> client_lines, server_lines;
  auto logger = [](std::vector<std::string>& out) {
    return [&out](std::string_view label, std::span<const std::uint8_t> random,
                  std::span<const std::uint8_t> secret) {
      out.push_back(std::string(label) + " " + test::hex(random) + " " + test::hex(secret));
    };
  };
  f.client->key_log = logger(client_lines);
  f.server->key_log = logger(server_lines);
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_TRUE(pump(c, s));
  expect_connected(c, s);
  ASSERT_EQ(client_lines.size(), 5u);
  std::sort(client_lines.begin(), client_lines.end());
  std::sort(server_lines.begin(), server_lines.end());
  EXPECT_EQ(client_lines, server_lines);
  const char* labels[] = {"CLIENT_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0",
                          "EXPORTER_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
                          "SERVER_TRAFFIC_SECRET_0"};
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(client_lines[i].rfind(labels[i], 0), 0u);
}

}  // namespace
}  // namespace tls13

namespace tls13 {
namespace {

TEST(Handshake, VerifyingClientNeedsAServerName) {
  Fixture f;
  auto c = Connection::client(f.client, "");
  auto r = c.feed({});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::internal_error);
  EXPECT_TRUE(c.failed());
  f.client->verify_peer = false;  // explicitly unverified: allowed
  auto c2 = Connection::client(f.client, "");
  auto s = Connection::server(f.server);
  ASSERT_TRUE(pump(c2, s));
  expect_connected(c2, s);
  EXPECT_FALSE(c2.info().peer_verified);
}

}  // namespace
}  // namespace tls13

namespace tls13 {
namespace {

TEST(Handshake, ExportersAgreeAndDependOnLabelAndContext) {
  Fixture f;
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  std::uint8_t early[16];
  EXPECT_EQ(c.export_keying_material("EXPERIMENTAL test", {}, early).error().alert,
            Alert::internal_error);
  ASSERT_TRUE(pump(c, s));
  expect_connected(c, s);
  const std::vector<std::uint8_t> ctx = {1, 2, 3};
  std::vector<std::uint8_t> a(32), b(32), other_label(32), other_ctx(32), empty_ctx(32), no_ctx(32);
  ASSERT_TRUE(c.export_keying_material("EXPERIMENTAL test", ctx, a).ok());
  ASSERT_TRUE(s.export_keying_material("EXPERIMENTAL test", ctx, b).ok());
  EXPECT_EQ(a, b);
  ASSERT_TRUE(c.export_keying_material("EXPERIMENTAL other", ctx, other_label).ok());
  EXPECT_NE(a, other_label);
  ASSERT_TRUE(
      c.export_keying_material("EXPERIMENTAL test", std::vector<std::uint8_t>{1, 2, 4}, other_ctx)
          .ok());
  EXPECT_NE(a, other_ctx);
  // §7.5: no context and an empty context are the same.
  ASSERT_TRUE(c.export_keying_material("EXPERIMENTAL test", {}, no_ctx).ok());
  ASSERT_TRUE(
      s.export_keying_material("EXPERIMENTAL test", std::span<const std::uint8_t>(), empty_ctx)
          .ok());
  EXPECT_EQ(no_ctx, empty_ctx);
  // KeyUpdate does not change the exporter.
  ASSERT_TRUE(c.update_keys(true).ok());
  ASSERT_TRUE(pump(c, s));
  std::vector<std::uint8_t> after(32);
  ASSERT_TRUE(s.export_keying_material("EXPERIMENTAL test", ctx, after).ok());
  EXPECT_EQ(after, a);
}

}  // namespace
}  // namespace tls13

namespace tls13 {
namespace {

// §5.5: the sender re-keys by itself when a key nears its usage limit.
TEST(Handshake, AutomaticKeyUpdateAtTheUsageLimit) {
  Fixture f;
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  KeyUpdateCounter seen_by_server;
  s.set_trace(&seen_by_server);
  ASSERT_TRUE(pump(c, s));
  expect_connected(c, s);
  ConnectionAccess::impl(c).sealer->traffic_key().set_usage_limit(3);
  const std::uint8_t data[10] = {};
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(c.write(data).ok());
  ASSERT_TRUE(pump(c, s));
  EXPECT_EQ(seen_by_server.not_requested, 1);  // one update; the new key has the default limit
  EXPECT_EQ(s.readable(), 60u);
  expect_connected(c, s);
}

// A peer may not make us re-key forever without sending data.
TEST(Handshake, KeyUpdateFloodIsBounded) {
  Fixture f;
  f.server->limits.max_key_updates = 4;
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_TRUE(pump(c, s));
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(c.update_keys(false).ok());
  ASSERT_TRUE(pump(c, s));
  expect_connected(c, s);
  const std::uint8_t data[1] = {7};
  ASSERT_TRUE(c.write(data).ok());  // data resets the count
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(c.update_keys(false).ok());
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.error()->alert, Alert::unexpected_message);
  ASSERT_TRUE(c.failed());
  EXPECT_TRUE(c.error()->from_peer);
}

}  // namespace
}  // namespace tls13
