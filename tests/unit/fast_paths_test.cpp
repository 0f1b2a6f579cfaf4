// The performance fast paths (issue 6, docs/performance.md) keep every
// check: each test here would fail if a shortcut skipped one.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <string>
#include <vector>

#include "conn/connection_access.h"
#include "conn/credentials_impl.h"
#include "crypto/hmac.h"
#include "crypto/signature.h"
#include "crypto/x509.h"
#include "msg/ext_names.h"
#include "msg/extension.h"
#include "record/protection.h"
#include "support/loopback.h"
#include "support/test_pki.h"
#include "wire/scratch_buffer.h"

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

// ------------------------------------------------------ HMAC on inline SHA-2

std::vector<std::uint8_t> random_bytes(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  if (n) {
    EXPECT_EQ(RAND_bytes(v.data(), static_cast<int>(n)), 1);
  }
  return v;
}

// Our HMAC (pads hashed once, states copied) against libcrypto's own, for
// keys around each block size (hashed first when longer) and several
// message lengths.
TEST(InlineSha2, HmacMatchesLibcrypto) {
  const struct {
    crypto::HashId id;
    const char* name;
  } hashes[] = {{crypto::HashId::sha256, "SHA2-256"},
                {crypto::HashId::sha384, "SHA2-384"},
                {crypto::HashId::sha512, "SHA2-512"}};
  for (const auto& h : hashes) {
    for (std::size_t klen : {0, 1, 32, 63, 64, 65, 127, 128, 129, 300}) {
      for (std::size_t mlen : {0, 1, 55, 64, 111, 128, 1000}) {
        const auto key = random_bytes(klen), msg = random_bytes(mlen);
        unsigned char want[64];
        std::size_t want_len = 0;
        ASSERT_NE(EVP_Q_mac(nullptr, "HMAC", nullptr, h.name, nullptr,
                            klen ? key.data() : reinterpret_cast<const unsigned char*>(""), klen,
                            msg.data(), mlen, want, sizeof want, &want_len),
                  nullptr);
        const auto got = crypto::hmac(h.id, key, msg);
        ASSERT_EQ(got.size(), want_len);
        EXPECT_TRUE(std::equal(want, want + want_len, got.data()))
            << h.name << " key " << klen << " msg " << mlen;
      }
    }
  }
}

TEST(InlineSha2, SnapshotsLeaveTheRunningHashIntact) {
  const auto a = random_bytes(100), b = random_bytes(70);
  crypto::Hash h(crypto::HashId::sha384);
  h.update(a);
  const auto mid = h.snapshot();
  h.update(b);
  std::vector<std::uint8_t> ab(a);
  ab.insert(ab.end(), b.begin(), b.end());
  EXPECT_EQ(mid, crypto::Hash::oneshot(crypto::HashId::sha384, a));
  EXPECT_EQ(h.snapshot(), crypto::Hash::oneshot(crypto::HashId::sha384, ab));
  auto copy = h.clone();
  copy.update(a);
  EXPECT_EQ(h.snapshot(), crypto::Hash::oneshot(crypto::HashId::sha384, ab));
}

// ------------------------------------------------- records without copies

// Sealing from the caller's buffer gives the very record that sealing in
// place gives, and opening into another buffer leaves the record as it was.
TEST(RecordPath, SealFromAndOpenToMatchTheInPlaceForms) {
  for (auto id :
       {crypto::AeadId::aes_128_gcm, crypto::AeadId::aes_256_gcm, crypto::AeadId::chacha20_poly1305,
        crypto::AeadId::aes_128_ccm, crypto::AeadId::aes_128_ccm_8}) {
    const auto key = random_bytes(crypto::aead_key_length(id)), iv = random_bytes(12);
    for (std::size_t len : {0, 1, 100, 16384}) {
      for (std::size_t pad : {0, 7}) {
        const auto content = random_bytes(len);
        auto policy = record::PaddingPolicy::custom([pad](auto, auto) { return pad; });
        auto a = record::RecordSealer::create(id, key, iv, policy).value();
        auto b = record::RecordSealer::create(id, key, iv, policy).value();
        std::vector<std::uint8_t> in_place(record::kMaxRecordLength),
            from(record::kMaxRecordLength);
        std::copy(content.begin(), content.end(), in_place.begin() + 5);
        const auto n1 = a.seal(in_place, len, record::ContentType::application_data).value();
        const auto n2 = b.seal_from(content, from, record::ContentType::application_data).value();
        ASSERT_EQ(n1, n2);
        EXPECT_TRUE(std::equal(in_place.begin(), in_place.begin() + n1, from.begin()))
            << static_cast<int>(id) << " len " << len;

        auto opener = record::RecordOpener::create(id, key, iv).value();
        const std::vector<std::uint8_t> rec(from.begin(), from.begin() + n2);
        std::vector<std::uint8_t> out(opener.inner_length(rec.size()));
        auto opened = opener.open_to(rec, out);
        ASSERT_TRUE(opened.ok()) << opened.error().describe();
        EXPECT_EQ(opened->type, record::ContentType::application_data);
        EXPECT_TRUE(std::equal(content.begin(), content.end(), opened->content.begin(),
                               opened->content.end()));
        EXPECT_TRUE(std::equal(rec.begin(), rec.end(), from.begin()));  // untouched
        // A flipped ciphertext bit still fails authentication.
        auto tampered = rec;
        tampered[5] ^= 1;
        auto opener2 = record::RecordOpener::create(id, key, iv).value();
        auto bad = opener2.open_to(tampered, out);
        ASSERT_FALSE(bad.ok());
        EXPECT_EQ(bad.error().alert, Alert::bad_record_mac);
      }
    }
  }
}

// ECDSA signs and verifies on the key's EC_KEY, bypassing EVP_PKEY_CTX: its
// signatures must be what libcrypto's EVP verifies and vice versa, and a
// non-canonical DER encoding of a valid signature must still be refused.
TEST(EcdsaDirect, InteroperatesWithEvpAndRejectsNonCanonicalDer) {
  struct Case {
    KeyType key;
    SignatureScheme scheme;
    const char* md;
  };
  for (const Case& k :
       {Case{KeyType::ec_p256, SignatureScheme::ecdsa_secp256r1_sha256, "SHA256"},
        Case{KeyType::ec_p384, SignatureScheme::ecdsa_secp384r1_sha384, "SHA384"},
        Case{KeyType::ec_p521, SignatureScheme::ecdsa_secp521r1_sha512, "SHA512"}}) {
    SCOPED_TRACE(std::string(crypto::to_string(k.key)));
    auto priv = crypto::PrivateKey::generate(k.key).value();
    const auto pub = priv.public_key();
    const std::vector<std::uint8_t> msg = {'t', 'l', 's', '1', '3'};
    // Ours -> EVP.
    auto sig = priv.sign(k.scheme, msg).value();
    EVP_MD_CTX* v = EVP_MD_CTX_new();
    ASSERT_EQ(EVP_DigestVerifyInit_ex(v, nullptr, k.md, nullptr, nullptr, pub.native(), nullptr),
              1);
    EXPECT_EQ(EVP_DigestVerify(v, sig.data(), sig.size(), msg.data(), msg.size()), 1);
    EVP_MD_CTX_free(v);
    // EVP -> ours.
    EVP_MD_CTX* g = EVP_MD_CTX_new();
    ASSERT_EQ(EVP_DigestSignInit_ex(g, nullptr, k.md, nullptr, nullptr, priv.native(), nullptr), 1);
    std::vector<std::uint8_t> evp_sig(256);
    std::size_t n = evp_sig.size();
    ASSERT_EQ(EVP_DigestSign(g, evp_sig.data(), &n, msg.data(), msg.size()), 1);
    EVP_MD_CTX_free(g);
    evp_sig.resize(n);
    EXPECT_TRUE(pub.verify(k.scheme, msg, evp_sig).ok());
    // A trailing byte, and a long-form length, make the DER non-canonical.
    auto trailing = sig;
    trailing.push_back(0);
    EXPECT_EQ(pub.verify(k.scheme, msg, trailing).error().alert, Alert::decrypt_error);
    if (sig[1] < 0x80) {  // short-form SEQUENCE length -> 0x81 long form
      std::vector<std::uint8_t> long_form = {0x30, 0x81};
      long_form.insert(long_form.end(), sig.begin() + 1, sig.end());
      EXPECT_EQ(pub.verify(k.scheme, msg, long_form).error().alert, Alert::decrypt_error);
    }
    EXPECT_EQ(pub.verify(k.scheme, msg, {}).error().alert, Alert::decrypt_error);
    // The other curve's scheme still does not fit the key.
    const auto other = k.key == KeyType::ec_p256 ? SignatureScheme::ecdsa_secp384r1_sha384
                                                 : SignatureScheme::ecdsa_secp256r1_sha256;
    EXPECT_EQ(pub.verify(other, msg, sig).error().alert, Alert::illegal_parameter);
    EXPECT_EQ(priv.sign(other, msg).error().alert, Alert::illegal_parameter);
  }
}

// Extension bodies are encoded in a per-thread scratch buffer before being
// copied into the list: a body that views the list's own storage, a body
// larger than the buffer keeps, and the bodies after it must all come out
// exactly, with no stale bytes from an earlier, longer body.
TEST(ExtensionScratch, BodiesComeOutExactly) {
  auto name = [](const std::string& s) {
    return std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  };
  const std::string h2 = "h2", http = "http/1.1";
  msg::ExtensionList list;
  msg::ProtocolNameList alpn;
  alpn.protocol_name_list = {name(h2), name(http)};
  list.add(alpn);
  const std::vector<std::uint8_t> want = {0,   12,  2,   'h', '2', 8,   'h',
                                          't', 't', 'p', '/', '1', '.', '1'};
  auto same = [&](const msg::ExtensionList& l, std::size_t i, std::span<const std::uint8_t> w) {
    const auto e = l[i];
    return std::vector<std::uint8_t>(e.body.begin(), e.body.end()) ==
           std::vector<std::uint8_t>(w.begin(), w.end());
  };
  EXPECT_TRUE(same(list, 0, want));
  // Re-set from a decoded view into the list itself.
  auto got = list.get<msg::ProtocolNameList>().value();
  ASSERT_TRUE(got.has_value());
  list.set(*got);
  EXPECT_TRUE(same(list, 0, want));
  // A body far above what the scratch buffer keeps, then a short one.
  const std::string big(250, 'x');
  msg::ProtocolNameList large;
  for (int i = 0; i < 40; ++i) large.protocol_name_list.push_back(name(big));
  msg::ExtensionList other;
  other.add(large);
  ASSERT_EQ(other[0].body.size(), 2u + 40u * 251u);
  EXPECT_EQ(other[0].body[0], (40 * 251) >> 8);
  EXPECT_EQ(other[0].body[2], 250);
  msg::ProtocolNameList small;
  small.protocol_name_list = {name(h2)};
  other.add(msg::ExtensionType::server_name, {});  // a raw body in between
  msg::ExtensionList third;
  third.add(small);
  const std::vector<std::uint8_t> want_small = {0, 3, 2, 'h', '2'};
  EXPECT_TRUE(same(third, 0, want_small));
}

// The per-thread scratch buffer: reused (no allocation) once warm, never
// shared by two users at once, and not kept once a large encoding grew it.
TEST(ScratchBuffer, ReusedPerThreadNeverSharedAndBounded) {
  const std::uint8_t* first = nullptr;
  {
    wire::ScratchBuffer a;
    a.bytes().assign({1, 2, 3});
    first = a.bytes().data();
    {
      wire::ScratchBuffer nested;
      EXPECT_TRUE(nested.bytes().empty());
      EXPECT_NE(&nested.bytes(), &a.bytes());
      nested.bytes().push_back(9);
    }
    EXPECT_EQ(a.bytes(), (std::vector<std::uint8_t>{1, 2, 3}));
  }
  {
    wire::ScratchBuffer again;
    EXPECT_TRUE(again.bytes().empty());
    EXPECT_GE(again.bytes().capacity(), 3u);
    again.bytes().push_back(7);
    EXPECT_EQ(again.bytes().data(), first);  // the same block, no new allocation
    again.bytes().resize(wire::ScratchBuffer::kKeptCapacity + 1);
  }
  wire::ScratchBuffer after;
  EXPECT_EQ(after.bytes().capacity(), 0u);  // the large block went back to the heap
}

// The CertificateVerify input is built inline; a longer "hash" than any TLS
// one still comes out whole rather than cut.
TEST(CertificateVerifyInput, InlineAndOversizedAgree) {
  for (std::size_t n : {32u, 48u, 64u, 65u, 100u}) {
    const std::vector<std::uint8_t> h(n, 0xab);
    const auto in = crypto::certificate_verify_input(crypto::CertificateVerifySide::client, h);
    ASSERT_EQ(in.size(), 98 + n);
    EXPECT_EQ(in.data()[0], 0x20);
    EXPECT_EQ(in.data()[63], 0x20);
    EXPECT_EQ(std::string(in.begin() + 64, in.begin() + 97), "TLS 1.3, client CertificateVerify");
    EXPECT_EQ(in.data()[97], 0);
    EXPECT_TRUE(std::equal(in.begin() + 98, in.end(), h.begin(), h.end()));
  }
}

struct Linked {
  test::Pki pki = test::make_pki();
  std::shared_ptr<ClientConfig> ccfg = std::make_shared<ClientConfig>();
  std::shared_ptr<ServerConfig> scfg = std::make_shared<ServerConfig>();
  std::optional<Connection> c, s;
  Linked() {
    ccfg->trust = pki.anchors;
    scfg->certificates = {test::server_cert(pki, KeyType::ec_p256)};
    c.emplace(Connection::client(ccfg, "localhost"));
    s.emplace(Connection::server(scfg));
    EXPECT_TRUE(test::pump(*c, *s));
    EXPECT_TRUE(c->handshake_complete() && s->handshake_complete());
  }
};

void expect_no_buffers(Connection& conn) {
  auto& impl = ConnectionAccess::impl(conn);
  EXPECT_EQ(impl.in.capacity(), 0u);
  EXPECT_EQ(impl.out.capacity(), 0u);
  EXPECT_EQ(impl.hs_out.capacity(), 0u);
  EXPECT_EQ(impl.app_in.capacity(), 0u);
  EXPECT_EQ(impl.reassembler.buffered(), 0u);
}

// An idle connection holds no record buffer: each goes back once drained.
TEST(RecordPath, IdleConnectionsHoldNoBuffers) {
  Linked l;
  expect_no_buffers(*l.c);
  expect_no_buffers(*l.s);
  const auto data = random_bytes(20000);  // two records
  ASSERT_EQ(l.s->write(data).value(), data.size());
  ASSERT_TRUE(test::pump(*l.s, *l.c));
  std::vector<std::uint8_t> got(data.size());
  ASSERT_EQ(l.c->readable(), data.size());
  EXPECT_EQ(l.c->read(got), data.size());
  EXPECT_EQ(got, data);
  expect_no_buffers(*l.c);
  expect_no_buffers(*l.s);
}

// Records split anywhere across feed() calls still arrive whole; the
// partial record is the only thing kept in between.
TEST(RecordPath, RecordsSplitAcrossFeedsArriveWhole) {
  Linked l;
  const auto data = random_bytes(3000);
  ASSERT_TRUE(l.s->write(data).ok());
  ASSERT_TRUE(l.s->write(std::span(data).first(10)).ok());
  const auto wire =
      std::vector<std::uint8_t>(l.s->pending_output().begin(), l.s->pending_output().end());
  l.s->consume_output(wire.size());
  std::vector<std::uint8_t> got;
  std::size_t pos = 0;
  for (std::size_t step : {1, 2, 3, 5, 700, 4096}) {
    const std::size_t n = std::min(step, wire.size() - pos);
    ASSERT_TRUE(l.c->feed(std::span(wire).subspan(pos, n)).ok());
    pos += n;
    EXPECT_LT(ConnectionAccess::impl(*l.c).in.size(), record::kMaxRecordLength);
    std::vector<std::uint8_t> buf(l.c->readable());
    l.c->read(buf);
    got.insert(got.end(), buf.begin(), buf.end());
  }
  ASSERT_EQ(pos, wire.size());
  std::vector<std::uint8_t> want(data);
  want.insert(want.end(), data.begin(), data.begin() + 10);
  EXPECT_EQ(got, want);
  expect_no_buffers(*l.c);
}

// A tampered record is still bad_record_mac, and nothing of it is readable.
TEST(RecordPath, TamperedRecordIsRejectedWithoutLeakingPlaintext) {
  Linked l;
  ASSERT_TRUE(l.s->write(std::vector<std::uint8_t>{'s', 'e', 'c', 'r', 'e', 't'}).ok());
  std::vector<std::uint8_t> wire(l.s->pending_output().begin(), l.s->pending_output().end());
  wire[7] ^= 0x40;
  EXPECT_FALSE(l.c->feed(wire).ok());
  ASSERT_TRUE(l.c->failed());
  EXPECT_EQ(l.c->error()->alert, Alert::bad_record_mac);
  EXPECT_EQ(l.c->readable(), 0u);
}

}  // namespace
}  // namespace tls13
