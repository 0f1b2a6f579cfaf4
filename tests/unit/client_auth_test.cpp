// Client authentication in memory (RFC 8446 §4.3.2, §4.4.2, §4.4.3,
// §4.6.2): required / optional / none, every key type, certificate_authorities
// guiding the client's choice, the alerts of a bad answer, post-handshake
// authentication, and the interplay with HelloRetryRequest and resumption.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "msg/certificate_request.h"
#include "msg/ext_certificate_authorities.h"
#include "msg/ext_groups_sigalgs.h"
#include "support/negative.h"

namespace tls13 {
namespace {

using test::pump;
using test::neg::expect_abort;
using test::neg::expect_failed_by_peer;
using test::neg::expect_failed_locally;
using test::neg::Message;
using test::neg::Pair;
using test::neg::Peers;
using T = msg::HandshakeType;

std::shared_ptr<const CertifiedKey> client_cert(const test::Pki& pki, crypto::KeyType t,
                                                test::Validity v = {}) {
  auto leaf = test::issue_leaf(pki.ca, t, {"client.test"}, v);
  return test::must(
      CertifiedKey::from_pem(leaf.cert.to_pem() + pki.ca.cert.to_pem(), leaf.key->to_pem()),
      "client certificate");
}

// A PKI whose CA has another name than the shared one (same-named CAs
// cannot be told apart by certificate_authorities).
test::Pki other_pki() {
  test::Pki p{test::make_ca(crypto::KeyType::ec_p256, "another test CA"), nullptr};
  p.anchors = test::must(TrustAnchors::from_pem(p.ca.cert.to_pem()), "anchors");
  return p;
}

// Handshake messages as traced: (sent, name, summary).
struct Recorder final : TraceSink {
  struct Line {
    bool sent;
    std::string name, summary;
  };
  std::vector<Line> lines;
  void message(bool sent, std::string_view name, std::string_view summary) override {
    lines.push_back({sent, std::string(name), std::string(summary)});
  }
  void secret(std::string_view) override {}
  std::vector<std::string> sent_named(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& l : lines)
      if (l.sent && l.name == name) out.push_back(l.summary);
    return out;
  }
};

// A server asking for client certificates from the shared test PKI, and a
// client holding one of its certificates.
struct AuthPeers : Peers {
  explicit AuthPeers(ClientAuth mode, crypto::KeyType client_key = crypto::KeyType::ec_p256) {
    server->client_auth = mode;
    server->client_trust = test::neg::shared_pki().anchors;
    client->certificates.push_back(client_cert(test::neg::shared_pki(), client_key));
  }
};

void expect_connected(const Connection& c, const Connection& s) {
  ASSERT_FALSE(c.failed()) << c.error()->describe();
  ASSERT_FALSE(s.failed()) << s.error()->describe();
  EXPECT_TRUE(c.handshake_complete());
  EXPECT_TRUE(s.handshake_complete());
}

void expect_echo(Connection& c, Connection& s) {
  const Message msg = test::neg::text("client-authenticated data");
  ASSERT_TRUE(c.write(msg).ok());
  ASSERT_TRUE(pump(c, s));
  Message buf(64);
  buf.resize(s.read(buf));
  EXPECT_EQ(buf, msg);
}

// ---------------------------------------------------------- in the handshake --

TEST(ClientAuth, RequiredWithCertificateAuthenticatesTheClient) {
  AuthPeers p(ClientAuth::required);
  auto c = Connection::client(p.client, "localhost");
  auto s = Connection::server(p.server);
  ASSERT_TRUE(pump(c, s));
  expect_connected(c, s);
  EXPECT_TRUE(c.info().certificate_requested);
  EXPECT_TRUE(c.info().client_auth);
  EXPECT_TRUE(s.info().certificate_requested);
  EXPECT_TRUE(s.info().client_auth);
  EXPECT_TRUE(s.info().peer_verified);
  ASSERT_EQ(s.info().peer_chain.size(), 2u);
  EXPECT_EQ(s.info().peer_chain[0], p.client->certificates[0]->chain_der()[0]);
  expect_echo(c, s);
}

TEST(ClientAuth, OptionalWithoutCertificateConnectsUnauthenticated) {
  AuthPeers p(ClientAuth::optional);
  p.client->certificates.clear();
  Recorder trace;
  auto c = Connection::client(p.client, "localhost");
  auto s = Connection::server(p.server);
  c.set_trace(&trace);
  ASSERT_TRUE(pump(c, s));
  expect_connected(c, s);
  EXPECT_TRUE(c.info().certificate_requested);
  EXPECT_FALSE(c.info().client_auth);
  EXPECT_FALSE(s.info().client_auth);
  EXPECT_FALSE(s.info().peer_verified);
  EXPECT_TRUE(s.info().peer_chain.empty());
  // §4.4.3: an empty Certificate has no CertificateVerify.
  EXPECT_EQ(trace.sent_named("Certificate").size(), 1u);
  EXPECT_TRUE(trace.sent_named("CertificateVerify").empty());
  expect_echo(c, s);
}

TEST(ClientAuth, OptionalWithCertificateAuthenticates) {
  AuthPeers p(ClientAuth::optional);
  auto c = Connection::client(p.client, "localhost");
  auto s = Connection::server(p.server);
  ASSERT_TRUE(pump(c, s));
  expect_connected(c, s);
  EXPECT_TRUE(s.info().client_auth);
}

TEST(ClientAuth, NoneSendsNoCertificateRequest) {
  AuthPeers p(ClientAuth::none);
  Recorder trace;
  auto c = Connection::client(p.client, "localhost");
  auto s = Connection::server(p.server);
  s.set_trace(&trace);
  ASSERT_TRUE(pump(c, s));
  expect_connected(c, s);
  EXPECT_FALSE(c.info().certificate_requested);
  EXPECT_FALSE(s.info().certificate_requested);
  EXPECT_FALSE(c.info().client_auth);
  EXPECT_FALSE(s.info().client_auth);
  EXPECT_TRUE(trace.sent_named("CertificateRequest").empty());
}

TEST(ClientAuth, RequiredWithoutCertificateIsCertificateRequired) {
  AuthPeers p(ClientAuth::required);
  p.client->certificates.clear();
  Pair pair(p);
  pair.run();
  // The client completed when it sent its Finished; the alert comes after.
  expect_abort(pair, Side::server, Alert::certificate_required, true);
}

TEST(ClientAuth, EveryKeyTypeSignsWithItsScheme) {
  const std::pair<crypto::KeyType, SignatureScheme> cases[] = {
      {crypto::KeyType::ec_p256, SignatureScheme::ecdsa_secp256r1_sha256},
      {crypto::KeyType::ec_p384, SignatureScheme::ecdsa_secp384r1_sha384},
      {crypto::KeyType::ec_p521, SignatureScheme::ecdsa_secp521r1_sha512},
      {crypto::KeyType::rsa, SignatureScheme::rsa_pss_rsae_sha256},
      {crypto::KeyType::rsa_pss, SignatureScheme::rsa_pss_pss_sha256},
      {crypto::KeyType::ed25519, SignatureScheme::ed25519},
      {crypto::KeyType::ed448, SignatureScheme::ed448},
  };
  int n = 0;
  for (const auto& [key, scheme] : cases) {
    SCOPED_TRACE(std::string(crypto::to_string(key)));
    AuthPeers p(ClientAuth::required, key);
    Recorder trace;
    auto c = Connection::client(p.client, "localhost");
    auto s = Connection::server(p.server);
    c.set_trace(&trace);
    ASSERT_TRUE(pump(c, s));
    expect_connected(c, s);
    EXPECT_TRUE(s.info().client_auth);
    const auto cv = trace.sent_named("CertificateVerify");
    ASSERT_EQ(cv.size(), 1u);
    EXPECT_EQ(cv[0], to_string(scheme));
    expect_echo(c, s);
    ++n;
  }
  EXPECT_EQ(n, 7);
}

TEST(ClientAuth, NoCertificateFitsTheSignatureAlgorithms) {
  // The server accepts ECDSA P-256 signatures only; an Ed25519 client key
  // cannot answer, so the client sends an empty Certificate.
  AuthPeers p(ClientAuth::optional, crypto::KeyType::ed25519);
  p.server->signature_schemes = {SignatureScheme::ecdsa_secp256r1_sha256};
  auto c = Connection::client(p.client, "localhost");
  auto s = Connection::server(p.server);
  ASSERT_TRUE(pump(c, s));
  expect_connected(c, s);
  EXPECT_FALSE(c.info().client_auth);
  EXPECT_FALSE(s.info().client_auth);
}

TEST(ClientAuth, CertificateAuthoritiesGuideTheClientsChoice) {
  // Two chains: the first from a CA the server does not trust, the second
  // from the one it does. certificate_authorities names the latter.
  const test::Pki other = other_pki();
  AuthPeers p(ClientAuth::required);
  p.client->certificates.insert(p.client->certificates.begin(),
                                client_cert(other, crypto::KeyType::ec_p256));
  Message request;
  {
    Pair pair(p, {}, [&](Message& m) {
      if (test::neg::is(m, T::certificate_request)) request = m;
    });
    pair.run();
    ASSERT_FALSE(pair.s.failed()) << pair.s.error()->describe();
    EXPECT_TRUE(pair.s.info().client_auth);
    EXPECT_EQ(pair.s.info().peer_chain.at(0), p.client->certificates[1]->chain_der()[0]);
  }
  // The request lists exactly the trusted CA's subject.
  auto body = test::neg::body_of(request);
  auto cr = msg::CertificateRequest::decode(body);
  ASSERT_TRUE(cr.ok());
  auto cas = cr->extensions.get<msg::CertificateAuthorities>();
  ASSERT_TRUE(cas.ok() && cas->has_value());
  ASSERT_EQ((*cas)->authorities.size(), 1u);
  const auto dn = test::neg::shared_pki().ca.cert.subject_der();
  EXPECT_TRUE(std::equal(dn.begin(), dn.end(), (*cas)->authorities[0].begin(),
                         (*cas)->authorities[0].end()));

  // Without the hint the client takes its first chain, which the server
  // cannot trace to its anchors.
  p.server->send_certificate_authorities = false;
  Pair pair(p);
  pair.run();
  expect_abort(pair, Side::server, Alert::unknown_ca, true);
}

TEST(ClientAuth, UnmatchedAuthoritiesStillSendAFittingCertificate) {
  // §4.4.2.3 is a SHOULD: no chain matches the listed CA, one fits the
  // signature algorithms, so it goes out (and fails verification).
  AuthPeers p(ClientAuth::required);
  p.client->certificates = {client_cert(other_pki(), crypto::KeyType::ec_p256)};
  Recorder trace;
  Pair pair(p);
  pair.c.set_trace(&trace);
  pair.run();
  EXPECT_EQ(trace.sent_named("CertificateVerify").size(), 1u);
  expect_abort(pair, Side::server, Alert::unknown_ca, true);
}

TEST(ClientAuth, SignatureAlgorithmsCertIsSentWhenConfigured) {
  AuthPeers p(ClientAuth::required);
  p.server->client_certificate_signature_schemes = {SignatureScheme::ecdsa_secp256r1_sha256};
  Message request;
  Pair pair(p, {}, [&](Message& m) {
    if (test::neg::is(m, T::certificate_request)) request = m;
  });
  pair.run();
  ASSERT_FALSE(pair.s.failed()) << pair.s.error()->describe();
  auto body = test::neg::body_of(request);
  auto cr = msg::CertificateRequest::decode(body);
  ASSERT_TRUE(cr.ok());
  EXPECT_TRUE(cr->certificate_request_context.empty());
  auto sc = cr->extensions.get<msg::SignatureSchemeListCert>();
  ASSERT_TRUE(sc.ok() && sc->has_value());
  EXPECT_EQ((*sc)->supported_signature_algorithms,
            std::vector<SignatureScheme>{SignatureScheme::ecdsa_secp256r1_sha256});
}

TEST(ClientAuth, UntrustedOrExpiredClientChainIsRejected) {
  {
    AuthPeers p(ClientAuth::required);
    p.server->client_trust = test::make_pki().anchors;  // another CA
    Pair pair(p);
    pair.run();
    expect_abort(pair, Side::server, Alert::unknown_ca, true);
  }
  {
    AuthPeers p(ClientAuth::optional);  // optional does not excuse a bad chain
    const std::int64_t now = test::unix_now();
    p.client->certificates = {client_cert(test::neg::shared_pki(), crypto::KeyType::ec_p256,
                                          {now - 40 * 86400, now - 10 * 86400})};
    Pair pair(p);
    pair.run();
    expect_abort(pair, Side::server, Alert::certificate_expired, true);
  }
}

TEST(ClientAuth, BadCertificateVerifySignatureIsDecryptError) {
  AuthPeers p(ClientAuth::required, crypto::KeyType::ed25519);
  Pair pair(p, test::neg::on(T::certificate_verify, [](Message& m) { m.back() ^= 0x01; }));
  pair.run();
  expect_abort(pair, Side::server, Alert::decrypt_error, true);
}

TEST(ClientAuth, CertificateVerifyWithUnrequestedSchemeIsIllegalParameter) {
  AuthPeers p(ClientAuth::required);
  p.server->signature_schemes = {SignatureScheme::ecdsa_secp256r1_sha256,
                                 SignatureScheme::rsa_pss_rsae_sha256};
  Pair pair(p, test::neg::edit_cv([](msg::CertificateVerify& cv) {
              cv.algorithm = SignatureScheme::ecdsa_secp384r1_sha384;
            }));
  pair.run();
  expect_abort(pair, Side::server, Alert::illegal_parameter, true);
}

TEST(ClientAuth, MessagesOutOfOrderAreUnexpected) {
  {  // Finished without the CertificateVerify
    AuthPeers p(ClientAuth::required);
    Pair pair(p, test::neg::drop(T::certificate_verify));
    pair.run();
    expect_abort(pair, Side::server, Alert::unexpected_message, true);
  }
  {  // CertificateVerify without the Certificate
    AuthPeers p(ClientAuth::required);
    Pair pair(p, test::neg::drop(T::certificate));
    pair.run();
    expect_abort(pair, Side::server, Alert::unexpected_message, true);
  }
  {  // Finished without any answer to the request
    AuthPeers p(ClientAuth::optional);
    p.client->certificates.clear();
    Pair pair(p, test::neg::drop(T::certificate));
    pair.run();
    expect_abort(pair, Side::server, Alert::unexpected_message, true);
  }
}

TEST(ClientAuth, CertificateContextMustBeEmptyInTheHandshake) {
  AuthPeers p(ClientAuth::required);
  Pair pair(p, test::neg::edit_cert([](msg::Certificate& c) {
              static const std::uint8_t ctx[] = {0x01};
              c.certificate_request_context = ctx;
            }));
  pair.run();
  expect_abort(pair, Side::server, Alert::illegal_parameter, true);
}

TEST(ClientAuth, MissingClientTrustIsInternalError) {
  AuthPeers p(ClientAuth::required);
  p.server->client_trust.reset();
  Pair pair(p);
  pair.run();
  expect_abort(pair, Side::server, Alert::internal_error);
}

TEST(ClientAuth, WorksAfterHelloRetryRequest) {
  AuthPeers p(ClientAuth::required, crypto::KeyType::rsa);
  test::neg::hello_retry(p);
  auto c = Connection::client(p.client, "localhost");
  auto s = Connection::server(p.server);
  ASSERT_TRUE(pump(c, s));
  expect_connected(c, s);
  EXPECT_TRUE(c.info().hello_retry_request);
  EXPECT_TRUE(s.info().client_auth);
  expect_echo(c, s);
}

// ------------------------------------------------------------- resumption --

struct Resumable : AuthPeers {
  explicit Resumable(ClientAuth mode) : AuthPeers(mode) {
    server->ticket_keys = std::make_shared<RotatingTicketKeys>(std::chrono::hours(1));
    client->session_cache = std::make_shared<InMemorySessionCache>();
  }
  // One connection, pumped, checked and closed; returns its infos.
  std::pair<HandshakeInfo, HandshakeInfo> connect() {
    auto c = Connection::client(client, "localhost");
    auto s = Connection::server(server);
    EXPECT_TRUE(pump(c, s));
    expect_connected(c, s);
    return {c.info(), s.info()};
  }
};

TEST(ClientAuth, ResumptionDoesNotAskAgainByDefault) {
  Resumable p(ClientAuth::required);
  const auto [c1, s1] = p.connect();
  EXPECT_TRUE(s1.client_auth);
  const auto [c2, s2] = p.connect();
  EXPECT_TRUE(c2.resumed);
  // §4.3.2: no CertificateRequest with a PSK.
  EXPECT_FALSE(c2.certificate_requested);
  EXPECT_FALSE(s2.certificate_requested);
  // §4.6.1: the ticket carries the first connection's client identity.
  EXPECT_TRUE(s2.client_auth);
  EXPECT_EQ(s2.peer_chain, s1.peer_chain);
}

TEST(ClientAuth, ResumptionAsksAgainWhenConfigured) {
  Resumable p(ClientAuth::required);
  p.server->client_auth_on_resumption = true;
  (void)p.connect();
  const auto [c2, s2] = p.connect();
  EXPECT_FALSE(c2.resumed);
  EXPECT_TRUE(c2.certificate_requested);
  EXPECT_TRUE(s2.client_auth);
}

}  // namespace
}  // namespace tls13
