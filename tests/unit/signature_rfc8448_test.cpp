// Known answers from RFC 8448: every CertificateVerify in the traces
// verifies with the key of the certificate sent before it (and the server
// RSA key of RFC 8448 §2), and the traces' self-signed certificates carry
// valid PKCS#1 v1.5 / ECDSA signatures.
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <gtest/gtest.h>

#include "crypto/hash.h"
#include "crypto/signature.h"
#include "crypto/x509.h"
#include "support/test_support.h"

namespace tls13::crypto {
namespace {

using test::hex;
using test::rfc8448;
using test::rfc8448_named;
using test::rfc8448_section;

std::uint32_t be(std::span<const std::uint8_t> b) {
  std::uint32_t v = 0;
  for (std::uint8_t x : b) v = v << 8 | x;
  return v;
}

// The first certificate of a Certificate handshake message (RFC 8446
// §4.4.2): type(1) len(3) context<0..255> certificate_list<0..2^24-1> with
// entries cert_data<1..2^24-1> extensions<0..2^16-1>.
std::vector<std::uint8_t> first_certificate(const std::vector<std::uint8_t>& msg) {
  EXPECT_EQ(msg.at(0), 0x0b);
  EXPECT_EQ(be({msg.data() + 1, 3}), msg.size() - 4);
  std::size_t i = 4;
  i += 1 + msg.at(i);  // certificate_request_context
  EXPECT_EQ(be({msg.data() + i, 3}), msg.size() - i - 3);
  i += 3;  // certificate_list length
  const std::size_t n = be({msg.data() + i, 3});
  i += 3;
  EXPECT_LE(i + n, msg.size());
  return {msg.begin() + static_cast<long>(i), msg.begin() + static_cast<long>(i + n)};
}

// Transcript-Hash (RFC 8446 §4.4.1) of the section's handshake messages up
// to and including `party`'s Certificate. After a HelloRetryRequest the
// first ClientHello is replaced by a message_hash message.
Digest transcript_through_certificate(std::string_view section, std::string_view party) {
  const auto& msgs = rfc8448_section(section).at("handshake_messages");
  int client_hellos = 0;
  for (const auto& m : msgs) client_hellos += m.at("type") == "ClientHello";
  Hash h(HashId::sha256);
  bool first = true;
  for (const auto& m : msgs) {
    const auto body = hex(m.at("hex").get<std::string>());
    if (first && client_hellos == 2) {
      const std::uint8_t header[4] = {254, 0, 0, 32};
      h.update(header);
      h.update(Hash::oneshot(HashId::sha256, body).span());
    } else {
      h.update(body);
    }
    first = false;
    if (m.at("party") == party && m.at("type") == "Certificate") return h.snapshot();
  }
  ADD_FAILURE() << "no " << party << " Certificate in section " << section;
  return {};
}

struct CertificateVerifyMsg {
  SignatureScheme scheme;
  std::vector<std::uint8_t> signature;
};

CertificateVerifyMsg parse_certificate_verify(const std::vector<std::uint8_t>& msg) {
  EXPECT_EQ(msg.at(0), 0x0f);
  EXPECT_EQ(be({msg.data() + 1, 3}), msg.size() - 4);
  EXPECT_EQ(be({msg.data() + 6, 2}), msg.size() - 8);
  return {static_cast<SignatureScheme>(be({msg.data() + 4, 2})), {msg.begin() + 8, msg.end()}};
}

// Verifies `party`'s CertificateVerify of `section`; returns its scheme.
SignatureScheme check_certificate_verify(std::string_view section, std::string_view party) {
  const std::string p(party);
  auto cert = Certificate::from_der(first_certificate(rfc8448_named(section, p + "_Certificate")));
  EXPECT_TRUE(cert.ok());
  auto pub = cert->public_key();
  EXPECT_TRUE(pub.ok());
  const auto cv = parse_certificate_verify(rfc8448_named(section, p + "_CertificateVerify"));
  const Digest th = transcript_through_certificate(section, party);
  const auto side =
      party == "server" ? CertificateVerifySide::server : CertificateVerifySide::client;
  auto v = pub->verify(cv.scheme, certificate_verify_input(side, th.span()), cv.signature);
  EXPECT_TRUE(v.ok()) << "section " << section << " " << party << ": " << v.error().describe();
  // The same signature must not pass for the other side's context string,
  // nor for a different transcript.
  const auto other = side == CertificateVerifySide::server ? CertificateVerifySide::client
                                                           : CertificateVerifySide::server;
  v = pub->verify(cv.scheme, certificate_verify_input(other, th.span()), cv.signature);
  EXPECT_FALSE(v.ok());
  if (!v.ok()) {
    EXPECT_EQ(v.error().alert, Alert::decrypt_error);
  }
  auto wrong_th = std::vector<std::uint8_t>(th.span().begin(), th.span().end());
  wrong_th[0] ^= 1;
  v = pub->verify(cv.scheme, certificate_verify_input(side, wrong_th), cv.signature);
  EXPECT_FALSE(v.ok());
  return cv.scheme;
}

// RFC 8448 §2's server key, assembled from its printed components.
EVP_PKEY* rfc8448_server_rsa(bool with_private) {
  const auto& k = rfc8448().at("private_keys").at("server_rsa");
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  std::vector<BIGNUM*> bns;
  auto push = [&](const char* name, const char* field) {
    const auto b = hex(k.at(field).get<std::string>());
    BIGNUM* bn = BN_bin2bn(b.data(), static_cast<int>(b.size()), nullptr);
    bns.push_back(bn);
    EXPECT_EQ(OSSL_PARAM_BLD_push_BN(bld, name, bn), 1);
  };
  push(OSSL_PKEY_PARAM_RSA_N, "modulus_public");
  push(OSSL_PKEY_PARAM_RSA_E, "public_exponent");
  if (with_private) {
    push(OSSL_PKEY_PARAM_RSA_D, "private_exponent");
    push(OSSL_PKEY_PARAM_RSA_FACTOR1, "prime1");
    push(OSSL_PKEY_PARAM_RSA_FACTOR2, "prime2");
    push(OSSL_PKEY_PARAM_RSA_EXPONENT1, "exponent1");
    push(OSSL_PKEY_PARAM_RSA_EXPONENT2, "exponent2");
    push(OSSL_PKEY_PARAM_RSA_COEFFICIENT1, "coefficient");
  }
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
  EVP_PKEY* pkey = nullptr;
  EXPECT_EQ(EVP_PKEY_fromdata_init(ctx), 1);
  EXPECT_EQ(
      EVP_PKEY_fromdata(ctx, &pkey, with_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params),
      1);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  for (BIGNUM* bn : bns) BN_free(bn);
  return pkey;
}

TEST(Rfc8448CertificateVerify, Section3Server) {
  EXPECT_EQ(check_certificate_verify("3", "server"), SignatureScheme::rsa_pss_rsae_sha256);
}

TEST(Rfc8448CertificateVerify, Section5ServerAfterHelloRetryRequest) {
  EXPECT_EQ(check_certificate_verify("5", "server"), SignatureScheme::rsa_pss_rsae_sha256);
}

TEST(Rfc8448CertificateVerify, Section6ServerEcdsa) {
  EXPECT_EQ(check_certificate_verify("6", "server"), SignatureScheme::ecdsa_secp256r1_sha256);
}

TEST(Rfc8448CertificateVerify, Section6Client) {
  EXPECT_EQ(check_certificate_verify("6", "client"), SignatureScheme::rsa_pss_rsae_sha256);
}

TEST(Rfc8448CertificateVerify, Section7Server) {
  EXPECT_EQ(check_certificate_verify("7", "server"), SignatureScheme::rsa_pss_rsae_sha256);
}

TEST(Rfc8448CertificateVerify, Section3WithThePrintedServerKey) {
  // The public key built from §2's modulus and exponent verifies §3's
  // CertificateVerify and equals the certificate's key.
  const PublicKey pub = PublicKey::adopt(rfc8448_server_rsa(false));
  EXPECT_EQ(pub.type(), KeyType::rsa);
  EXPECT_EQ(pub.bits(), 1024);
  auto cert = Certificate::from_der(first_certificate(rfc8448_named("3", "server_Certificate")));
  ASSERT_TRUE(cert.ok());
  EXPECT_EQ(pub.spki_der(), cert->public_key()->spki_der());
  const auto cv = parse_certificate_verify(rfc8448_named("3", "server_CertificateVerify"));
  const auto input = certificate_verify_input(CertificateVerifySide::server,
                                              transcript_through_certificate("3", "server").span());
  EXPECT_TRUE(pub.verify(SignatureScheme::rsa_pss_rsae_sha256, input, cv.signature).ok());

  // The private key signs what the certificate's key verifies. PSS is
  // randomised, so this is a round trip, not a byte comparison.
  EVP_PKEY* full = rfc8448_server_rsa(true);
  BIO* bio = BIO_new(BIO_s_mem());
  ASSERT_EQ(PEM_write_bio_PrivateKey(bio, full, nullptr, nullptr, 0, nullptr, nullptr), 1);
  EVP_PKEY_free(full);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  auto key = PrivateKey::from_pem(std::string_view(data, static_cast<std::size_t>(n)));
  BIO_free(bio);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->public_spki_der(), pub.spki_der());
  // 1024 bits: too small for PSS with SHA-512 (RFC 8017 §9.1.1).
  EXPECT_EQ(key->schemes(), (std::vector<SignatureScheme>{SignatureScheme::rsa_pss_rsae_sha256,
                                                          SignatureScheme::rsa_pss_rsae_sha384}));
  auto sig = key->sign(SignatureScheme::rsa_pss_rsae_sha256, input);
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->size(), 128u);
  EXPECT_TRUE(cert->public_key()->verify(SignatureScheme::rsa_pss_rsae_sha256, input, *sig).ok());
}

// Splits a DER Certificate into (tbsCertificate with its header, signature
// BIT STRING contents) for a self-signature check.
std::pair<std::vector<std::uint8_t>, std::vector<std::uint8_t>> split_certificate(
    const std::vector<std::uint8_t>& der) {
  std::size_t i = 0;
  // Reads a tag and definite length at `i`; returns the content length and
  // leaves `i` at the content.
  auto header = [&](std::uint8_t tag) {
    EXPECT_EQ(der.at(i), tag);
    ++i;
    std::size_t len = der.at(i++);
    if (len & 0x80) {
      const std::size_t nbytes = len & 0x7f;
      len = be({der.data() + i, nbytes});
      i += nbytes;
    }
    return len;
  };
  header(0x30);  // Certificate
  const std::size_t tbs_start = i;
  i += header(0x30);
  std::vector<std::uint8_t> tbs(der.begin() + static_cast<long>(tbs_start),
                                der.begin() + static_cast<long>(i));
  i += header(0x30);  // signatureAlgorithm
  const std::size_t bits = header(0x03);
  EXPECT_EQ(der.at(i), 0);  // no unused bits
  std::vector<std::uint8_t> sig(der.begin() + static_cast<long>(i + 1),
                                der.begin() + static_cast<long>(i + bits));
  EXPECT_EQ(i + bits, der.size());
  return {tbs, sig};
}

TEST(Rfc8448SelfSignedCertificates, Pkcs1AndEcdsaSignaturesVerify) {
  struct Case {
    const char* section;
    const char* name;
    SignatureScheme scheme;
  } cases[] = {
      {"3", "server_Certificate", SignatureScheme::rsa_pkcs1_sha256},
      {"6", "client_Certificate", SignatureScheme::rsa_pkcs1_sha256},
      {"6", "server_Certificate", SignatureScheme::ecdsa_secp256r1_sha256},
  };
  for (const Case& c : cases) {
    const auto der = first_certificate(rfc8448_named(c.section, c.name));
    auto cert = Certificate::from_der(der);
    ASSERT_TRUE(cert.ok());
    auto pub = cert->public_key();
    ASSERT_TRUE(pub.ok());
    auto [tbs, sig] = split_certificate(der);
    auto v = pub->verify(c.scheme, tbs, sig);
    EXPECT_TRUE(v.ok()) << c.section << " " << c.name << ": " << v.error().describe();
    tbs[tbs.size() / 2] ^= 1;
    v = pub->verify(c.scheme, tbs, sig);
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.error().alert, Alert::decrypt_error);
  }
}

}  // namespace
}  // namespace tls13::crypto
