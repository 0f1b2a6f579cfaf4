// RFC 8448 §6 (client authentication) replayed byte for byte from each
// side, as rfc8448_replay_test.cpp does for §3/§5/§7: our client, fed the
// RFC server's records, must emit exactly the RFC client's (ClientHello;
// Certificate + CertificateVerify + Finished; close_notify), and our
// server, fed the RFC client's, exactly the RFC server's (ServerHello;
// EncryptedExtensions + CertificateRequest + Certificate +
// CertificateVerify + Finished; close_notify).
//
// The trace's private keys are not published (the server's ECDSA key and
// the client's 1024-bit RSA key), and both signatures are randomized, so
// each side holds a test-PKI key of the same type (which makes the same
// signature scheme choice) while the internal seams put the RFC's
// certificate on the wire and hand back the RFC's signature — only after
// checking that it verifies, under the RFC certificate, over exactly the
// content our CertificateVerify signs. Everything else is ours: the
// CertificateRequest (NSS's signature_algorithms, no certificate_authorities),
// the certificate choice, both transcripts, and the server's verification
// of the RFC client certificate (its own trust anchor) and signature.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "conn/connection_access.h"
#include "crypto/aead.h"
#include "crypto/signature.h"
#include "crypto/x509.h"
#include "msg/certificate.h"
#include "record/record_header.h"
#include "support/test_pki.h"
#include "support/test_support.h"

namespace tls13 {
namespace {

using Bytes = std::vector<std::uint8_t>;
using test::hex;

const std::string kSection = "6";
// Inside both RFC certificates' validity (2016-07-30 .. 2026-07-30).
constexpr std::int64_t kTraceTime = 1500000000;

Bytes named(const std::string& name) {
  return test::rfc8448_named(kSection, name);
}

// Draws of RandomSource in order; another size or one too many fails.
class ScriptedRandom final : public RandomSource {
 public:
  void push(std::string what, Bytes b) { script_.emplace_back(std::move(what), std::move(b)); }
  void fill(std::span<std::uint8_t> out) override {
    std::fill(out.begin(), out.end(), 0);
    if (script_.empty()) {
      ADD_FAILURE() << "unscripted draw of " << out.size() << " random bytes";
      return;
    }
    auto [what, bytes] = std::move(script_.front());
    script_.pop_front();
    EXPECT_EQ(out.size(), bytes.size()) << "random draw for " << what;
    std::copy_n(bytes.begin(), std::min(bytes.size(), out.size()), out.begin());
  }
  bool exhausted() const { return script_.empty(); }

 private:
  std::deque<std::pair<std::string, Bytes>> script_;
};

// The 32-byte random of a ClientHello / ServerHello message.
Bytes hello_random(const Bytes& message) {
  return Bytes(message.begin() + 6, message.begin() + 38);
}

// The single certificate of a Certificate message of the trace.
Bytes certificate_der(const std::string& message_name) {
  const Bytes m = named(message_name);
  auto cert = msg::Certificate::decode(std::span(m).subspan(4));
  EXPECT_TRUE(cert.ok() && cert->certificate_list.size() == 1);
  if (!cert.ok() || cert->certificate_list.empty()) return {};
  const auto der = cert->certificate_list[0].cert_data;
  return Bytes(der.begin(), der.end());
}

// NSS's configuration of the trace (as in §3): suites, groups (we
// implement all but ffdhe4096..8192), signature schemes including SHA-1
// and DSA code points.
const std::vector<CipherSuite> kSuites = {CipherSuite::aes_128_gcm_sha256,
                                          CipherSuite::chacha20_poly1305_sha256,
                                          CipherSuite::aes_256_gcm_sha384};
std::vector<NamedGroup> nss_groups() {
  std::vector<NamedGroup> g;
  for (std::uint16_t v : {0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104})
    g.push_back(static_cast<NamedGroup>(v));
  return g;
}
std::vector<NamedGroup> implemented_groups() {
  const auto g = nss_groups();
  return {g.begin(), g.begin() + 6};
}
std::vector<SignatureScheme> nss_signature_schemes() {
  std::vector<SignatureScheme> out;
  for (std::uint16_t v : {0x0403, 0x0503, 0x0603, 0x0203, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501,
                          0x0601, 0x0201, 0x0402, 0x0502, 0x0602, 0x0202})
    out.push_back(static_cast<SignatureScheme>(v));
  return out;
}

// A CertifiedKey of the test PKI with a key of type `t`.
std::shared_ptr<const CertifiedKey> stand_in(crypto::KeyType t) {
  const auto ca = test::make_ca();
  const auto leaf = test::issue_leaf(ca, t, {"stand-in.test"});
  return test::must(CertifiedKey::from_pem(leaf.cert.to_pem(), leaf.key->to_pem()), "stand-in");
}

// Hands back the trace's CertificateVerify signature (message
// `cv_name`) after checking it verifies over `content` under the trace's
// certificate (message `cert_name`).
hs::Signer trace_signer(const std::string& cv_name, const std::string& cert_name, int* calls) {
  const Bytes cv = named(cv_name);  // type(1) len(3) scheme(2) sig_len(2) sig
  const Bytes sig(cv.begin() + 8, cv.end());
  const auto scheme = static_cast<SignatureScheme>(cv[4] << 8 | cv[5]);
  const Bytes cert = certificate_der(cert_name);
  return [sig, scheme, cert, calls](
             SignatureScheme s,
             std::span<const std::uint8_t> content) -> Result<std::vector<std::uint8_t>> {
    EXPECT_EQ(s, scheme);
    auto c = crypto::Certificate::from_der(cert);
    if (!c) return std::move(c).error();
    auto pub = c->public_key();
    if (!pub) return std::move(pub).error();
    TLS13_TRY(pub->verify(s, content, sig));
    ++*calls;
    return sig;
  };
}

// --------------------------------------------------------------- replay --

struct TraceRecord {
  std::string party, type;
  Bytes payload, complete;
  int line;
};

std::vector<TraceRecord> trace() {
  std::vector<TraceRecord> out;
  for (const auto& r : test::rfc8448_section(kSection).at("records"))
    out.push_back({r.at("party"), r.at("content_type"), hex(r.at("payload").get<std::string>()),
                   hex(r.at("complete_record").get<std::string>()), r.at("line").get<int>()});
  return out;
}

// Feeds the other party's records and compares ours, record by record.
// Returns how many of ours matched.
int replay(const std::string& ours, Connection& conn) {
  int matched = 0;
  for (const auto& r : trace()) {
    SCOPED_TRACE("RFC 8448 §6 " + r.party + " " + r.type + " record at line " +
                 std::to_string(r.line));
    if (r.party != ours) {
      auto fed = conn.feed(r.complete);
      EXPECT_TRUE(fed.ok()) << fed.error().describe();
      if (!fed) return matched;
      if (r.type == "alert") {
        EXPECT_TRUE(conn.peer_closed());
      }
      continue;
    }
    if (r.type == "alert") {
      EXPECT_EQ(hex(r.payload), "0100");  // warning close_notify
      conn.close();
    }
    const auto out = conn.pending_output();
    if (out.size() < record::kRecordHeaderLength) {
      ADD_FAILURE() << "our side sent no record here";
      return matched;
    }
    const std::size_t len =
        record::kRecordHeaderLength + static_cast<std::size_t>(out[3] << 8 | out[4]);
    const Bytes got(out.begin(), out.begin() + static_cast<long>(std::min(len, out.size())));
    conn.consume_output(got.size());
    EXPECT_EQ(hex(got), hex(r.complete));
    if (got != r.complete) return matched;
    ++matched;
  }
  EXPECT_TRUE(conn.pending_output().empty()) << "our side sent more than the trace";
  EXPECT_FALSE(conn.failed()) << conn.error()->describe();
  return matched;
}

int expected_count(const std::string& party) {
  int n = 0;
  for (const auto& r : trace()) n += r.party == party;
  return n;
}

TEST(Rfc8448ReplaySection6, Section6_ClientAuthentication_Client) {
  ScriptedRandom rng;
  rng.push("ClientHello.random", hello_random(named("client_ClientHello")));
  rng.push("x25519 key share", named("client_x25519_private_key"));

  auto cfg = std::make_shared<ClientConfig>();
  cfg->cipher_suites = kSuites;
  cfg->groups = implemented_groups();
  cfg->key_share_groups = {NamedGroup::x25519};
  cfg->signature_schemes = nss_signature_schemes();
  cfg->middlebox_compat = false;
  cfg->random = &rng;
  cfg->clock = [] { return kTraceTime; };
  // The server certificate (CN=ecdsa256) has no subjectAltName for "server".
  cfg->verify_peer = false;
  cfg->certificates = {stand_in(crypto::KeyType::rsa)};

  int signatures = 0;
  hs::ClientOptions o;
  o.extension_order = {0x0000, 0xff01, 0x000a, 0x0033, 0x002b, 0x000d, 0x002d, 0x001c};
  o.extra_extensions.push_back({0xff01, {0x00}});  // renegotiation_info
  o.advertised_groups = nss_groups();
  o.psk_modes = {1};
  o.record_size_limit = 0x4001;
  o.pad_to_512 = true;  // a no-op for this 192-byte ClientHello
  o.signer = trace_signer("client_CertificateVerify", "client_Certificate", &signatures);
  o.certificate_chain = hs::DerChain{certificate_der("client_Certificate")};

  auto conn = ConnectionAccess::client(cfg, "server", std::move(o));
  const int matched = replay("client", conn);
  EXPECT_EQ(matched, expected_count("client"));
  EXPECT_TRUE(conn.handshake_complete());
  EXPECT_TRUE(rng.exhausted());
  EXPECT_EQ(signatures, 1);
  const auto& info = conn.info();
  EXPECT_TRUE(info.certificate_requested);
  EXPECT_TRUE(info.client_auth);
  EXPECT_EQ(info.signature_scheme, SignatureScheme::ecdsa_secp256r1_sha256);
  std::cout << "RFC 8448 §6 replay (client): " << matched << " of " << expected_count("client")
            << " records matched\n";
}

// The server of the trace: NSS's lists, a stand-in ECDSA key behind the
// RFC certificate, client authentication required with the RFC client
// certificate as its own anchor, no certificate_authorities (the trace's
// request has none).
Connection trace_server(ScriptedRandom& rng, int* signatures) {
  rng.push("ServerHello.random", hello_random(named("server_ServerHello")));
  rng.push("x25519 key share", named("server_x25519_private_key"));
  auto cfg = std::make_shared<ServerConfig>();
  cfg->cipher_suites = kSuites;
  cfg->groups = implemented_groups();
  cfg->signature_schemes = nss_signature_schemes();  // the CertificateRequest's list
  cfg->certificates = {stand_in(crypto::KeyType::ec_p256)};
  cfg->random = &rng;
  cfg->clock = [] { return kTraceTime; };
  cfg->client_auth = ClientAuth::required;
  auto client_cert = crypto::Certificate::from_der(certificate_der("client_Certificate"));
  EXPECT_TRUE(client_cert.ok()) << client_cert.error().describe();
  if (client_cert.ok())
    cfg->client_trust = test::must(TrustAnchors::from_pem(client_cert->to_pem()), "anchors");
  cfg->send_certificate_authorities = false;

  hs::ServerOptions o;
  o.advertised_groups = nss_groups();
  o.record_size_limit = 0x4001;
  o.signer = trace_signer("server_CertificateVerify", "server_Certificate", signatures);
  o.certificate_chain = hs::DerChain{certificate_der("server_Certificate")};
  return ConnectionAccess::server(cfg, std::move(o));
}

TEST(Rfc8448ReplaySection6, Section6_ClientAuthentication_Server) {
  ScriptedRandom rng;
  int signatures = 0;
  auto conn = trace_server(rng, &signatures);
  const int matched = replay("server", conn);
  EXPECT_EQ(matched, expected_count("server"));
  EXPECT_TRUE(conn.handshake_complete());
  EXPECT_TRUE(rng.exhausted());
  EXPECT_EQ(signatures, 1);
  const auto& info = conn.info();
  EXPECT_EQ(info.server_name, "server");
  EXPECT_TRUE(info.certificate_requested);
  // The RFC client's certificate and its real RSA-PSS signature verified.
  EXPECT_TRUE(info.client_auth);
  EXPECT_TRUE(info.peer_verified);
  ASSERT_EQ(info.peer_chain.size(), 1u);
  EXPECT_EQ(info.peer_chain[0], certificate_der("client_Certificate"));
  std::cout << "RFC 8448 §6 replay (server): " << matched << " of " << expected_count("server")
            << " records matched\n";
}

// The server really checks the RFC client's signature: the client's
// handshake record, decrypted with the trace's key, one bit of its RSA-PSS
// signature flipped and sealed again, must be refused with decrypt_error.
TEST(Rfc8448ReplaySection6, Section6_TamperedClientSignatureIsDecryptError) {
  ScriptedRandom rng;
  int signatures = 0;
  auto conn = trace_server(rng, &signatures);

  const auto records = trace();
  ASSERT_EQ(records.size(), 6u);
  ASSERT_TRUE(conn.feed(records[0].complete).ok());  // ClientHello
  conn.consume_output(conn.pending_output().size());

  // Client flight: Certificate (451 bytes), CertificateVerify (136),
  // Finished (36); the signature ends the CertificateVerify. Sequence 0,
  // so the nonce is the IV.
  Bytes rec = records[3].complete;
  ASSERT_EQ(records[3].payload.size(), 623u);
  const auto aead = crypto::suite_info(CipherSuite::aes_128_gcm_sha256)->aead;
  const Bytes key = named("client_handshake_write_key");
  const Bytes iv = named("client_handshake_write_iv");
  std::array<std::uint8_t, crypto::kAeadNonceLength> nonce{};
  std::copy(iv.begin(), iv.end(), nonce.begin());
  const Bytes aad(rec.begin(), rec.begin() + 5);
  auto body = std::span(rec).subspan(5);
  const std::size_t tag = crypto::aead_tag_length(aead);
  auto opener = crypto::AeadKey::create(aead, crypto::AeadDirection::open, key);
  ASSERT_TRUE(opener.ok());
  ASSERT_TRUE(opener->open(nonce, aad, body.first(body.size() - tag), body.last(tag)).ok());
  ASSERT_EQ(hex(body.first(623)), hex(records[3].payload));
  body[451 + 136 - 1] ^= 0x01;
  auto sealer = crypto::AeadKey::create(aead, crypto::AeadDirection::seal, key);
  ASSERT_TRUE(sealer.ok());
  ASSERT_TRUE(sealer->seal(nonce, aad, body.first(body.size() - tag), body.last(tag)).ok());

  auto fed = conn.feed(rec);
  ASSERT_FALSE(fed.ok());
  EXPECT_EQ(fed.error().alert, Alert::decrypt_error);
  EXPECT_FALSE(conn.info().client_auth);
  EXPECT_FALSE(conn.handshake_complete());
}

}  // namespace
}  // namespace tls13
