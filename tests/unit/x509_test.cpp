// X.509: parsing, PEM chains, trust stores, chain verification with the
// RFC 8446 §6.2 alert for each failure, and certificate minting.
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "crypto/hash.h"
#include "crypto/signature.h"
#include "crypto/x509.h"
#include "support/test_pki.h"
#include "support/test_support.h"

namespace tls13::crypto {
namespace {

using test::hex;
using test::issue_leaf;
using test::make_ca;
using test::TestCert;
using test::trust_only;
using test::Validity;

constexpr std::int64_t kT0 = 1'700'000'000;  // 2023-11-14
constexpr std::int64_t kDay = 86400;
const Validity kValid{kT0 - kDay, kT0 + 30 * kDay};

VerifyOptions at(std::string host, std::int64_t t = kT0) {
  VerifyOptions o;
  o.host = std::move(host);
  o.time = t;
  return o;
}

Alert verify_alert(const TrustStore& trust, const std::vector<Certificate>& chain,
                   const VerifyOptions& o) {
  auto r = verify_chain(trust, chain, o);
  return r.ok() ? Alert::close_notify : r.error().alert;  // close_notify = "no error"
}

struct Pki {
  TestCert root = make_ca(KeyType::ec_p256, "tls13 root", nullptr, kValid);
  TestCert inter = make_ca(KeyType::ec_p384, "tls13 intermediate", &root, kValid);
  TestCert leaf = issue_leaf(inter, KeyType::ec_p256, {"localhost", "127.0.0.1", "::1"}, kValid);
};

const Pki& pki() {
  static const Pki p;
  return p;
}

TEST(X509, ValidChainVerifiesWithHost) {
  const auto& p = pki();
  const TrustStore trust = trust_only(p.root);
  const std::vector<Certificate> chain = {p.leaf.cert, p.inter.cert};
  auto r = verify_chain(trust, chain, at("localhost"));
  EXPECT_TRUE(r.ok()) << r.error().describe();
  EXPECT_TRUE(verify_chain(trust, chain, at("LOCALHOST")).ok());  // DNS names are case-blind
  EXPECT_TRUE(verify_chain(trust, chain, at("")).ok());           // no name check
  VerifyOptions client = at("");
  client.purpose = CertificatePurpose::client_auth;
  EXPECT_TRUE(verify_chain(trust, chain, client).ok());
  // Intermediates may come in any order, with unrelated extras.
  const std::vector<Certificate> messy = {p.leaf.cert, p.root.cert, p.inter.cert};
  EXPECT_TRUE(verify_chain(trust, messy, at("localhost")).ok());
  // Trusting the intermediate alone is not enough: the root is missing.
  EXPECT_EQ(verify_alert(trust_only(p.inter), chain, at("localhost")), Alert::unknown_ca);
}

TEST(X509, WrongHostIsBadCertificate) {
  const auto& p = pki();
  const std::vector<Certificate> chain = {p.leaf.cert, p.inter.cert};
  auto r = verify_chain(trust_only(p.root), chain, at("example.com"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::bad_certificate);
  EXPECT_NE(r.error().message.find("hostname mismatch"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("example.com"), std::string::npos);
  EXPECT_EQ(verify_alert(trust_only(p.root), chain, at("sub.localhost")), Alert::bad_certificate);
  // The subject CN is never used as a host name.
  const TestCert cn_only = issue_leaf(p.root, KeyType::ec_p256, {}, kValid);
  EXPECT_EQ(cn_only.cert.subject(), "CN=tls13 test leaf");
  EXPECT_EQ(verify_alert(trust_only(p.root), {cn_only.cert}, at("tls13 test leaf")),
            Alert::bad_certificate);
}

TEST(X509, IpLiteralsMatchIpAddressEntries) {
  const auto& p = pki();
  const std::vector<Certificate> chain = {p.leaf.cert, p.inter.cert};
  const TrustStore trust = trust_only(p.root);
  EXPECT_TRUE(verify_chain(trust, chain, at("127.0.0.1")).ok());
  EXPECT_TRUE(verify_chain(trust, chain, at("::1")).ok());
  EXPECT_TRUE(verify_chain(trust, chain, at("0:0:0:0:0:0:0:1")).ok());
  auto r = verify_chain(trust, chain, at("127.0.0.2"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::bad_certificate);
  EXPECT_NE(r.error().message.find("IP address mismatch"), std::string::npos) << r.error().message;
  // An IP literal does not match a dNSName entry spelling the same text.
  const TestCert dns_ip = issue_leaf(p.root, KeyType::ec_p256, {"localhost"}, kValid);
  EXPECT_EQ(verify_alert(trust, {dns_ip.cert}, at("127.0.0.1")), Alert::bad_certificate);
}

TEST(X509, ExpiredAndNotYetValidAreCertificateExpired) {
  const auto& p = pki();
  const std::vector<Certificate> chain = {p.leaf.cert, p.inter.cert};
  const TrustStore trust = trust_only(p.root);
  auto r = verify_chain(trust, chain, at("localhost", kT0 + 31 * kDay));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::certificate_expired);
  EXPECT_NE(r.error().message.find("expired"), std::string::npos) << r.error().message;
  r = verify_chain(trust, chain, at("localhost", kT0 - 2 * kDay));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::certificate_expired);
  EXPECT_NE(r.error().message.find("not yet valid"), std::string::npos) << r.error().message;
  // A leaf valid on its own but under an expired intermediate.
  const TestCert old_inter =
      make_ca(KeyType::ec_p256, "old intermediate", &p.root, {kT0 - 10 * kDay, kT0 - kDay});
  const TestCert leaf = issue_leaf(old_inter, KeyType::ec_p256, {"localhost"}, kValid);
  EXPECT_EQ(verify_alert(trust, {leaf.cert, old_inter.cert}, at("localhost")),
            Alert::certificate_expired);
}

TEST(X509, UnknownIssuerIsUnknownCa) {
  const auto& p = pki();
  const std::vector<Certificate> chain = {p.leaf.cert, p.inter.cert};
  const TestCert stranger = make_ca(KeyType::ec_p256, "someone else", nullptr, kValid);
  auto r = verify_chain(trust_only(stranger), chain, at("localhost"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::unknown_ca);
  EXPECT_NE(r.error().message.find("depth"), std::string::npos);
  // An empty store knows no one.
  EXPECT_EQ(verify_alert(TrustStore(), chain, at("localhost")), Alert::unknown_ca);
  // Self-signed and not trusted.
  auto self = make_self_signed(*p.leaf.key, {"localhost"}, 30, kT0);
  ASSERT_TRUE(self.ok());
  EXPECT_EQ(verify_alert(trust_only(p.root), {*self}, at("localhost")), Alert::unknown_ca);
}

TEST(X509, MissingIntermediateIsUnknownCa) {
  const auto& p = pki();
  auto r = verify_chain(trust_only(p.root), std::vector<Certificate>{p.leaf.cert}, at("localhost"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::unknown_ca);
  EXPECT_NE(r.error().message.find("local issuer"), std::string::npos) << r.error().message;
}

TEST(X509, NonCaIssuerAndBadSignatureAreBadCertificate) {
  const auto& p = pki();
  const TrustStore trust = trust_only(p.root);
  // A leaf used as if it were a CA.
  const TestCert fake_ca = issue_leaf(p.root, KeyType::ec_p256, {"fake.example"}, kValid);
  const TestCert victim = issue_leaf(fake_ca, KeyType::ec_p256, {"localhost"}, kValid);
  EXPECT_EQ(verify_alert(trust, {victim.cert, fake_ca.cert}, at("localhost")),
            Alert::bad_certificate);
  // Flip a bit in the leaf's signature (the last bytes of the DER).
  auto der = p.leaf.der();
  der[der.size() - 3] ^= 0x01;
  auto tampered = Certificate::from_der(der);
  ASSERT_TRUE(tampered.ok());
  auto r = verify_chain(trust, std::vector<Certificate>{*tampered, p.inter.cert}, at("localhost"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::bad_certificate);
  EXPECT_NE(r.error().message.find("signature"), std::string::npos) << r.error().message;
}

TEST(X509, PurposeAndWeakKeysAreUnsupportedCertificate) {
  const auto& p = pki();
  const TrustStore trust = trust_only(p.root);
  CertificateSpec spec;
  spec.common_name = "client only";
  spec.names = {"localhost"};
  spec.not_before = kValid.not_before;
  spec.not_after = kValid.not_after;
  spec.purposes = {CertificatePurpose::client_auth};
  auto client_only = issue_certificate(spec, p.leaf.key->public_key(), *p.root.key, &p.root.cert);
  ASSERT_TRUE(client_only.ok()) << client_only.error().describe();
  const std::vector<Certificate> chain = {*client_only};
  auto r = verify_chain(trust, chain, at("localhost"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::unsupported_certificate) << r.error().describe();
  VerifyOptions as_client = at("");
  as_client.purpose = CertificatePurpose::client_auth;
  EXPECT_TRUE(verify_chain(trust, chain, as_client).ok());

  // A 512-bit RSA leaf is below libcrypto's auth level 1.
  const PublicKey weak_pub = PublicKey::adopt(EVP_RSA_gen(512));
  ASSERT_EQ(weak_pub.bits(), 512);
  spec.purposes = {CertificatePurpose::server_auth};
  auto small = issue_certificate(spec, weak_pub, *p.root.key, &p.root.cert);
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(verify_alert(trust, {*small}, at("localhost")), Alert::unsupported_certificate);
}

TEST(X509, GarbageDerIsBadCertificate) {
  for (const auto& junk :
       {std::vector<std::uint8_t>{}, test::bytes("hello, certificate"), hex("3082ffff0101")}) {
    auto r = Certificate::from_der(junk);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().alert, Alert::bad_certificate);
  }
  auto der = pki().leaf.der();
  auto truncated = Certificate::from_der(std::span(der).first(der.size() - 1));
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.error().alert, Alert::bad_certificate);
  der.push_back(0);
  auto trailing = Certificate::from_der(der);
  ASSERT_FALSE(trailing.ok());
  EXPECT_EQ(trailing.error().alert, Alert::bad_certificate);
  // An empty chain cannot verify.
  auto r = verify_chain(trust_only(pki().root), {}, at("localhost"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::bad_certificate);
}

TEST(X509, Rfc8448ServerCertificate) {
  // §3's Certificate message: 0b 0001b9 | 00 | 0001b5 | 0001b0 cert | 0000.
  const auto msg = test::rfc8448_named("3", "server_Certificate");
  ASSERT_EQ(msg.size(), 445u);
  const std::vector<std::uint8_t> der(msg.begin() + 11, msg.begin() + 11 + 0x1b0);
  auto cert = Certificate::from_der(der);
  ASSERT_TRUE(cert.ok()) << cert.error().describe();
  EXPECT_EQ(std::vector<std::uint8_t>(cert->der().begin(), cert->der().end()), der);
  EXPECT_EQ(cert->subject(), "CN=rsa");
  EXPECT_EQ(cert->issuer(), "CN=rsa");
  EXPECT_EQ(cert->not_before(), 1469841839);  // 2016-07-30 01:23:59 UTC
  EXPECT_EQ(cert->not_after(), 1785374639);   // 2026-07-30 01:23:59 UTC
  EXPECT_TRUE(cert->subject_alt_names().empty());
  EXPECT_EQ(hex(cert->fingerprint_sha256()),
            "a7ef15cef43e4b67bdb158fcc13cceef9041c8a6cef762046e825543a92bdc83");
  auto pub = cert->public_key();
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->type(), KeyType::rsa);
  EXPECT_EQ(pub->bits(), 1024);
  EXPECT_EQ(hex(pub->spki_der())
                    .find(test::rfc8448()["private_keys"]["server_rsa"]["modulus_public"]
                              .get<std::string>()) != std::string::npos,
            true);

  // Its key verifies §3's CertificateVerify over CH..Certificate.
  Hash h(HashId::sha256);
  for (const auto& m : test::rfc8448_section("3").at("handshake_messages")) {
    h.update(hex(m.at("hex").get<std::string>()));
    if (m.at("type") == "Certificate") break;
  }
  const auto cv = test::rfc8448_named("3", "server_CertificateVerify");
  ASSERT_EQ(cv.size(), 136u);
  const std::vector<std::uint8_t> sig(cv.begin() + 8, cv.end());
  const auto input = certificate_verify_input(CertificateVerifySide::server, h.snapshot().span());
  EXPECT_TRUE(pub->verify(SignatureScheme::rsa_pss_rsae_sha256, input, sig).ok());
  auto bad = pub->verify(SignatureScheme::rsa_pss_rsae_sha384, input, sig);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().alert, Alert::decrypt_error);
}

TEST(X509, SelfSignedForTheCliServer) {
  auto key = PrivateKey::generate(KeyType::ec_p256);
  ASSERT_TRUE(key.ok());
  auto cert = make_self_signed(*key, {"localhost", "127.0.0.1"}, 30, kT0);
  ASSERT_TRUE(cert.ok()) << cert.error().describe();
  EXPECT_EQ(cert->subject(), "CN=localhost");
  EXPECT_EQ(cert->issuer(), "CN=localhost");
  EXPECT_EQ(cert->subject_alt_names(), (std::vector<std::string>{"localhost", "127.0.0.1"}));
  EXPECT_EQ(cert->not_before(), kT0 - 3600);
  EXPECT_EQ(cert->not_after(), kT0 + 30 * kDay);
  EXPECT_EQ(cert->public_key()->spki_der(), key->public_spki_der());
  // A client that trusts it can connect by name or by address.
  TrustStore trust;
  ASSERT_TRUE(trust.add(*cert).ok());
  const std::vector<Certificate> chain = {*cert};
  for (const char* host : {"localhost", "127.0.0.1"}) {
    auto r = verify_chain(trust, chain, at(host, kT0 + kDay));
    EXPECT_TRUE(r.ok()) << host << ": " << r.error().describe();
  }
  EXPECT_EQ(verify_alert(trust, chain, at("localhost", kT0 + 31 * kDay)),
            Alert::certificate_expired);
  EXPECT_EQ(verify_alert(trust, chain, at("::1", kT0 + kDay)), Alert::bad_certificate);
  // Without an explicit time it is valid now.
  auto fresh = make_self_signed(*key, {"localhost"});
  ASSERT_TRUE(fresh.ok());
  TrustStore t2;
  ASSERT_TRUE(t2.add(*fresh).ok());
  VerifyOptions now;
  now.host = "localhost";
  EXPECT_TRUE(verify_chain(t2, std::vector<Certificate>{*fresh}, now).ok());
}

class KeyTypeChain : public ::testing::TestWithParam<KeyType> {};

TEST_P(KeyTypeChain, IssuesAndVerifies) {
  // Every key type as CA and as leaf (the CA signs with its own algorithm:
  // PKCS#1 v1.5, PSS, ECDSA or EdDSA).
  const KeyType t = GetParam();
  const TestCert ca = make_ca(t, "ca", nullptr, kValid, test::cached_key(t, 1));
  const TestCert leaf = issue_leaf(ca, t, {"localhost"}, kValid, test::cached_key(t, 2));
  auto r = verify_chain(trust_only(ca), std::vector<Certificate>{leaf.cert}, at("localhost"));
  EXPECT_TRUE(r.ok()) << to_string(t) << ": " << r.error().describe();
  auto pub = leaf.cert.public_key();
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->type(), t);
  // The leaf's key signs a CertificateVerify that its certificate's key accepts.
  const auto scheme = leaf.key->schemes().front();
  const auto input =
      certificate_verify_input(CertificateVerifySide::server, std::vector<std::uint8_t>(32, 7));
  auto sig = leaf.key->sign(scheme, input);
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(pub->verify(scheme, input, *sig).ok());
}

INSTANTIATE_TEST_SUITE_P(AllKeyTypes, KeyTypeChain,
                         ::testing::Values(KeyType::rsa, KeyType::rsa_pss, KeyType::ec_p256,
                                           KeyType::ec_p384, KeyType::ec_p521, KeyType::ed25519,
                                           KeyType::ed448),
                         [](const auto& info) { return std::string(to_string(info.param)); });

TEST(X509, PemChainLoading) {
  const auto& p = pki();
  const std::string pem = p.leaf.cert.to_pem() + p.leaf.key->to_pem() + p.inter.cert.to_pem();
  auto chain = load_pem_chain(pem);
  ASSERT_TRUE(chain.ok()) << chain.error().describe();
  ASSERT_EQ(chain->size(), 2u);  // the key block is skipped
  EXPECT_EQ((*chain)[0].fingerprint_sha256(), p.leaf.cert.fingerprint_sha256());
  EXPECT_EQ((*chain)[1].subject(), "CN=tls13 intermediate");
  EXPECT_EQ((*chain)[1].issuer(), "CN=tls13 root");
  EXPECT_TRUE(verify_chain(trust_only(p.root), *chain, at("localhost")).ok());

  auto none = load_pem_chain("no pem here");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().alert, Alert::bad_certificate);
  auto broken = load_pem_chain(p.leaf.cert.to_pem() +
                               "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().alert, Alert::bad_certificate);
}

std::filesystem::path temp_dir() {
  auto d =
      std::filesystem::temp_directory_path() / ("tls13_x509_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  return d;
}

TEST(X509, TrustStoreFromFileAndHashedDir) {
  const auto& p = pki();
  const TestCert other = make_ca(KeyType::ed25519, "other root", nullptr, kValid);
  const auto dir = temp_dir();
  const auto file = dir / "roots.pem";
  std::ofstream(file) << other.cert.to_pem() << p.root.cert.to_pem();
  auto from_file = TrustStore::from_file(file.string());
  ASSERT_TRUE(from_file.ok()) << from_file.error().describe();
  EXPECT_EQ(from_file->size(), 2u);
  const std::vector<Certificate> chain = {p.leaf.cert, p.inter.cert};
  EXPECT_TRUE(verify_chain(*from_file, chain, at("localhost")).ok());

  // A hashed directory: <subject hash>.0 as `openssl rehash` names files.
  const auto hashed = dir / "hashed";
  std::filesystem::create_directories(hashed);
  char name[32];
  std::snprintf(name, sizeof name, "%08lx.0", X509_subject_name_hash(p.root.cert.native()));
  std::ofstream(hashed / name) << p.root.cert.to_pem();
  auto from_dir = TrustStore::from_dir(hashed.string());
  ASSERT_TRUE(from_dir.ok()) << from_dir.error().describe();
  EXPECT_TRUE(verify_chain(*from_dir, chain, at("localhost")).ok());
  // Copies share the store.
  const TrustStore copy = *from_dir;
  EXPECT_EQ(copy.native(), from_dir->native());

  EXPECT_FALSE(TrustStore::from_file((dir / "missing.pem").string()).ok());
  EXPECT_FALSE(TrustStore::from_dir((dir / "missing").string()).ok());
  std::ofstream(dir / "empty.pem") << "nothing";
  EXPECT_FALSE(TrustStore::from_file((dir / "empty.pem").string()).ok());
  std::filesystem::remove_all(dir);
}

TEST(X509, SystemDefaultStore) {
  auto sys = TrustStore::system_default();
  ASSERT_TRUE(sys.ok()) << sys.error().describe();
  if (std::filesystem::exists("/etc/ssl/certs/ca-certificates.crt")) {
    EXPECT_GT(sys->size(), 10u);
  }
  // Our private root is not a public CA.
  const auto& p = pki();
  EXPECT_EQ(verify_alert(*sys, {p.leaf.cert, p.inter.cert}, at("localhost")), Alert::unknown_ca);
}

}  // namespace
}  // namespace tls13::crypto
