// Regressions for what BoringSSL's BoGo suite found (tests/bogo): each test
// names the BoGo test that first failed and the RFC 8446 rule behind it.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "conn/connection_access.h"
#include "crypto/hash.h"
#include "crypto/hmac.h"
#include "crypto/x509.h"
#include "keysched/key_schedule.h"
#include "msg/client_hello.h"
#include "msg/legacy_hello.h"
#include "support/loopback.h"
#include "support/test_support.h"

namespace tls13 {
namespace {

using test::pump;

// Counts handshake messages by name and direction.
struct Seen : TraceSink {
  std::vector<std::pair<bool, std::string>> msgs;  // (sent, name + " " + summary)
  void message(bool sent, std::string_view name, std::string_view summary) override {
    msgs.emplace_back(sent, std::string(name) + " " + std::string(summary));
  }
  void secret(std::string_view) override {}
  int count(bool sent, std::string_view prefix) const {
    return static_cast<int>(std::count_if(msgs.begin(), msgs.end(), [&](const auto& m) {
      return m.first == sent && m.second.rfind(prefix, 0) == 0;
    }));
  }
};

struct Fixture {
  test::Pki pki = test::make_pki();
  std::shared_ptr<ClientConfig> client = std::make_shared<ClientConfig>();
  std::shared_ptr<ServerConfig> server = std::make_shared<ServerConfig>();
  Fixture() {
    client->trust = pki.anchors;
    server->certificates.push_back(test::server_cert(pki, crypto::KeyType::ec_p256));
    server->ticket_keys = std::make_shared<RotatingTicketKeys>(std::chrono::hours(1));
  }
};

std::vector<std::uint8_t> take(Connection& c) {
  auto out = c.pending_output();
  std::vector<std::uint8_t> bytes(out.begin(), out.end());
  c.consume_output(bytes.size());
  return bytes;
}

// Outer content types of the records in `bytes`.
std::vector<std::uint8_t> record_types(const std::vector<std::uint8_t>& bytes) {
  std::vector<std::uint8_t> types;
  for (std::size_t i = 0; i + 5 <= bytes.size();) {
    types.push_back(bytes[i]);
    i += 5 + ((bytes[i + 3] << 8) | bytes[i + 4]);
  }
  return types;
}

// BoGo Resume-Client-TLS13, Basic client tests ("new session was not
// cached"): §4.2.9 lets servers send tickets only for listed modes, so a
// client that keeps tickets must list psk_dhe_ke before it has any.
TEST(BogoRegressions, FreshClientWithCacheListsPskModesAndGetsTickets) {
  Fixture f;
  auto cache = std::make_shared<InMemorySessionCache>();
  f.client->session_cache = cache;
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  Seen client_seen;
  c.set_trace(&client_seen);
  auto ch_record = take(c);
  ASSERT_GT(ch_record.size(), 9u);
  auto ch = msg::ClientHello::decode(std::span(ch_record).subspan(9));  // record + message headers
  ASSERT_TRUE(ch.ok()) << ch.error().describe();
  EXPECT_TRUE(ch->extensions.find(msg::ExtensionType::psk_key_exchange_modes).has_value());
  EXPECT_FALSE(ch->extensions.find(msg::ExtensionType::pre_shared_key).has_value());
  ASSERT_TRUE(s.feed(ch_record).ok());
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(c.handshake_complete() && s.handshake_complete());
  EXPECT_EQ(client_seen.count(false, "NewSessionTicket"), 2);
  EXPECT_EQ(cache->size(), 2u);
}

// BoGo TLS13-ExpectNoSessionTicketOnBadKEMode-Server: §4.2.9, a server must
// not send tickets a client cannot use (here: psk_ke only, or no modes).
TEST(BogoRegressions, ServerSendsNoTicketsWithoutPskDheKe) {
  for (std::vector<std::uint8_t> modes : {std::vector<std::uint8_t>{0x00},  // psk_ke
                                          std::vector<std::uint8_t>{}}) {   // none
    Fixture f;
    hs::ClientOptions opts;
    opts.psk_modes = modes;
    auto c = ConnectionAccess::client(f.client, "localhost", opts);
    auto s = Connection::server(f.server);
    Seen server_seen;
    s.set_trace(&server_seen);
    ASSERT_TRUE(pump(c, s));
    ASSERT_TRUE(c.handshake_complete() && s.handshake_complete());
    EXPECT_EQ(server_seen.count(true, "NewSessionTicket"), 0) << modes.size();
  }
}

// BoGo KeyUpdate-RequestACK: §4.6.3, several update requests reaching a
// silent endpoint get a single update in answer; after it sends data, the
// next request gets a new answer.
TEST(BogoRegressions, KeyUpdateRequestsWhileSilentGetOneAnswer) {
  Fixture f;
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  Seen server_seen;
  s.set_trace(&server_seen);
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(c.handshake_complete() && s.handshake_complete());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(s.update_keys(true).ok());
  ASSERT_TRUE(pump(c, s));
  EXPECT_EQ(server_seen.count(false, "KeyUpdate update_not_requested"), 1);

  const std::vector<std::uint8_t> data = {1, 2, 3};
  ASSERT_TRUE(c.write(data).ok());
  ASSERT_TRUE(s.update_keys(true).ok());
  ASSERT_TRUE(pump(c, s));
  EXPECT_EQ(server_seen.count(false, "KeyUpdate update_not_requested"), 2);
  // Both directions still work on the new keys.
  std::vector<std::uint8_t> got(3);
  ASSERT_EQ(s.read(got), 3u);
  EXPECT_EQ(got, data);
  ASSERT_TRUE(s.write(data).ok());
  ASSERT_TRUE(pump(c, s));
  ASSERT_EQ(c.read(got), 3u);
  EXPECT_EQ(got, data);
}

// BoGo UnknownExtension-Client-TLS13, WrongMessageType-TLS13-* and others:
// after ServerHello the server reads the client's records under
// client_handshake_traffic_secret, so an alert the client sends while
// checking the server's flight must be protected (it arrived in the clear,
// and BoringSSL saw bad_record_mac instead of our alert).
TEST(BogoRegressions, ClientAlertAfterServerHelloIsProtected) {
  Fixture f;
  auto c = Connection::client(f.client, "wrong.example");  // name mismatch
  auto s = Connection::server(f.server);
  auto ch = take(c);
  ASSERT_TRUE(s.feed(ch).ok());
  auto flight = take(s);
  (void)c.feed(flight);
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.error()->alert, Alert::bad_certificate);
  auto answer = take(c);
  // A change_cipher_spec (middlebox compatibility), then the alert under the
  // handshake key: outer type application_data, never a plaintext alert.
  EXPECT_EQ(record_types(answer), (std::vector<std::uint8_t>{20, 23}));
  (void)s.feed(answer);
  ASSERT_TRUE(s.failed());
  EXPECT_TRUE(s.error()->from_peer);
  EXPECT_EQ(s.error()->alert, Alert::bad_certificate);
}

// A self-signed P-256 leaf for "localhost" whose keyUsage is keyAgreement
// only, with its (throwaway, test-only) key.
constexpr const char* kKeyAgreementOnlyCert = R"(-----BEGIN CERTIFICATE-----
MIIBojCCAUigAwIBAgIUYIXBB2VAhBHLTsIbLogrHJqS37AwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwMzIwNTc0MFoYDzIxMjYxMTA5
MjA1NzQwWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAARcz6uou6/w0HmB/jzFTxTAEf1wv4TYnhAJJJih81NttEmDMOIuCJuU
4IWp8cNud9bSgVudQAwYGBcnPQiOOwEwo3YwdDAdBgNVHQ4EFgQUg9MVlg+wjbvL
gyYE1TpSsqiE4OUwHwYDVR0jBBgwFoAUg9MVlg+wjbvLgyYE1TpSsqiE4OUwFAYD
VR0RBA0wC4IJbG9jYWxob3N0MA4GA1UdDwEB/wQEAwIDCDAMBgNVHRMBAf8EAjAA
MAoGCCqGSM49BAMCA0gAMEUCIQDmo4OnIhzfWtUAQGWXH+g3RCS/2Wu1Zdnx86rq
OCiZAgIgPW63hbbOjBrkjtSVrBRk4cxbwwONvOeM+GHVKLoKWZY=
-----END CERTIFICATE-----
)";
constexpr const char* kKeyAgreementOnlyKey = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg0IoDqGiAWAiRKGYK
q4eZBUqfy825cz7UNOHp64jwkXahRANCAARcz6uou6/w0HmB/jzFTxTAEf1wv4TY
nhAJJJih81NttEmDMOIuCJuU4IWp8cNud9bSgVudQAwYGBcnPQiOOwEw
-----END PRIVATE KEY-----
)";

// BoGo ECDSAKeyUsage-Client-TLS13, RSAKeyUsage-Client-WantSignature-
// GotEncipherment-TLS13: §4.4.2.2, the server's key must allow signing
// (digitalSignature set if keyUsage is present).
TEST(BogoRegressions, ServerCertificateWithoutDigitalSignatureIsRefused) {
  auto key = CertifiedKey::from_pem(kKeyAgreementOnlyCert, kKeyAgreementOnlyKey);
  ASSERT_TRUE(key.ok()) << key.error().describe();
  auto cert = crypto::Certificate::from_der((*key)->chain_der().front());
  ASSERT_TRUE(cert.ok()) << cert.error().describe();
  EXPECT_TRUE(cert->public_key().ok());
  auto signing = cert->signing_key();
  ASSERT_FALSE(signing.ok());
  EXPECT_EQ(signing.error().alert, Alert::unsupported_certificate);

  Fixture f;
  f.client->verify_peer = false;  // the key usage is checked regardless
  f.server->certificates = {*key};
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.error()->alert, Alert::unsupported_certificate);
  ASSERT_TRUE(s.failed());
  EXPECT_TRUE(s.error()->from_peer);
  EXPECT_EQ(s.error()->alert, Alert::unsupported_certificate);
}

// A certificate of the same self-signed shape with digitalSignature is
// accepted: the check looks at the bit, not at the extension's presence.
TEST(BogoRegressions, ServerCertificateWithDigitalSignatureIsAccepted) {
  Fixture f;
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_TRUE(pump(c, s));  // test PKI leaves carry keyUsage digitalSignature
  EXPECT_TRUE(c.handshake_complete() && s.handshake_complete());
}

// BoGo ECDSAKeyUsage-Server-TLS13: a client's key must allow signing too.
// libcrypto's client purpose check lets a keyAgreement-only EC key through,
// so before the fix the server took this client's CertificateVerify.
TEST(BogoRegressions, ClientCertificateWithoutDigitalSignatureIsRefused) {
  auto key = CertifiedKey::from_pem(kKeyAgreementOnlyCert, kKeyAgreementOnlyKey);
  ASSERT_TRUE(key.ok()) << key.error().describe();
  Fixture f;
  f.client->certificates = {*key};
  f.server->client_auth = ClientAuth::required;
  auto anchor = TrustAnchors::from_pem(kKeyAgreementOnlyCert);  // self-signed
  ASSERT_TRUE(anchor.ok()) << anchor.error().describe();
  f.server->client_trust = *anchor;
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  (void)pump(c, s);
  ASSERT_TRUE(s.failed());
  EXPECT_FALSE(s.error()->from_peer);
  EXPECT_EQ(s.error()->alert, Alert::unsupported_certificate);
  EXPECT_NE(s.error()->describe().find("keyUsage"), std::string::npos) << s.error()->describe();
  EXPECT_FALSE(s.info().client_auth);
}

// A client certificate issued by the test CA for client authentication.
std::shared_ptr<const CertifiedKey> client_key(const test::Pki& pki, crypto::KeyType t) {
  auto leaf = test::issue_leaf(pki.ca, t, {"client.test"});
  return test::must(
      CertifiedKey::from_pem(leaf.cert.to_pem() + pki.ca.cert.to_pem(), leaf.key->to_pem()),
      "client certificate");
}

// BoGo Server-Verify-ECDSA_P256_SHA256-TLS13 and friends: what a server
// accepts from clients (signature_schemes, in its CertificateRequest) is
// apart from what it signs with (signing_schemes). Before, one list served
// both, so a server with an RSA key could not ask for ECDSA client
// signatures only. The client's scheme shows in client_signature_scheme.
TEST(BogoRegressions, ServerSigningSchemesApartFromAcceptedSchemes) {
  Fixture f;
  f.server->certificates = {test::server_cert(f.pki, crypto::KeyType::rsa)};
  f.server->signature_schemes = {SignatureScheme::ecdsa_secp256r1_sha256};
  f.server->signing_schemes = {SignatureScheme::rsa_pss_rsae_sha384};
  f.server->client_auth = ClientAuth::required;
  f.server->client_trust = f.pki.anchors;
  f.client->certificates = {client_key(f.pki, crypto::KeyType::ec_p256)};
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(c.handshake_complete() && s.handshake_complete())
      << (c.error()   ? c.error()->describe()
          : s.error() ? s.error()->describe()
                      : "");
  EXPECT_EQ(c.info().signature_scheme, SignatureScheme::rsa_pss_rsae_sha384);
  EXPECT_EQ(s.info().signature_scheme, SignatureScheme::rsa_pss_rsae_sha384);
  EXPECT_EQ(s.info().client_signature_scheme, SignatureScheme::ecdsa_secp256r1_sha256);
  EXPECT_EQ(c.info().client_signature_scheme, SignatureScheme::ecdsa_secp256r1_sha256);
  EXPECT_TRUE(s.info().client_auth);
}

// BoGo Client-Sign-Negotiate-RSA_PSS_SHA384-TLS13: a client signs with its
// signing_schemes, whatever it accepts from the server.
TEST(BogoRegressions, ClientSigningSchemesPickTheClientSignature) {
  Fixture f;
  f.server->client_auth = ClientAuth::required;
  f.server->client_trust = f.pki.anchors;
  f.client->certificates = {client_key(f.pki, crypto::KeyType::rsa)};
  f.client->signature_schemes = {SignatureScheme::ecdsa_secp256r1_sha256};  // the server's key
  f.client->signing_schemes = {SignatureScheme::rsa_pss_rsae_sha512,
                               SignatureScheme::rsa_pss_rsae_sha384};
  f.server->signature_schemes = {SignatureScheme::ecdsa_secp256r1_sha256,
                                 SignatureScheme::rsa_pss_rsae_sha384};
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(c.handshake_complete() && s.handshake_complete());
  EXPECT_EQ(s.info().client_signature_scheme, SignatureScheme::rsa_pss_rsae_sha384);
  EXPECT_EQ(c.info().signature_scheme, SignatureScheme::ecdsa_secp256r1_sha256);
}

// BoGo EarlyData-Server-TLS13 (the runner waits for the answer to its early
// data before it sends Finished) and ExportKeyingMaterial-Server-HalfRTT-
// TLS13: a server may write, and export, as soon as its flight is out
// (RFC 8446 §4.4.4 0.5-RTT data); write() refused until the client's
// Finished.
TEST(BogoRegressions, ServerWritesAndExportsHalfRtt) {
  Fixture f;
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_TRUE(s.feed(take(c)).ok());
  ASSERT_FALSE(s.handshake_complete());
  std::vector<std::uint8_t> server_ekm(32), client_ekm(32);
  ASSERT_TRUE(s.export_keying_material("EXPERIMENTAL half-RTT", {}, server_ekm).ok());
  const std::vector<std::uint8_t> data = {0xfe, 0xfd, 0xfc};
  auto w = s.write(data);
  ASSERT_TRUE(w.ok()) << w.error().describe();
  ASSERT_FALSE(s.handshake_complete());
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(c.handshake_complete() && s.handshake_complete());
  std::vector<std::uint8_t> got(8);
  got.resize(c.read(got));
  EXPECT_EQ(got, data);
  ASSERT_TRUE(c.export_keying_material("EXPERIMENTAL half-RTT", {}, client_ekm).ok());
  EXPECT_EQ(client_ekm, server_ekm);
  // A server that has not sent its flight yet still cannot write.
  auto fresh = Connection::server(f.server);
  EXPECT_FALSE(fresh.write(data).ok());
}

// BoGo SkipEarlyData-HRR-Interleaved-TLS13: after a HelloRetryRequest the
// server skips 0-RTT records until the second ClientHello (§4.2.10), but
// one inside a ClientHello split over records breaks §5.1:
// unexpected_message (it used to be skipped).
TEST(BogoRegressions, ZeroRttRecordInsideSecondClientHelloIsUnexpected) {
  Fixture f;
  auto cache = std::make_shared<InMemorySessionCache>();
  f.client->session_cache = cache;
  f.server->max_early_data_size = 1024;
  {
    auto c = Connection::client(f.client, "localhost");
    auto s = Connection::server(f.server);
    ASSERT_TRUE(pump(c, s));
    ASSERT_GT(cache->size(), 0u);
  }
  f.client->key_share_groups = {NamedGroup::secp256r1};  // the server prefers x25519: HRR
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  const std::vector<std::uint8_t> early = {'x'};
  ASSERT_EQ(c.write_early_data(early).value(), 1u);
  ASSERT_TRUE(s.feed(take(c)).ok());
  ASSERT_TRUE(c.feed(take(s)).ok());  // HelloRetryRequest
  auto out = take(c);
  // Split the second ClientHello's record in two with a 0-RTT record between.
  std::vector<std::uint8_t> input;
  for (std::size_t i = 0; i + 5 <= out.size();) {
    const std::size_t len = (out[i + 3] << 8) | out[i + 4];
    if (out[i] != 22) {
      input.insert(input.end(), out.begin() + i, out.begin() + i + 5 + len);
    } else {
      auto body = std::span(out).subspan(i + 5, len);
      for (auto part : {body.first(16), body.subspan(16)}) {
        input.insert(input.end(), {22, 3, 3, static_cast<std::uint8_t>(part.size() >> 8),
                                   static_cast<std::uint8_t>(part.size())});
        input.insert(input.end(), part.begin(), part.end());
        if (part.size() == 16) input.insert(input.end(), {23, 3, 3, 0, 4, 1, 2, 3, 4});
      }
    }
    i += 5 + len;
  }
  (void)s.feed(input);
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.error()->alert, Alert::unexpected_message) << s.error()->describe();
}

// BoGo TLS-TLS13-AES_128_GCM_SHA256-client and the other cipher-suite
// tests export under an empty label. RFC 5705 §4 bounds no label from
// below and OpenSSL, BoringSSL and Go export under ""; refusing it only
// made tls13 the stack that cannot agree. The HkdfLabel then carries the
// 6-octet "tls13 " (spelled out here with plain HKDF).
TEST(BogoRegressions, ExporterTakesAnEmptyLabel) {
  Fixture f;
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_TRUE(pump(c, s));
  std::vector<std::uint8_t> client_out(32), server_out(32);
  auto r = c.export_keying_material("", {}, client_out);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  ASSERT_TRUE(s.export_keying_material("", {}, server_out).ok());
  EXPECT_EQ(client_out, server_out);
  std::vector<std::uint8_t> named(32);
  ASSERT_TRUE(c.export_keying_material("x", {}, named).ok());
  EXPECT_NE(named, client_out);

  const ks::ExporterMasterSecret secret(crypto::HashId::sha256, std::vector<std::uint8_t>(32, 7));
  std::vector<std::uint8_t> got(16);
  ASSERT_TRUE(ks::export_keying_material(secret, "", {}, got).ok());
  auto info = [](std::uint16_t len, std::string_view label, std::span<const std::uint8_t> ctx) {
    std::vector<std::uint8_t> v = {static_cast<std::uint8_t>(len >> 8),
                                   static_cast<std::uint8_t>(len),
                                   static_cast<std::uint8_t>(6 + label.size())};
    for (char ch : "tls13 " + std::string(label)) v.push_back(static_cast<std::uint8_t>(ch));
    v.push_back(static_cast<std::uint8_t>(ctx.size()));
    v.insert(v.end(), ctx.begin(), ctx.end());
    return v;
  };
  const auto empty_hash = crypto::Hash::empty(crypto::HashId::sha256);
  std::vector<std::uint8_t> derived(32), want(16);
  ASSERT_TRUE(crypto::hkdf_expand(crypto::HashId::sha256, secret.span(),
                                  info(32, "", empty_hash.span()), derived));
  ASSERT_TRUE(crypto::hkdf_expand(crypto::HashId::sha256, derived,
                                  info(16, "exporter", empty_hash.span()), want));
  EXPECT_EQ(got, want);
}

// BoGo MinimumVersion-Client-TLS13-TLS12-TLS: a TLS 1.2 ServerHello with an
// empty extensions block has no supported_versions, so the server does not
// speak TLS 1.3: protocol_version (§4.1.3, §4.2.1), not decode_error.
TEST(BogoRegressions, Tls12ServerHelloWithEmptyExtensionsGetsProtocolVersion) {
  std::vector<std::uint8_t> body = {0x03, 0x03};
  body.insert(body.end(), 32, 0x5a);                  // random (no sentinel)
  body.insert(body.end(), {0x00, 0xc0, 0x2f, 0x00});  // no session id, a TLS 1.2 suite, null
  EXPECT_TRUE(msg::extensionless_server_hello_random(body).has_value());  // no block
  body.insert(body.end(), {0x00, 0x00});  // an empty extensions block
  EXPECT_TRUE(msg::extensionless_server_hello_random(body).has_value());
  auto with_ext = body;
  with_ext.back() = 0x04;  // a non-empty block is not "without extensions"
  with_ext.insert(with_ext.end(), {0xff, 0x01, 0x00, 0x00});
  EXPECT_FALSE(msg::extensionless_server_hello_random(with_ext).has_value());

  Fixture f;
  auto c = Connection::client(f.client, "localhost");
  (void)take(c);
  std::vector<std::uint8_t> record = {0x16,
                                      0x03,
                                      0x03,
                                      0x00,
                                      static_cast<std::uint8_t>(4 + body.size()),
                                      0x02,
                                      0x00,
                                      0x00,
                                      static_cast<std::uint8_t>(body.size())};
  record.insert(record.end(), body.begin(), body.end());
  (void)c.feed(record);
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(c.error()->alert, Alert::protocol_version);
  EXPECT_EQ(record_types(take(c)), std::vector<std::uint8_t>{21});  // a plaintext alert
}

// After a peer's fatal alert nothing more goes out, not even what the same
// read queued before the alert.
TEST(BogoRegressions, NothingIsSentAfterThePeersFatalAlert) {
  Fixture f;
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  (void)s.feed(take(c));
  auto flight = take(s);
  // ServerHello followed by a fatal alert in the clear (accepted during the
  // handshake): the client's change_cipher_spec, queued while it read
  // ServerHello, must not go out.
  // Keep only ServerHello's record so the alert follows it directly.
  const std::size_t sh_len = 5 + ((flight[3] << 8) | flight[4]);
  std::vector<std::uint8_t> input(flight.begin(), flight.begin() + sh_len);
  input.insert(input.end(), {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 40});
  (void)c.feed(input);
  ASSERT_TRUE(c.failed());
  EXPECT_TRUE(c.error()->from_peer);
  EXPECT_EQ(c.error()->alert, Alert::handshake_failure);
  EXPECT_TRUE(c.pending_output().empty());
}

}  // namespace
}  // namespace tls13
