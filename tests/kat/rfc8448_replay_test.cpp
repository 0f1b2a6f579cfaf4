// RFC 8448 §3 (1-RTT), §5 (HelloRetryRequest) and §7 (compatibility mode)
// replayed byte for byte from each side. Our client, given the RFC's
// randomness and key shares, must emit exactly the RFC client's records
// (ClientHello, change_cipher_spec, Finished, application data, close_notify)
// when fed the RFC server's; our server, fed the RFC client's records, must
// emit exactly the RFC server's. Every record is compared whole (header,
// ciphertext, tag).
//
// What the messages contain comes from our code: the RFC client was NSS, so
// the internal options (hs/handshake.h) reproduce NSS's configuration —
// extension order, its TLS 1.2 leftovers (renegotiation_info,
// session_ticket), supported_groups with ffdhe4096..8192, record_size_limit,
// psk_key_exchange_modes, RFC 7685 padding. Two things cannot be produced
// and are injected: the RSA-PSS signature (randomized; the signer checks
// that our CertificateVerify content verifies under the RFC's signature
// before handing it back) and the opaque NewSessionTicket contents.
//
// The client replays with verify_peer = false: the RFC certificate (CN=rsa,
// no subjectAltName) can anchor itself, but it cannot match the name
// "server" the RFC client sends. CertificateNeedsVerifyPeerOff shows this.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "conn/connection_access.h"
#include "crypto/signature.h"
#include "crypto/x509.h"
#include "msg/certificate.h"
#include "msg/ext_cookie.h"
#include "msg/server_hello.h"
#include "record/record_header.h"
#include "support/test_support.h"

namespace tls13 {
namespace {

using Bytes = std::vector<std::uint8_t>;
using test::hex;

// Inside the RFC certificate's validity (2016-07-30 .. 2026-07-30).
constexpr std::int64_t kTraceTime = 1500000000;  // 2017-07-14

Bytes named(const std::string& section, const std::string& name) {
  return test::rfc8448_named(section, name);
}

// The 32-byte random of a ClientHello or ServerHello message (after the
// 4-byte header and legacy_version).
Bytes hello_random(const Bytes& message) {
  return Bytes(message.begin() + 6, message.begin() + 38);
}

Bytes client_session_id(const Bytes& client_hello) {
  const std::size_t len = client_hello.at(38);
  return Bytes(client_hello.begin() + 39, client_hello.begin() + 39 + static_cast<long>(len));
}

// Hands out the RFC's values in the order our state machines draw them.
// A draw of another size, or one too many, fails the test.
class ScriptedRandom final : public RandomSource {
 public:
  void push(std::string what, Bytes b) { script_.emplace_back(std::move(what), std::move(b)); }
  void fill(std::span<std::uint8_t> out) override {
    if (script_.empty()) {
      ADD_FAILURE() << "unscripted draw of " << out.size() << " random bytes";
      std::fill(out.begin(), out.end(), 0);
      return;
    }
    auto [what, bytes] = std::move(script_.front());
    script_.pop_front();
    EXPECT_EQ(out.size(), bytes.size()) << "random draw for " << what;
    std::fill(out.begin(), out.end(), 0);
    std::copy_n(bytes.begin(), std::min(bytes.size(), out.size()), out.begin());
  }
  bool exhausted() const { return script_.empty(); }

 private:
  std::deque<std::pair<std::string, Bytes>> script_;
};

// ------------------------------------------------------ NSS's configuration --

NamedGroup group(std::uint16_t v) {
  return static_cast<NamedGroup>(v);
}

// supported_groups of §3/§7: x25519, P-256/384/521, ffdhe2048..8192. We
// implement all but ffdhe4096/6144/8192.
const std::vector<NamedGroup> kNssGroups = {group(0x001d), group(0x0017), group(0x0018),
                                            group(0x0019), group(0x0100), group(0x0101),
                                            group(0x0102), group(0x0103), group(0x0104)};
std::vector<NamedGroup> implemented(const std::vector<NamedGroup>& groups) {
  return std::vector<NamedGroup>(groups.begin(), groups.begin() + 6);
}

std::vector<SignatureScheme> nss_signature_schemes() {
  // Including SHA-1 and DSA code points, which we offer but never accept.
  const std::uint16_t v[] = {0x0403, 0x0503, 0x0603, 0x0203, 0x0804, 0x0805, 0x0806, 0x0401,
                             0x0501, 0x0601, 0x0201, 0x0402, 0x0502, 0x0602, 0x0202};
  std::vector<SignatureScheme> out;
  for (auto s : v) out.push_back(static_cast<SignatureScheme>(s));
  return out;
}

std::shared_ptr<ClientConfig> client_config(const std::string& section, RandomSource* rng) {
  auto c = std::make_shared<ClientConfig>();
  c->cipher_suites = {CipherSuite::aes_128_gcm_sha256, CipherSuite::chacha20_poly1305_sha256,
                      CipherSuite::aes_256_gcm_sha384};
  c->groups = section == "5" ? std::vector<NamedGroup>{NamedGroup::x25519, NamedGroup::secp256r1,
                                                       NamedGroup::secp384r1}
                             : implemented(kNssGroups);
  c->key_share_groups = {NamedGroup::x25519};
  c->signature_schemes = nss_signature_schemes();
  c->middlebox_compat = section == "7";
  c->random = rng;
  c->clock = [] { return kTraceTime; };
  c->verify_peer = false;  // see the file comment
  return c;
}

hs::ClientOptions client_options(const std::string& section) {
  hs::ClientOptions o;
  o.extension_order = {0x0000, 0xff01, 0x000a, 0x0023, 0x0033,
                       0x002b, 0x000d, 0x002c, 0x002d, 0x001c};
  o.extra_extensions.push_back({0xff01, {0x00}});                  // renegotiation_info
  if (section == "3") o.extra_extensions.push_back({0x0023, {}});  // session_ticket
  if (section != "5") o.advertised_groups = kNssGroups;
  o.psk_modes = {1};  // psk_dhe_ke
  o.record_size_limit = 0x4001;
  o.pad_to_512 = true;
  return o;
}

// The server's certificate and RSA key from RFC 8448 §3 / the vectors'
// private_keys (PKCS#1 RSAPrivateKey built from the printed components).
Bytes der_integer(const std::string& hex_value) {
  Bytes v = hex(hex_value);
  while (v.size() > 1 && v[0] == 0) v.erase(v.begin());
  if (v[0] & 0x80) v.insert(v.begin(), 0);
  return v;
}

Bytes der_tlv(std::uint8_t tag, const Bytes& body) {
  Bytes out{tag};
  if (body.size() < 0x80) {
    out.push_back(static_cast<std::uint8_t>(body.size()));
  } else if (body.size() < 0x100) {
    out.insert(out.end(), {0x81, static_cast<std::uint8_t>(body.size())});
  } else {
    out.insert(out.end(), {0x82, static_cast<std::uint8_t>(body.size() >> 8),
                           static_cast<std::uint8_t>(body.size())});
  }
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

Bytes rfc_rsa_private_key_der() {
  const auto& k = test::rfc8448().at("private_keys").at("server_rsa");
  Bytes seq = der_tlv(0x02, {0x00});  // version two-prime
  for (const char* f : {"modulus_public", "public_exponent", "private_exponent", "prime1", "prime2",
                        "exponent1", "exponent2", "coefficient"}) {
    const Bytes i = der_tlv(0x02, der_integer(k.at(f).get<std::string>()));
    seq.insert(seq.end(), i.begin(), i.end());
  }
  return der_tlv(0x30, seq);
}

crypto::Certificate rfc_certificate() {
  const Bytes msg = named("3", "server_Certificate");
  auto cert = msg::Certificate::decode(std::span(msg).subspan(4));
  EXPECT_TRUE(cert.ok() && cert->certificate_list.size() == 1);
  auto c = crypto::Certificate::from_der(cert->certificate_list.at(0).cert_data);
  EXPECT_TRUE(c.ok()) << c.error().describe();
  return std::move(c).value();
}

std::shared_ptr<const CertifiedKey> rfc_certified_key() {
  auto key = crypto::PrivateKey::from_der(rfc_rsa_private_key_der());
  EXPECT_TRUE(key.ok()) << key.error().describe();
  auto ck = CertifiedKey::from_pem(rfc_certificate().to_pem(), key->to_pem());
  EXPECT_TRUE(ck.ok()) << ck.error().describe();
  return std::move(ck).value();
}

std::shared_ptr<ServerConfig> server_config(const std::string& section, RandomSource* rng) {
  auto c = std::make_shared<ServerConfig>();
  c->cipher_suites = {CipherSuite::aes_128_gcm_sha256, CipherSuite::chacha20_poly1305_sha256,
                      CipherSuite::aes_256_gcm_sha384};
  // §5's server prefers P-256, for which the client sent no share.
  c->groups = section == "5" ? std::vector<NamedGroup>{NamedGroup::secp256r1, NamedGroup::secp384r1,
                                                       NamedGroup::x25519}
                             : implemented(kNssGroups);
  c->hrr_cookie = section == "5";
  c->certificates = {rfc_certified_key()};
  c->random = rng;
  c->clock = [] { return kTraceTime; };
  return c;
}

hs::ServerOptions server_options(const std::string& section, int* signatures) {
  hs::ServerOptions o;
  o.hello_retry_request_order = {0x0033, 0x002c, 0x002b};
  o.advertised_groups = section == "5"
                            ? std::vector<NamedGroup>{NamedGroup::secp256r1, NamedGroup::secp384r1,
                                                      NamedGroup::x25519}
                            : kNssGroups;
  o.record_size_limit = 0x4001;
  o.cookie_length = 114;
  // CertificateVerify = type(4) len(3) scheme(2) sig_len(2) signature.
  const Bytes cv = named(section, "server_CertificateVerify");
  const Bytes rfc_sig(cv.begin() + 8, cv.end());
  const auto scheme = static_cast<SignatureScheme>(cv[4] << 8 | cv[5]);
  o.signer = [rfc_sig, scheme, signatures](
                 SignatureScheme s,
                 std::span<const std::uint8_t> content) -> Result<std::vector<std::uint8_t>> {
    // Only hand the RFC's signature over what it actually signs.
    EXPECT_EQ(s, scheme);
    auto pub = rfc_certificate().public_key();
    if (!pub) return std::move(pub).error();
    TLS13_TRY(pub->verify(s, content, rfc_sig));
    ++*signatures;
    return rfc_sig;
  };
  if (section == "3") {
    const auto& f = test::rfc8448_section("3").at("named").at("new_session_ticket_fields");
    hs::TicketSpec t;
    t.lifetime = f.at("ticket_lifetime").get<std::uint32_t>();
    t.nonce = hex(f.at("ticket_nonce").get<std::string>());
    t.ticket = hex(f.at("ticket").get<std::string>());
    EXPECT_EQ(f.at("extensions").get<std::string>(), "002a000400000400");  // early_data 1024
    t.max_early_data_size = 0x400;
    o.ticket = std::move(t);
  }
  return o;
}

// ------------------------------------------------------------ the replay --

struct TraceRecord {
  std::string party;
  std::string type;
  Bytes payload;
  Bytes complete;
  int line;
};

std::vector<TraceRecord> trace(const std::string& section) {
  std::vector<TraceRecord> out;
  for (const auto& r : test::rfc8448_section(section).at("records"))
    out.push_back({r.at("party"), r.at("content_type"), hex(r.at("payload").get<std::string>()),
                   hex(r.at("complete_record").get<std::string>()), r.at("line").get<int>()});
  return out;
}

// Walks the trace as `ours`: the other party's records are fed in, ours
// must come out of pending_output() one by one, identical. Application data
// and close_notify of ours are produced through write() and close(); the
// peer's application data must read back as its payload. Returns how many
// of our records matched.
int replay(const std::string& section, const std::string& ours, Connection& conn) {
  int matched = 0;
  for (const auto& r : trace(section)) {
    SCOPED_TRACE("RFC 8448 §" + section + " " + r.party + " " + r.type + " record at line " +
                 std::to_string(r.line));
    if (r.party != ours) {
      auto fed = conn.feed(r.complete);
      EXPECT_TRUE(fed.ok()) << fed.error().describe();
      if (!fed) return matched;
      if (r.type == "application_data") {
        Bytes got(r.payload.size() + 1);
        got.resize(conn.read(got));
        EXPECT_EQ(hex(got), hex(r.payload));
      }
      if (r.type == "alert") {
        EXPECT_TRUE(conn.peer_closed());
      }
      continue;
    }
    if (r.type == "application_data") {
      auto w = conn.write(r.payload);
      EXPECT_TRUE(w.ok()) << w.error().describe();
    } else if (r.type == "alert") {
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

int expected_count(const std::string& section, const std::string& party) {
  int n = 0;
  for (const auto& r : trace(section)) n += r.party == party;
  return n;
}

int replay_client(const std::string& section) {
  const Bytes ch = named(section, "client_ClientHello");
  ScriptedRandom rng;
  rng.push("ClientHello.random", hello_random(ch));
  if (section == "7") rng.push("legacy_session_id", client_session_id(ch));
  rng.push("x25519 key share", named(section, "client_x25519_private_key"));
  if (section == "5") rng.push("P-256 key share", named(section, "client_p256_private_key"));

  auto conn =
      ConnectionAccess::client(client_config(section, &rng), "server", client_options(section));
  const int matched = replay(section, "client", conn);
  EXPECT_TRUE(conn.handshake_complete());
  EXPECT_TRUE(rng.exhausted());
  const auto& info = conn.info();
  EXPECT_EQ(info.cipher_suite, CipherSuite::aes_128_gcm_sha256);
  EXPECT_EQ(info.group, section == "5" ? NamedGroup::secp256r1 : NamedGroup::x25519);
  EXPECT_EQ(info.signature_scheme, SignatureScheme::rsa_pss_rsae_sha256);
  EXPECT_EQ(info.hello_retry_request, section == "5");
  EXPECT_FALSE(info.peer_verified);
  EXPECT_EQ(matched, expected_count(section, "client"));
  return matched;
}

int replay_server(const std::string& section) {
  ScriptedRandom rng;
  std::string sh = "server_ServerHello";
  if (section == "5") {
    const Bytes hrr = named(section, "server_HelloRetryRequest");
    auto parsed = msg::ServerHello::decode(std::span(hrr).subspan(4));
    EXPECT_TRUE(parsed.ok());
    auto cookie = parsed->extensions.get<msg::Cookie>();
    EXPECT_TRUE(cookie.ok() && cookie->has_value());
    rng.push("cookie", Bytes((*cookie)->cookie.begin(), (*cookie)->cookie.end()));
    sh = "server_ServerHello_2";
  }
  rng.push("ServerHello.random", hello_random(named(section, sh)));
  if (section == "5") {
    rng.push("P-256 key share", named(section, "server_p256_private_key"));
  } else {
    rng.push("x25519 key share", named(section, "server_x25519_private_key"));
  }
  if (section == "3") {
    const auto& f = test::rfc8448_section("3").at("named").at("new_session_ticket_fields");
    rng.push("ticket_age_add", hex(f.at("ticket_age_add").get<std::string>()));
  }

  int signatures = 0;
  auto conn =
      ConnectionAccess::server(server_config(section, &rng), server_options(section, &signatures));
  const int matched = replay(section, "server", conn);
  EXPECT_TRUE(conn.handshake_complete());
  EXPECT_TRUE(rng.exhausted());
  EXPECT_EQ(signatures, 1);
  const auto& info = conn.info();
  EXPECT_EQ(info.server_name, "server");
  EXPECT_EQ(info.group, section == "5" ? NamedGroup::secp256r1 : NamedGroup::x25519);
  EXPECT_EQ(info.hello_retry_request, section == "5");
  EXPECT_EQ(matched, expected_count(section, "server"));
  return matched;
}

void replay_section(const std::string& section) {
  const int client = replay_client(section);
  const int server = replay_server(section);
  std::cout << "RFC 8448 §" << section << " replay: client " << client
            << " records matched, server " << server << " records matched\n";
}

TEST(Rfc8448Replay, Section3_SimpleOneRtt) {
  replay_section("3");
}

TEST(Rfc8448Replay, Section5_HelloRetryRequest) {
  replay_section("5");
}

TEST(Rfc8448Replay, Section7_CompatibilityMode) {
  replay_section("7");
}

// Why the client replays with verify_peer = false: the certificate anchors
// itself inside its validity, but has no subjectAltName, and we never match
// the subject CN.
TEST(Rfc8448Replay, CertificateNeedsVerifyPeerOff) {
  const auto cert = rfc_certificate();
  crypto::TrustStore anchors;
  ASSERT_TRUE(anchors.add(cert).ok());
  const std::vector<crypto::Certificate> chain = {cert};
  crypto::VerifyOptions o;
  o.time = kTraceTime;
  auto no_name = crypto::verify_chain(anchors, chain, o);
  EXPECT_TRUE(no_name.ok()) << no_name.error().describe();
  o.host = "server";
  auto named_server = crypto::verify_chain(anchors, chain, o);
  ASSERT_FALSE(named_server.ok());
  EXPECT_EQ(named_server.error().alert, Alert::bad_certificate);
  o.host.clear();
  o.time = cert.not_after() + 1;
  auto expired = crypto::verify_chain(anchors, chain, o);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().alert, Alert::certificate_expired);
}

}  // namespace
}  // namespace tls13
