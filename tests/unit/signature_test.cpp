// Signature schemes (RFC 8446 §4.2.3): round trips, negative cases with the
// exact alert, key restrictions, PEM/DER loading, and known answers from
// RFC 8448 (CertificateVerify messages and self-signed certificates).
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <gtest/gtest.h>

#include "crypto/hash.h"
#include "crypto/signature.h"
#include "crypto/x509.h"
#include "support/test_pki.h"
#include "support/test_support.h"

namespace tls13::crypto {
namespace {

using test::bytes;
using test::hex;
using S = SignatureScheme;

constexpr S kHandshakeSchemes[] = {
    S::ecdsa_secp256r1_sha256,
    S::ecdsa_secp384r1_sha384,
    S::ecdsa_secp521r1_sha512,
    S::rsa_pss_rsae_sha256,
    S::rsa_pss_rsae_sha384,
    S::rsa_pss_rsae_sha512,
    S::rsa_pss_pss_sha256,
    S::rsa_pss_pss_sha384,
    S::rsa_pss_pss_sha512,
    S::ed25519,
    S::ed448,
};
constexpr KeyType kAllTypes[] = {KeyType::rsa,     KeyType::rsa_pss, KeyType::ec_p256,
                                 KeyType::ec_p384, KeyType::ec_p521, KeyType::ed25519,
                                 KeyType::ed448};

// One key per type for the whole binary (fixed RSA keys: generation is slow;
// GenerateEveryKeyType covers generate()).
const PrivateKey& key_of(KeyType t) {
  return *test::cached_key(t);
}

// A key of a type that cannot serve `s`.
KeyType other_type(S s) {
  return key_type_for(s) == KeyType::ec_p256 ? KeyType::ed25519 : KeyType::ec_p256;
}

// Loads a libcrypto key through our PEM loader (as a user's key file would).
PrivateKey via_pem(EVP_PKEY* k) {
  BIO* bio = BIO_new(BIO_s_mem());
  EXPECT_EQ(PEM_write_bio_PrivateKey(bio, k, nullptr, nullptr, 0, nullptr, nullptr), 1);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  auto r = PrivateKey::from_pem(std::string_view(data, static_cast<std::size_t>(n)));
  BIO_free(bio);
  EVP_PKEY_free(k);
  if (!r.ok()) throw std::runtime_error(r.error().describe());
  return std::move(r).value();
}

class SchemeTest : public ::testing::TestWithParam<S> {};

TEST_P(SchemeTest, SignVerifyRoundTrip) {
  const S s = GetParam();
  const PrivateKey& key = key_of(key_type_for(s));
  EXPECT_EQ(key.type(), key_type_for(s));
  EXPECT_TRUE(key.compatible(s));
  const auto msg = bytes("TLS 1.3 signed content");
  auto sig = key.sign(s, msg);
  ASSERT_TRUE(sig.ok()) << sig.error().describe();
  EXPECT_TRUE(key.public_key().verify(s, msg, *sig).ok());
  // The same through the DER SubjectPublicKeyInfo.
  auto pub = PublicKey::from_spki_der(key.public_spki_der());
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->type(), key.type());
  auto v = pub->verify(s, msg, *sig);
  EXPECT_TRUE(v.ok()) << v.error().describe();
  // Empty messages are signable too.
  auto empty_sig = key.sign(s, {});
  ASSERT_TRUE(empty_sig.ok());
  EXPECT_TRUE(pub->verify(s, {}, *empty_sig).ok());
}

TEST_P(SchemeTest, TamperedMessageIsDecryptError) {
  const S s = GetParam();
  const PrivateKey& key = key_of(key_type_for(s));
  auto msg = bytes("message to be signed");
  auto sig = key.sign(s, msg);
  ASSERT_TRUE(sig.ok());
  msg[3] ^= 0x01;
  auto v = key.public_key().verify(s, msg, *sig);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().alert, Alert::decrypt_error) << v.error().describe();
}

TEST_P(SchemeTest, TamperedSignatureIsDecryptError) {
  const S s = GetParam();
  const PrivateKey& key = key_of(key_type_for(s));
  const auto msg = bytes("message to be signed");
  auto sig = key.sign(s, msg);
  ASSERT_TRUE(sig.ok());
  const PublicKey pub = key.public_key();
  for (std::size_t pos : {std::size_t{0}, sig->size() / 2, sig->size() - 1}) {
    auto bad = *sig;
    bad[pos] ^= 0x40;
    auto v = pub.verify(s, msg, bad);
    ASSERT_FALSE(v.ok()) << "flip at " << pos;
    EXPECT_EQ(v.error().alert, Alert::decrypt_error) << v.error().describe();
  }
  auto truncated = *sig;
  truncated.pop_back();
  auto v = pub.verify(s, msg, truncated);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().alert, Alert::decrypt_error);
  v = pub.verify(s, msg, {});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().alert, Alert::decrypt_error);
}

TEST_P(SchemeTest, WrongKeyTypeIsIllegalParameter) {
  const S s = GetParam();
  const PrivateKey& wrong = key_of(other_type(s));
  EXPECT_FALSE(wrong.compatible(s));
  EXPECT_FALSE(wrong.public_key().compatible(s));
  auto r = wrong.sign(s, bytes("x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::illegal_parameter) << r.error().describe();
  // A signature made for the right key type, checked with the wrong key.
  auto sig = key_of(key_type_for(s)).sign(s, bytes("x"));
  ASSERT_TRUE(sig.ok());
  auto v = wrong.public_key().verify(s, bytes("x"), *sig);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().alert, Alert::illegal_parameter);
}

TEST_P(SchemeTest, PemRoundTrip) {
  const S s = GetParam();
  const PrivateKey& key = key_of(key_type_for(s));
  const std::string pem = key.to_pem();
  EXPECT_NE(pem.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
  auto loaded = PrivateKey::from_pem(pem);
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  EXPECT_EQ(loaded->type(), key.type());
  EXPECT_EQ(loaded->public_spki_der(), key.public_spki_der());
  EXPECT_EQ(loaded->schemes(), key.schemes());
  auto sig = loaded->sign(s, bytes("pem"));
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(key.public_key().verify(s, bytes("pem"), *sig).ok());
}

INSTANTIATE_TEST_SUITE_P(AllHandshakeSchemes, SchemeTest, ::testing::ValuesIn(kHandshakeSchemes),
                         [](const auto& info) { return std::string(to_string(info.param)); });

TEST(Signature, SchemeTables) {
  EXPECT_EQ(key_type_for(S::rsa_pss_rsae_sha384), KeyType::rsa);
  EXPECT_EQ(key_type_for(S::rsa_pkcs1_sha512), KeyType::rsa);
  EXPECT_EQ(key_type_for(S::rsa_pss_pss_sha256), KeyType::rsa_pss);
  EXPECT_EQ(key_type_for(S::ecdsa_secp521r1_sha512), KeyType::ec_p521);
  EXPECT_EQ(key_type_for(static_cast<S>(0x0201)), KeyType::other);  // rsa_pkcs1_sha1
  EXPECT_EQ(scheme_hash(S::ecdsa_secp384r1_sha384), HashId::sha384);
  EXPECT_EQ(scheme_hash(S::ed25519), std::nullopt);
  EXPECT_FALSE(handshake_scheme(S::rsa_pkcs1_sha256));
  EXPECT_TRUE(handshake_scheme(S::rsa_pss_rsae_sha256));
  EXPECT_FALSE(handshake_scheme(static_cast<S>(0x0203)));  // ecdsa_sha1
  EXPECT_EQ(to_string(KeyType::ec_p384), "ec_p384");
}

TEST(Signature, GenerateEveryKeyType) {
  for (KeyType t : kAllTypes) {
    auto k = PrivateKey::generate(t);
    ASSERT_TRUE(k.ok()) << to_string(t);
    EXPECT_EQ(k->type(), t) << to_string(t);
    EXPECT_FALSE(k->schemes().empty()) << to_string(t);
    for (S s : k->schemes()) EXPECT_EQ(key_type_for(s), t);
    if (t == KeyType::rsa || t == KeyType::rsa_pss) {
      EXPECT_EQ(k->bits(), 2048);
    }
    auto sig = k->sign(k->schemes().front(), bytes("fresh"));
    ASSERT_TRUE(sig.ok());
    EXPECT_TRUE(k->public_key().verify(k->schemes().front(), bytes("fresh"), *sig).ok());
  }
  EXPECT_EQ(key_of(KeyType::rsa).bits(), 2048);
  EXPECT_EQ(key_of(KeyType::rsa_pss).bits(), 2048);
  EXPECT_EQ(key_of(KeyType::ec_p384).bits(), 384);
  EXPECT_EQ(
      key_of(KeyType::rsa).schemes(),
      (std::vector<S>{S::rsa_pss_rsae_sha256, S::rsa_pss_rsae_sha384, S::rsa_pss_rsae_sha512}));
  EXPECT_EQ(key_of(KeyType::rsa_pss).schemes(),
            (std::vector<S>{S::rsa_pss_pss_sha256, S::rsa_pss_pss_sha384, S::rsa_pss_pss_sha512}));
  EXPECT_EQ(key_of(KeyType::ec_p521).schemes(), std::vector<S>{S::ecdsa_secp521r1_sha512});
  EXPECT_FALSE(PrivateKey::generate(KeyType::other).ok());
}

TEST(Signature, Pkcs1NeverSignsButVerifies) {
  const PrivateKey& rsa = key_of(KeyType::rsa);
  const auto msg = bytes("certificate tbs");
  for (S s : {S::rsa_pkcs1_sha256, S::rsa_pkcs1_sha384, S::rsa_pkcs1_sha512}) {
    EXPECT_FALSE(rsa.compatible(s));
    auto r = rsa.sign(s, msg);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().alert, Alert::illegal_parameter);
    EXPECT_TRUE(rsa.public_key().compatible(s));
    EXPECT_FALSE(key_of(KeyType::rsa_pss).public_key().compatible(s));
  }
  // A PKCS#1 v1.5 signature made directly with libcrypto verifies.
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  ASSERT_EQ(EVP_DigestSignInit_ex(ctx, &pctx, "SHA2-384", nullptr, nullptr, rsa.native(), nullptr),
            1);
  ASSERT_EQ(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING), 1);
  std::vector<std::uint8_t> sig(256);
  std::size_t len = sig.size();
  ASSERT_EQ(EVP_DigestSign(ctx, sig.data(), &len, msg.data(), msg.size()), 1);
  EVP_MD_CTX_free(ctx);
  sig.resize(len);
  EXPECT_TRUE(rsa.public_key().verify(S::rsa_pkcs1_sha384, msg, sig).ok());
  auto v = rsa.public_key().verify(S::rsa_pkcs1_sha256, msg, sig);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().alert, Alert::decrypt_error);
  // A PKCS#1 signature is not a PSS signature.
  v = rsa.public_key().verify(S::rsa_pss_rsae_sha384, msg, sig);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().alert, Alert::decrypt_error);
}

TEST(Signature, EcdsaCurveMustMatchScheme) {
  const PrivateKey& p256 = key_of(KeyType::ec_p256);
  for (S s : {S::ecdsa_secp384r1_sha384, S::ecdsa_secp521r1_sha512}) {
    EXPECT_FALSE(p256.compatible(s));
    auto r = p256.sign(s, bytes("x"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().alert, Alert::illegal_parameter);
  }
  // A valid P-384 signature presented under the P-256 scheme name.
  auto sig = key_of(KeyType::ec_p384).sign(S::ecdsa_secp384r1_sha384, bytes("x"));
  ASSERT_TRUE(sig.ok());
  auto v =
      key_of(KeyType::ec_p384).public_key().verify(S::ecdsa_secp256r1_sha256, bytes("x"), *sig);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().alert, Alert::illegal_parameter);
}

TEST(Signature, RsaeAndPssKeysAreNotInterchangeable) {
  auto r = key_of(KeyType::rsa).sign(S::rsa_pss_pss_sha256, bytes("x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::illegal_parameter);
  r = key_of(KeyType::rsa_pss).sign(S::rsa_pss_rsae_sha256, bytes("x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::illegal_parameter);
}

TEST(Signature, UnknownSchemeIsIllegalParameter) {
  auto r = key_of(KeyType::rsa).sign(static_cast<S>(0x0201), bytes("x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::illegal_parameter);
  auto v = key_of(KeyType::rsa).public_key().verify(static_cast<S>(0xfe00), bytes("x"), {});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().alert, Alert::illegal_parameter);
}

// RSASSA-PSS keys may restrict hash, MGF1 hash and minimum salt length.
// 1024 bits (quick to generate) suffices for PSS with SHA-384.
PrivateKey restricted_pss_key(const EVP_MD* md, const EVP_MD* mgf1, int saltlen) {
  EVP_PKEY_CTX* c = EVP_PKEY_CTX_new_from_name(nullptr, "RSA-PSS", nullptr);
  EVP_PKEY* k = nullptr;
  EXPECT_EQ(EVP_PKEY_keygen_init(c), 1);
  EXPECT_EQ(EVP_PKEY_CTX_set_rsa_keygen_bits(c, 1024), 1);
  EXPECT_EQ(EVP_PKEY_CTX_set_rsa_pss_keygen_md(c, md), 1);
  if (mgf1) {
    EXPECT_EQ(EVP_PKEY_CTX_set_rsa_pss_keygen_mgf1_md(c, mgf1), 1);
  }
  EXPECT_EQ(EVP_PKEY_CTX_set_rsa_pss_keygen_saltlen(c, saltlen), 1);
  EXPECT_EQ(EVP_PKEY_keygen(c, &k), 1);
  EVP_PKEY_CTX_free(c);
  return via_pem(k);
}

TEST(Signature, PssKeyRestrictionsAreRespected) {
  const PrivateKey k384 = restricted_pss_key(EVP_sha384(), EVP_sha384(), 48);
  EXPECT_EQ(k384.type(), KeyType::rsa_pss);
  EXPECT_EQ(k384.schemes(), std::vector<S>{S::rsa_pss_pss_sha384});
  auto sig = k384.sign(S::rsa_pss_pss_sha384, bytes("restricted"));
  ASSERT_TRUE(sig.ok()) << sig.error().describe();
  const PublicKey pub = k384.public_key();
  EXPECT_TRUE(pub.verify(S::rsa_pss_pss_sha384, bytes("restricted"), *sig).ok());
  for (S s : {S::rsa_pss_pss_sha256, S::rsa_pss_pss_sha512}) {
    auto r = k384.sign(s, bytes("restricted"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().alert, Alert::illegal_parameter) << r.error().describe();
    EXPECT_FALSE(pub.compatible(s));
    auto v = pub.verify(s, bytes("restricted"), *sig);
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.error().alert, Alert::illegal_parameter);
  }
  // MGF1 with SHA-1 (what libcrypto records when only the hash is set)
  // fits no TLS 1.3 scheme; neither does a minimum salt longer than the hash.
  EXPECT_TRUE(restricted_pss_key(EVP_sha384(), EVP_sha1(), 48).schemes().empty());
  EXPECT_TRUE(restricted_pss_key(EVP_sha384(), nullptr, 48).schemes().empty());
  EXPECT_TRUE(restricted_pss_key(EVP_sha256(), EVP_sha256(), 64).schemes().empty());
  EXPECT_EQ(restricted_pss_key(EVP_sha256(), EVP_sha256(), 20).schemes(),
            std::vector<S>{S::rsa_pss_pss_sha256});
}

TEST(Signature, SmallRsaKeyCannotUsePssSha512) {
  // RFC 8448's 1024-bit key: emLen 128 < 2*64 + 2.
  EVP_PKEY_CTX* c = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
  EVP_PKEY* k = nullptr;
  ASSERT_EQ(EVP_PKEY_keygen_init(c), 1);
  ASSERT_EQ(EVP_PKEY_CTX_set_rsa_keygen_bits(c, 1024), 1);
  ASSERT_EQ(EVP_PKEY_keygen(c, &k), 1);
  EVP_PKEY_CTX_free(c);
  const PrivateKey key = via_pem(k);
  EXPECT_EQ(key.schemes(), (std::vector<S>{S::rsa_pss_rsae_sha256, S::rsa_pss_rsae_sha384}));
  auto r = key.sign(S::rsa_pss_rsae_sha512, bytes("x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::illegal_parameter);
}

TEST(Signature, LoadsDerPkcs8AndTraditional) {
  for (KeyType t : {KeyType::rsa, KeyType::ec_p256, KeyType::ed25519}) {
    const PrivateKey& key = key_of(t);
    PKCS8_PRIV_KEY_INFO* p8 = EVP_PKEY2PKCS8(key.native());
    ASSERT_NE(p8, nullptr);
    unsigned char* der = nullptr;
    const int n = i2d_PKCS8_PRIV_KEY_INFO(p8, &der);
    PKCS8_PRIV_KEY_INFO_free(p8);
    auto loaded =
        PrivateKey::from_der(std::span<const std::uint8_t>(der, static_cast<std::size_t>(n)));
    OPENSSL_free(der);
    ASSERT_TRUE(loaded.ok()) << to_string(t) << ": " << loaded.error().describe();
    EXPECT_EQ(loaded->public_spki_der(), key.public_spki_der());
    if (t == KeyType::ed25519) continue;  // no traditional form
    der = nullptr;
    const int m = i2d_PrivateKey(key.native(), &der);  // RSAPrivateKey / ECPrivateKey
    auto trad =
        PrivateKey::from_der(std::span<const std::uint8_t>(der, static_cast<std::size_t>(m)));
    OPENSSL_free(der);
    ASSERT_TRUE(trad.ok()) << to_string(t);
    EXPECT_EQ(trad->type(), t);
    EXPECT_EQ(trad->public_spki_der(), key.public_spki_der());
  }
  auto bad = PrivateKey::from_der(bytes("not a key"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().alert, Alert::decode_error);
}

TEST(Signature, PemEdgeCases) {
  // Traditional "EC PRIVATE KEY" PEM after a certificate block.
  const PrivateKey& ec = key_of(KeyType::ec_p384);
  BIO* bio = BIO_new(BIO_s_mem());
  ASSERT_EQ(
      PEM_write_bio_PrivateKey_traditional(bio, ec.native(), nullptr, nullptr, 0, nullptr, nullptr),
      1);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string trad(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  EXPECT_NE(trad.find("BEGIN EC PRIVATE KEY"), std::string::npos);
  auto self = make_self_signed(key_of(KeyType::ec_p256), {"localhost"});
  ASSERT_TRUE(self.ok());
  auto loaded = PrivateKey::from_pem(self->to_pem() + trad);
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  EXPECT_EQ(loaded->public_spki_der(), ec.public_spki_der());

  // An encrypted key is refused without prompting for a password.
  bio = BIO_new(BIO_s_mem());
  char pass[] = "secret";
  ASSERT_EQ(
      PEM_write_bio_PKCS8PrivateKey(bio, ec.native(), EVP_aes_256_cbc(), pass, 6, nullptr, nullptr),
      1);
  const long m = BIO_get_mem_data(bio, &data);
  auto enc = PrivateKey::from_pem(std::string_view(data, static_cast<std::size_t>(m)));
  BIO_free(bio);
  ASSERT_FALSE(enc.ok());
  EXPECT_EQ(enc.error().alert, Alert::decode_error);

  auto none =
      PrivateKey::from_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(PrivateKey::from_pem("").error().alert, Alert::decode_error);
}

TEST(Signature, CertificateVerifyInput) {
  // RFC 8446 §4.4.3's example: transcript hash of 32 bytes of 01.
  const std::vector<std::uint8_t> h(32, 0x01);
  EXPECT_EQ(hex(certificate_verify_input(CertificateVerifySide::server, h)),
            "2020202020202020202020202020202020202020202020202020202020202020"
            "2020202020202020202020202020202020202020202020202020202020202020"
            "544c5320312e332c207365727665722043657274696669636174655665726966"
            "79"
            "00"
            "0101010101010101010101010101010101010101010101010101010101010101");
  const auto c = certificate_verify_input(CertificateVerifySide::client, h);
  EXPECT_EQ(std::string(c.begin() + 64, c.begin() + 97), "TLS 1.3, client CertificateVerify");
}

TEST(Signature, Ed25519KnownAnswerRfc8032) {
  // RFC 8032 §7.1 TEST 1: empty message.
  const auto sk = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  EVP_PKEY* k = EVP_PKEY_new_raw_private_key_ex(nullptr, "ED25519", nullptr, sk.data(), sk.size());
  ASSERT_NE(k, nullptr);
  const PrivateKey key = via_pem(k);
  const std::string expected =
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9"
      "b46bd25bf5f0595bbe24655141438e7a100b";
  auto sig = key.sign(S::ed25519, {});
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(hex(*sig), expected);
  // The SPKI holds the RFC's public key.
  EXPECT_EQ(
      hex(key.public_spki_der()),
      "302a300506032b6570032100d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  EXPECT_TRUE(key.public_key().verify(S::ed25519, {}, hex(expected)).ok());
}

}  // namespace
}  // namespace tls13::crypto
