// The performance fast paths (issue 6, docs/performance.md) keep every
// check: each test here would fail if a shortcut skipped one.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "conn/credentials_impl.h"
#include "crypto/x509.h"
#include "support/loopback.h"
#include "support/test_pki.h"

namespace tls13 {
namespace {

using crypto::CertificatePurpose;
using crypto::KeyType;
using crypto::TrustStore;
using crypto::VerifyOptions;
using test::issue_leaf;
using test::make_ca;
using test::TestCert;
using test::Validity;

std::vector<std::span<const std::uint8_t>> ders(const std::vector<const TestCert*>& chain) {
  std::vector<std::span<const std::uint8_t>> out;
  for (const TestCert* c : chain) out.push_back(c->cert.der());
  return out;
}

VerifyOptions at(std::int64_t t, std::string host = "localhost",
                 CertificatePurpose p = CertificatePurpose::server_auth) {
  VerifyOptions o;
  o.host = std::move(host);
  o.purpose = p;
  o.time = t;
  return o;
}

constexpr std::int64_t kT0 = 1'800'000'000;  // a fixed "now" inside every validity below

struct ChainCacheTest : ::testing::Test {
  TestCert ca = make_ca(KeyType::ec_p256, "cache CA", nullptr, Validity{kT0 - 1000, kT0 + 100000});
  TestCert leaf = issue_leaf(ca, KeyType::ec_p256, {"localhost", "127.0.0.1"},
                             Validity{kT0 - 1000, kT0 + 5000});
  TrustStore trust = test::trust_only(ca);
};

TEST_F(ChainCacheTest, SecondVerificationComesFromTheCacheWithTheSameResult) {
  auto first = crypto::verify_der_chain(trust, ders({&leaf}), at(kT0));
  ASSERT_TRUE(first.ok()) << first.error().describe();
  EXPECT_EQ(trust.cached_chains(), 1u);
  auto second = crypto::verify_der_chain(trust, ders({&leaf}), at(kT0 + 10));
  ASSERT_TRUE(second.ok()) << second.error().describe();
  EXPECT_EQ(trust.cached_chains(), 1u);
  EXPECT_TRUE(std::equal(second->leaf.der().begin(), second->leaf.der().end(),
                         leaf.cert.der().begin(), leaf.cert.der().end()));
  EXPECT_EQ(second->key.spki_der(), leaf.key->public_spki_der());
}

TEST_F(ChainCacheTest, CachedChainStillChecksTheHostName) {
  ASSERT_TRUE(crypto::verify_der_chain(trust, ders({&leaf}), at(kT0)).ok());
  auto wrong = crypto::verify_der_chain(trust, ders({&leaf}), at(kT0, "evil.example"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().alert, Alert::bad_certificate);
  EXPECT_NE(wrong.error().describe().find("evil.example"), std::string::npos);
  auto wrong_ip = crypto::verify_der_chain(trust, ders({&leaf}), at(kT0, "10.0.0.1"));
  ASSERT_FALSE(wrong_ip.ok());
  EXPECT_EQ(wrong_ip.error().alert, Alert::bad_certificate);
  // The names the leaf has still pass (an IP literal matches iPAddress).
  EXPECT_TRUE(crypto::verify_der_chain(trust, ders({&leaf}), at(kT0, "127.0.0.1")).ok());
  EXPECT_EQ(trust.cached_chains(), 1u);
}

TEST_F(ChainCacheTest, CachedChainStillChecksTheLeafValidity) {
  ASSERT_TRUE(crypto::verify_der_chain(trust, ders({&leaf}), at(kT0)).ok());
  auto expired = crypto::verify_der_chain(trust, ders({&leaf}), at(kT0 + 5000));
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().alert, Alert::certificate_expired);
  auto early = crypto::verify_der_chain(trust, ders({&leaf}), at(kT0 - 1001));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().alert, Alert::certificate_expired);
}

TEST(ChainCache, CachedChainStillChecksTheAnchorAndIntermediateValidity) {
  const auto root = make_ca(KeyType::ec_p256, "root", nullptr, Validity{kT0 - 1000, kT0 + 300});
  const auto mid = make_ca(KeyType::ec_p256, "mid", &root, Validity{kT0 - 1000, kT0 + 600});
  const auto leaf =
      issue_leaf(mid, KeyType::ec_p256, {"localhost"}, Validity{kT0 - 1000, kT0 + 900});
  TrustStore trust = test::trust_only(root);
  ASSERT_TRUE(crypto::verify_der_chain(trust, ders({&leaf, &mid}), at(kT0)).ok());
  ASSERT_EQ(trust.cached_chains(), 1u);
  // The leaf and the intermediate are still valid; the anchor is not.
  auto r = crypto::verify_der_chain(trust, ders({&leaf, &mid}), at(kT0 + 400));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::certificate_expired);
  EXPECT_NE(r.error().describe().find("depth 2"), std::string::npos) << r.error().describe();
}

TEST_F(ChainCacheTest, FailuresAreNotCached) {
  const auto stranger = make_ca(KeyType::ec_p256, "unknown CA");
  const auto rogue = issue_leaf(stranger, KeyType::ec_p256, {"localhost"});
  for (int i = 0; i < 2; ++i) {
    auto r = crypto::verify_der_chain(trust, ders({&rogue}), at(test::unix_now()));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().alert, Alert::unknown_ca);
  }
  EXPECT_EQ(trust.cached_chains(), 0u);
  // A chain that fails only on its name is not cached either.
  ASSERT_FALSE(crypto::verify_der_chain(trust, ders({&leaf}), at(kT0, "other.example")).ok());
  EXPECT_EQ(trust.cached_chains(), 0u);
}

TEST_F(ChainCacheTest, ASingleChangedByteMissesTheCache) {
  ASSERT_TRUE(crypto::verify_der_chain(trust, ders({&leaf}), at(kT0)).ok());
  std::vector<std::uint8_t> tampered(leaf.cert.der().begin(), leaf.cert.der().end());
  tampered[tampered.size() - 5] ^= 0x01;  // inside the signature
  const std::vector<std::span<const std::uint8_t>> chain = {tampered};
  auto r = crypto::verify_der_chain(trust, chain, at(kT0));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(trust.cached_chains(), 1u);
}

TEST_F(ChainCacheTest, PurposeIsPartOfTheKey) {
  ASSERT_TRUE(crypto::verify_der_chain(trust, ders({&leaf}), at(kT0)).ok());
  // test_pki leaves carry serverAuth and clientAuth.
  ASSERT_TRUE(
      crypto::verify_der_chain(trust, ders({&leaf}), at(kT0, "", CertificatePurpose::client_auth))
          .ok());
  EXPECT_EQ(trust.cached_chains(), 2u);
}

TEST_F(ChainCacheTest, AddingAnchorsEmptiesTheCache) {
  ASSERT_TRUE(crypto::verify_der_chain(trust, ders({&leaf}), at(kT0)).ok());
  ASSERT_TRUE(trust.add(make_ca(KeyType::ec_p256, "another CA").cert).ok());
  EXPECT_EQ(trust.cached_chains(), 0u);
}

TEST_F(ChainCacheTest, StaleEntriesAreVerifiedAgain) {
  ASSERT_TRUE(crypto::verify_der_chain(trust, ders({&leaf}), at(kT0)).ok());
  // More than an hour later the entry is dropped and the chain verified anew.
  ASSERT_TRUE(crypto::verify_der_chain(trust, ders({&leaf}), at(kT0 + 3601)).ok());
  EXPECT_EQ(trust.cached_chains(), 1u);
}

TEST(ChainCache, SizeIsBounded) {
  const auto ca = make_ca(KeyType::ec_p256, "many CA");
  TrustStore trust = test::trust_only(ca);
  for (std::size_t i = 0; i < TrustStore::kChainCacheSize + 5; ++i) {
    const auto leaf = issue_leaf(ca, KeyType::ec_p256, {"localhost"});
    ASSERT_TRUE(crypto::verify_der_chain(trust, ders({&leaf}), at(test::unix_now())).ok());
  }
  EXPECT_EQ(trust.cached_chains(), TrustStore::kChainCacheSize);
}

// Through the API: a client meeting a known chain still refuses a server
// whose certificate does not name the host it asked for.
TEST(ChainCache, ClientStillChecksTheHostNameOnACachedChain) {
  const auto pki = test::make_pki();
  auto ccfg = std::make_shared<ClientConfig>();
  ccfg->trust = pki.anchors;
  auto scfg = std::make_shared<ServerConfig>();
  scfg->certificates = {test::server_cert(pki, KeyType::ec_p256, {"localhost"})};
  for (int i = 0; i < 2; ++i) {
    auto client = Connection::client(ccfg, "localhost");
    auto server = Connection::server(scfg);
    ASSERT_TRUE(test::pump(client, server));
    ASSERT_TRUE(client.handshake_complete());
    EXPECT_TRUE(client.info().peer_verified);
  }
  EXPECT_EQ(pki.anchors->impl().store.cached_chains(), 1u);
  auto client = Connection::client(ccfg, "www.example.com");
  auto server = Connection::server(scfg);
  test::pump(client, server);
  ASSERT_TRUE(client.failed());
  EXPECT_EQ(client.error()->alert, Alert::bad_certificate);
}

}  // namespace
}  // namespace tls13
