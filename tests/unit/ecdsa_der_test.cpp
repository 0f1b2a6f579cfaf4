// The ECDSA signature DER codec (crypto/ecdsa_der.h) against libcrypto's own
// ASN.1 code: encodings must be byte-identical to i2d_ECDSA_SIG, and the
// strict decoder must accept exactly what libcrypto's ECDSA_verify accepted
// (a DER that d2i parses and i2d re-encodes to the same bytes), bar values
// no curve order allows. Then, through PublicKey::verify, re-encoded forms
// of a genuine signature are rejected with decrypt_error.
//
// Includes OpenSSL on purpose: the reference must not be our own code.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/bn.h>
#include <openssl/ec.h>

#include <cstdint>
#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/ecdsa_der.h"
#include "crypto/signature.h"
#include "support/test_pki.h"
#include "support/test_support.h"

namespace tls13::crypto {
namespace {

using Bytes = std::vector<std::uint8_t>;
using test::hex;

struct SigFree {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};
using SigPtr = std::unique_ptr<ECDSA_SIG, SigFree>;

Bytes bn_bytes(const BIGNUM* b) {
  Bytes out(static_cast<std::size_t>(BN_num_bytes(b)));
  BN_bn2bin(b, out.data());
  return out;
}

Bytes reference_encode(const Bytes& r, const Bytes& s) {
  SigPtr sig(ECDSA_SIG_new());
  BIGNUM* br = BN_bin2bn(r.data(), static_cast<int>(r.size()), nullptr);
  BIGNUM* bs = BN_bin2bn(s.data(), static_cast<int>(s.size()), nullptr);
  EXPECT_EQ(ECDSA_SIG_set0(sig.get(), br, bs), 1);
  unsigned char* der = nullptr;
  const int n = i2d_ECDSA_SIG(sig.get(), &der);
  Bytes out(der, der + (n > 0 ? n : 0));
  OPENSSL_free(der);
  return out;
}

// What ECDSA_verify accepted: d2i consumes everything and i2d gives the
// same bytes back. On success, r and s are returned (sign included).
struct RefParse {
  bool accepted = false;
  bool negative = false;
  Bytes r, s;
};
RefParse reference_decode(const Bytes& der) {
  RefParse out;
  const unsigned char* p = der.data();
  SigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) return out;
  unsigned char* again = nullptr;
  const int n = i2d_ECDSA_SIG(sig.get(), &again);
  out.accepted = n > 0 && Bytes(again, again + n) == der;
  OPENSSL_free(again);
  const BIGNUM* r = ECDSA_SIG_get0_r(sig.get());
  const BIGNUM* s = ECDSA_SIG_get0_s(sig.get());
  out.negative = BN_is_negative(r) || BN_is_negative(s);
  out.r = bn_bytes(r);
  out.s = bn_bytes(s);
  return out;
}

Bytes strip(Bytes v) {
  while (!v.empty() && v.front() == 0) v.erase(v.begin());
  return v;
}

Bytes encode(const Bytes& r, const Bytes& s) {
  std::array<std::uint8_t, kEcdsaMaxDer> buf{};
  const std::size_t n = ecdsa_der_encode(r, s, buf);
  return Bytes(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
}

// Deterministic values of a given length and top byte.
Bytes value(std::size_t len, std::uint8_t top, std::uint8_t seed) {
  Bytes v(len);
  for (std::size_t i = 0; i < len; ++i) v[i] = static_cast<std::uint8_t>(seed * 31 + i * 7 + 1);
  if (len) v[0] = top;
  return v;
}

std::vector<std::pair<Bytes, Bytes>> sample_values() {
  std::vector<std::pair<Bytes, Bytes>> out;
  std::uint8_t seed = 0;
  for (std::size_t rl : {0, 1, 2, 31, 32, 47, 48, 63, 65, 66}) {
    for (std::uint8_t top : {0x00, 0x01, 0x7f, 0x80, 0xff}) {
      for (std::size_t sl : {1, 32, 48, 66}) {
        ++seed;
        out.push_back(
            {value(rl, top, seed), value(sl, static_cast<std::uint8_t>(top ^ 0x80), seed)});
      }
    }
  }
  return out;
}

TEST(EcdsaDer, EncodingMatchesLibcrypto) {
  for (const auto& [r, s] : sample_values()) {
    SCOPED_TRACE(hex(r) + " / " + hex(s));
    const Bytes ours = encode(r, s);
    ASSERT_FALSE(ours.empty());
    EXPECT_EQ(hex(ours), hex(reference_encode(r, s)));
    auto back = ecdsa_der_decode(ours);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(Bytes(back->r.begin(), back->r.end()), strip(r));
    EXPECT_EQ(Bytes(back->s.begin(), back->s.end()), strip(s));
  }
  // Leading zeros in the input are not significant.
  EXPECT_EQ(encode(Bytes{0, 0, 5}, Bytes{0x80}), encode(Bytes{5}, Bytes{0, 0x80}));
  // Too long for any curve; or no room for the worst case.
  EXPECT_TRUE(encode(value(67, 1, 1), Bytes{1}).empty());
  std::array<std::uint8_t, kEcdsaMaxDer - 1> small{};
  EXPECT_EQ(ecdsa_der_encode(Bytes{1}, Bytes{1}, small), 0u);
}

// Every single-byte change, truncation and extension of valid encodings:
// we accept exactly what libcrypto accepted, except negative values and
// magnitudes over 66 bytes, which no signature can have.
TEST(EcdsaDer, DecoderAcceptsExactlyWhatLibcryptoAccepted) {
  std::size_t accepted = 0, rejected = 0;
  auto check = [&](const Bytes& der) {
    const RefParse ref = reference_decode(der);
    const auto ours = ecdsa_der_decode(der);
    const bool expect = ref.accepted && !ref.negative && ref.r.size() <= kEcdsaMaxScalar &&
                        ref.s.size() <= kEcdsaMaxScalar;
    ASSERT_EQ(ours.has_value(), expect) << hex(der);
    if (ours) {
      ++accepted;
      EXPECT_EQ(Bytes(ours->r.begin(), ours->r.end()), ref.r);
      EXPECT_EQ(Bytes(ours->s.begin(), ours->s.end()), ref.s);
    } else {
      ++rejected;
    }
  };
  for (const auto& [r, s] : sample_values()) {
    const Bytes good = encode(r, s);
    check(good);
    for (std::size_t i = 0; i < good.size(); ++i) {
      for (std::uint8_t x : {0x01, 0x80, 0xff}) {
        Bytes bad = good;
        bad[i] ^= x;
        check(bad);
      }
      check(Bytes(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(i)));
    }
    Bytes longer = good;
    longer.push_back(0);
    check(longer);
  }
  EXPECT_GT(accepted, 200u);
  EXPECT_GT(rejected, 1000u);
}

TEST(EcdsaDer, RejectsNonCanonicalForms) {
  const Bytes ok = {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02};
  ASSERT_TRUE(ecdsa_der_decode(ok).has_value());
  const Bytes cases[] = {
      {},
      {0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02},        // SET, not SEQUENCE
      {0x30, 0x81, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02},  // long form for a short length
      {0x30, 0x82, 0x00, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02},
      {0x30, 0x80, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02, 0x00, 0x00},        // indefinite (BER)
      {0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x02},              // 00 01: not minimal
      {0x30, 0x06, 0x02, 0x01, 0x81, 0x02, 0x01, 0x02},                    // negative r
      {0x30, 0x05, 0x02, 0x00, 0x02, 0x01, 0x02},                          // empty INTEGER
      {0x30, 0x09, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02, 0x02, 0x01, 0x03},  // third INTEGER
      {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02, 0x00},              // trailing byte
      {0x30, 0x03, 0x02, 0x01, 0x01},                                      // s missing
  };
  for (const Bytes& der : cases) EXPECT_FALSE(ecdsa_der_decode(der).has_value()) << hex(der);
}

Bytes operator+(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
// INTEGER content for a magnitude: minimal, with 0x00 before a set top bit.
Bytes canonical(std::span<const std::uint8_t> v) {
  Bytes out(v.begin(), v.end());
  if (out.empty() || (out[0] & 0x80)) out.insert(out.begin(), 0);
  return out;
}
Bytes integer(const Bytes& content) {
  return Bytes{0x02, static_cast<std::uint8_t>(content.size())} + content;
}
Bytes sequence(const Bytes& a, const Bytes& b) {
  const Bytes body = a + b;
  Bytes head = {0x30};
  if (body.size() >= 0x80) head.push_back(0x81);
  head.push_back(static_cast<std::uint8_t>(body.size()));
  return head + body;
}

// Through the public API: a genuine signature re-encoded in a non-canonical
// but BER-equivalent form no longer verifies.
TEST(EcdsaDer, VerifyRejectsReencodedSignature) {
  using S = SignatureScheme;
  for (S scheme :
       {S::ecdsa_secp256r1_sha256, S::ecdsa_secp384r1_sha384, S::ecdsa_secp521r1_sha512}) {
    SCOPED_TRACE(static_cast<int>(scheme));
    const PrivateKey& key = *test::cached_key(key_type_for(scheme));
    const Bytes msg = test::bytes("content");
    auto sig = key.sign(scheme, msg);
    ASSERT_TRUE(sig.ok());
    // Our output is what libcrypto would have written.
    const RefParse ref = reference_decode(*sig);
    ASSERT_TRUE(ref.accepted);
    const PublicKey pub = key.public_key();
    ASSERT_TRUE(pub.verify(scheme, msg, *sig).ok());

    auto parts = ecdsa_der_decode(*sig);
    ASSERT_TRUE(parts);
    // The same values with a superfluous leading zero byte in r, and with
    // r's length in long form (BER, not DER).
    const Bytes r = canonical(parts->r);
    const Bytes s_int = integer(canonical(parts->s));
    for (const Bytes& bad :
         {sequence(integer(Bytes{0x00} + r), s_int),
          sequence(Bytes{0x02, 0x81, static_cast<std::uint8_t>(r.size())} + r, s_int)}) {
      SCOPED_TRACE(hex(bad));
      auto v = pub.verify(scheme, msg, bad);
      ASSERT_FALSE(v.ok());
      EXPECT_EQ(v.error().alert, Alert::decrypt_error);
    }
    ASSERT_TRUE(pub.verify(scheme, msg, sequence(integer(r), s_int)).ok());

    // The same signature with a trailing byte.
    Bytes trailing = *sig;
    trailing.push_back(0);
    auto t = pub.verify(scheme, msg, trailing);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.error().alert, Alert::decrypt_error);
  }
}

}  // namespace
}  // namespace tls13::crypto
