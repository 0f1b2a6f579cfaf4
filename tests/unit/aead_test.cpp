// AeadKey against an independent one-shot EVP computation (fresh context,
// legacy cipher getters, out of place), the RFC 9001 App. A.5
// ChaCha20-Poly1305 sample read from ../shared, and negative cases.
//
// This test includes <openssl/evp.h> on purpose: the reference computation
// must not go through the library's own code path.
#include <openssl/evp.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/aead.h"
#include "support/test_support.h"

namespace tls13::crypto {
namespace {

using test::hex;
using Bytes = std::vector<std::uint8_t>;
using Nonce = std::array<std::uint8_t, kAeadNonceLength>;

constexpr AeadId kAll[] = {AeadId::aes_128_gcm, AeadId::aes_256_gcm, AeadId::chacha20_poly1305,
                           AeadId::aes_128_ccm, AeadId::aes_128_ccm_8};

const char* name(AeadId id) {
  switch (id) {
    case AeadId::aes_128_gcm:
      return "AES-128-GCM";
    case AeadId::aes_256_gcm:
      return "AES-256-GCM";
    case AeadId::chacha20_poly1305:
      return "ChaCha20-Poly1305";
    case AeadId::aes_128_ccm:
      return "AES-128-CCM";
    case AeadId::aes_128_ccm_8:
      return "AES-128-CCM-8";
  }
  return "?";
}

// Deterministic filler so failures are reproducible.
Bytes pattern(std::size_t n, std::uint8_t seed) {
  Bytes b(n);
  std::uint32_t x = 0x9e3779b9u ^ seed;
  for (auto& v : b) {
    x = x * 1664525u + 1013904223u;
    v = static_cast<std::uint8_t>(x >> 24);
  }
  return b;
}

Nonce make_nonce(std::uint8_t seed) {
  Nonce n{};
  auto p = pattern(n.size(), seed);
  std::copy(p.begin(), p.end(), n.begin());
  return n;
}

struct EvpCtxDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

// One-shot reference: ciphertext || tag, with a fresh context each call.
Bytes reference_seal(AeadId id, const Bytes& key, const Nonce& nonce, const Bytes& aad,
                     const Bytes& plaintext) {
  const EVP_CIPHER* cipher = nullptr;
  switch (id) {
    case AeadId::aes_128_gcm:
      cipher = EVP_aes_128_gcm();
      break;
    case AeadId::aes_256_gcm:
      cipher = EVP_aes_256_gcm();
      break;
    case AeadId::chacha20_poly1305:
      cipher = EVP_chacha20_poly1305();
      break;
    case AeadId::aes_128_ccm:
    case AeadId::aes_128_ccm_8:
      cipher = EVP_aes_128_ccm();
      break;
  }
  const bool ccm = id == AeadId::aes_128_ccm || id == AeadId::aes_128_ccm_8;
  const int taglen = static_cast<int>(aead_tag_length(id));
  std::unique_ptr<EVP_CIPHER_CTX, EvpCtxDeleter> ctx(EVP_CIPHER_CTX_new());
  Bytes out(plaintext.size() + 16 + static_cast<std::size_t>(taglen));
  std::uint8_t dummy = 0;
  int len = 0, total = 0;
  bool good = ctx && EVP_EncryptInit_ex(ctx.get(), cipher, nullptr, nullptr, nullptr) == 1 &&
              EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_IVLEN, 12, nullptr) == 1;
  if (good && ccm)
    good = EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, taglen, nullptr) == 1;
  good = good && EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), nonce.data()) == 1;
  if (good && ccm) {
    good = EVP_EncryptUpdate(ctx.get(), nullptr, &len, nullptr,
                             static_cast<int>(plaintext.size())) == 1;
  }
  if (good && !aad.empty()) {
    good =
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1;
  }
  if (good && (!plaintext.empty() || ccm)) {
    good = EVP_EncryptUpdate(ctx.get(), out.data(), &len,
                             plaintext.empty() ? &dummy : plaintext.data(),
                             static_cast<int>(plaintext.size())) == 1;
    total = len;
  }
  good = good && EVP_EncryptFinal_ex(ctx.get(), out.data() + total, &len) == 1;
  total += len;
  good = good &&
         EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, taglen, out.data() + total) == 1;
  EXPECT_TRUE(good) << "reference EVP encryption failed for " << name(id);
  out.resize(static_cast<std::size_t>(total + taglen));
  return out;
}

AeadKey make(AeadId id, AeadDirection dir, const Bytes& key) {
  auto k = AeadKey::create(id, dir, key);
  EXPECT_TRUE(k.ok()) << name(id) << ": " << (k.ok() ? "" : k.error().describe());
  return std::move(k).value();
}

// Seals `pt` with AeadKey into buf = ciphertext || tag.
Bytes seal_with(AeadKey& k, const Nonce& nonce, const Bytes& aad, const Bytes& pt) {
  Bytes buf = pt;
  buf.resize(pt.size() + k.tag_length());
  std::span<std::uint8_t> all(buf);
  auto r = k.seal(nonce, aad, all.first(pt.size()), all.subspan(pt.size()));
  EXPECT_TRUE(r.ok()) << name(k.id()) << ": " << (r.ok() ? "" : r.error().describe());
  return buf;
}

// Opens buf = ciphertext || tag in place; returns the plaintext on success.
Result<Bytes> open_with(AeadKey& k, const Nonce& nonce, const Bytes& aad, Bytes buf) {
  if (buf.size() < k.tag_length()) return Error(Alert::internal_error, "test: short");
  const std::size_t n = buf.size() - k.tag_length();
  std::span<std::uint8_t> all(buf);
  TLS13_TRY(k.open(nonce, aad, all.first(n), all.subspan(n)));
  buf.resize(n);
  return buf;
}

TEST(Aead, SealMatchesIndependentEvpAndRoundTrips) {
  const std::size_t lengths[] = {0, 1, 15, 16, 17, 63, 64, 255, 1000, 16385};
  for (AeadId id : kAll) {
    const Bytes key = pattern(aead_key_length(id), 1);
    AeadKey sealer = make(id, AeadDirection::seal, key);
    AeadKey opener = make(id, AeadDirection::open, key);
    std::uint8_t seed = 10;
    for (std::size_t len : lengths) {
      for (std::size_t aad_len : {std::size_t{0}, std::size_t{5}, std::size_t{13}}) {
        SCOPED_TRACE(std::string(name(id)) + " len=" + std::to_string(len) +
                     " aad=" + std::to_string(aad_len));
        const Nonce nonce = make_nonce(++seed);
        const Bytes aad = pattern(aad_len, ++seed);
        const Bytes pt = pattern(len, ++seed);
        const Bytes ours = seal_with(sealer, nonce, aad, pt);
        EXPECT_EQ(ours.size(), len + aead_tag_length(id));
        EXPECT_EQ(hex(ours), hex(reference_seal(id, key, nonce, aad, pt)));
        auto back = open_with(opener, nonce, aad, ours);
        ASSERT_TRUE(back.ok()) << back.error().describe();
        EXPECT_EQ(*back, pt);
      }
    }
  }
}

// Reads "label ... = hex [hex continuation lines]" after `from` in `text`,
// skipping '=' signs not followed by hex (e.g. "key = HKDF-Expand-Label(...)").
Bytes value_after(const std::string& text, std::size_t from, const std::string& label) {
  std::size_t pos = text.find(label, from);
  if (pos == std::string::npos) throw std::runtime_error("rfc9001: no " + label);
  auto is_hex_line = [](const std::string& s) {
    bool any = false;
    for (char c : s) {
      if (c == ' ') continue;
      if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
      any = true;
    }
    return any;
  };
  for (std::size_t eq = text.find('=', pos); eq != std::string::npos; eq = text.find('=', eq + 1)) {
    std::size_t eol = text.find('\n', eq);
    std::string first = text.substr(eq + 1, eol - eq - 1);
    if (!is_hex_line(first)) continue;
    std::string all = first;
    while (eol != std::string::npos) {
      const std::size_t next = text.find('\n', eol + 1);
      std::string line = text.substr(eol + 1, next - eol - 1);
      if (!is_hex_line(line)) break;
      all += line;
      eol = next;
    }
    return hex(all);
  }
  throw std::runtime_error("rfc9001: no value for " + label);
}

// RFC 9001 App. A.5 protects a QUIC packet with AEAD_CHACHA20_POLY1305: the
// same AEAD as TLS, with the packet header as additional data.
TEST(Aead, ChaCha20Poly1305MatchesRfc9001AppendixA5) {
  std::ifstream in(test::shared_dir() / "spec" / "rfc9001.txt");
  ASSERT_TRUE(in) << "cannot open rfc9001.txt";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  const std::string heading = "A.5.  ChaCha20-Poly1305 Short Header Packet";
  const std::size_t toc = text.find(heading);
  ASSERT_NE(toc, std::string::npos);
  const std::size_t sec = text.find(heading, toc + heading.size());  // past the contents
  ASSERT_NE(sec, std::string::npos);

  const Bytes key = value_after(text, sec, "key = HKDF-Expand-Label(secret, \"quic key\"");
  const Bytes nonce_b = value_after(text, sec, "nonce ");
  const Bytes header = value_after(text, sec, "unprotected header");
  const Bytes plaintext = value_after(text, sec, "payload plaintext");
  const Bytes ciphertext = value_after(text, sec, "payload ciphertext");
  ASSERT_EQ(key.size(), 32u);
  ASSERT_EQ(nonce_b.size(), 12u);
  ASSERT_EQ(ciphertext.size(), plaintext.size() + 16);
  Nonce nonce{};
  std::copy(nonce_b.begin(), nonce_b.end(), nonce.begin());

  AeadKey sealer = make(AeadId::chacha20_poly1305, AeadDirection::seal, key);
  EXPECT_EQ(hex(seal_with(sealer, nonce, header, plaintext)), hex(ciphertext));
  AeadKey opener = make(AeadId::chacha20_poly1305, AeadDirection::open, key);
  auto back = open_with(opener, nonce, header, ciphertext);
  ASSERT_TRUE(back.ok()) << back.error().describe();
  EXPECT_EQ(*back, plaintext);
}

enum class Tamper { tag, ciphertext, aad, nonce, truncated_tag };

void expect_rejected(Tamper what) {
  for (AeadId id : kAll) {
    SCOPED_TRACE(name(id));
    const Bytes key = pattern(aead_key_length(id), 2);
    AeadKey sealer = make(id, AeadDirection::seal, key);
    AeadKey opener = make(id, AeadDirection::open, key);
    const Nonce nonce = make_nonce(3);
    Bytes aad = pattern(5, 4);
    const Bytes pt = pattern(100, 5);
    const Bytes good = seal_with(sealer, nonce, aad, pt);
    Bytes bad = good;
    Nonce bad_nonce = nonce;
    Bytes bad_aad = aad;
    switch (what) {
      case Tamper::tag:
        bad.back() ^= 0x01;
        break;
      case Tamper::ciphertext:
        bad[7] ^= 0x80;
        break;
      case Tamper::aad:
        bad_aad[4] ^= 0x01;
        break;
      case Tamper::nonce:
        bad_nonce[11] ^= 0x01;
        break;
      case Tamper::truncated_tag: {
        std::span<std::uint8_t> all(bad);
        const std::size_t n = pt.size();
        auto r = opener.open(nonce, aad, all.first(n), all.subspan(n, aead_tag_length(id) - 1));
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().alert, Alert::bad_record_mac);
        break;
      }
    }
    if (what != Tamper::truncated_tag) {
      auto r = open_with(opener, bad_nonce, bad_aad, bad);
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.error().alert, Alert::bad_record_mac);
    }
    // A failure leaves the key usable: the genuine record still opens.
    auto r = open_with(opener, nonce, aad, good);
    ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_EQ(*r, pt);
  }
}

TEST(Aead, TamperedTagIsBadRecordMac) {
  expect_rejected(Tamper::tag);
}
TEST(Aead, TamperedCiphertextIsBadRecordMac) {
  expect_rejected(Tamper::ciphertext);
}
TEST(Aead, TamperedAadIsBadRecordMac) {
  expect_rejected(Tamper::aad);
}
TEST(Aead, WrongNonceIsBadRecordMac) {
  expect_rejected(Tamper::nonce);
}
TEST(Aead, ShortTagIsBadRecordMac) {
  expect_rejected(Tamper::truncated_tag);
}

TEST(Aead, ManyOperationsOnOneKey) {
  for (AeadId id : kAll) {
    SCOPED_TRACE(name(id));
    const Bytes key = pattern(aead_key_length(id), 7);
    AeadKey sealer = make(id, AeadDirection::seal, key);
    AeadKey opener = make(id, AeadDirection::open, key);
    int matched = 0;
    constexpr int kRecords = 500;
    for (int i = 0; i < kRecords; ++i) {
      Nonce nonce{};
      nonce[11] = static_cast<std::uint8_t>(i);
      nonce[10] = static_cast<std::uint8_t>(i >> 8);
      const Bytes aad = pattern(5, static_cast<std::uint8_t>(i));
      const Bytes pt =
          pattern(static_cast<std::size_t>(1 + i % 300), static_cast<std::uint8_t>(i + 1));
      const Bytes ct = seal_with(sealer, nonce, aad, pt);
      if (hex(ct) == hex(reference_seal(id, key, nonce, aad, pt))) ++matched;
      // Every tenth record is corrupted first: a failed open must not
      // disturb the next one.
      if (i % 10 == 0) {
        Bytes bad = ct;
        bad[0] ^= 1;
        auto r = open_with(opener, nonce, aad, bad);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().alert, Alert::bad_record_mac);
      }
      auto back = open_with(opener, nonce, aad, ct);
      ASSERT_TRUE(back.ok()) << "record " << i << ": " << back.error().describe();
      EXPECT_EQ(*back, pt);
    }
    EXPECT_EQ(matched, kRecords);
  }
}

TEST(Aead, WrongKeyLengthIsInternalError) {
  for (AeadId id : kAll) {
    SCOPED_TRACE(name(id));
    for (std::size_t len :
         {std::size_t{0}, aead_key_length(id) - 1, aead_key_length(id) + 1, std::size_t{24}}) {
      for (AeadDirection dir : {AeadDirection::seal, AeadDirection::open}) {
        auto k = AeadKey::create(id, dir, pattern(len, 1));
        ASSERT_FALSE(k.ok()) << len;
        EXPECT_EQ(k.error().alert, Alert::internal_error);
      }
    }
  }
}

TEST(Aead, WrongDirectionIsInternalError) {
  const Bytes key = pattern(16, 1);
  AeadKey opener = make(AeadId::aes_128_gcm, AeadDirection::open, key);
  Bytes buf(32);
  std::span<std::uint8_t> all(buf);
  auto r = opener.seal(make_nonce(1), {}, all.first(16), all.subspan(16));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::internal_error);

  AeadKey sealer = make(AeadId::aes_128_gcm, AeadDirection::seal, key);
  auto r2 = sealer.open(make_nonce(1), {}, all.first(16), all.subspan(16));
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().alert, Alert::internal_error);
}

TEST(Aead, KeysHaveTheSuiteTagLengths) {
  EXPECT_EQ(make(AeadId::aes_128_ccm_8, AeadDirection::seal, pattern(16, 1)).tag_length(), 8u);
  EXPECT_EQ(make(AeadId::aes_128_ccm, AeadDirection::seal, pattern(16, 1)).tag_length(), 16u);
  EXPECT_EQ(make(AeadId::chacha20_poly1305, AeadDirection::open, pattern(32, 1)).tag_length(), 16u);
}

// A key change re-keys the existing context (AeadKey::rekey): the result must
// be exactly a fresh key's (checked against the independent reference), the
// old key must no longer open, and several changes in a row (KeyUpdates)
// must each take effect. The nonce and tag lengths set at creation survive.
TEST(Aead, RekeyedKeyMatchesFreshKeyAndDropsTheOldOne) {
  for (AeadId id : kAll) {
    SCOPED_TRACE(name(id));
    const Bytes key0 = pattern(aead_key_length(id), 30);
    AeadKey sealer = make(id, AeadDirection::seal, key0);
    AeadKey opener = make(id, AeadDirection::open, key0);
    const Nonce nonce = make_nonce(31);
    const Bytes aad = pattern(5, 32);
    const Bytes pt = pattern(77, 33);
    const Bytes old_ct = seal_with(sealer, nonce, aad, pt);
    for (std::uint8_t gen = 1; gen <= 3; ++gen) {
      SCOPED_TRACE("generation " + std::to_string(gen));
      const Bytes key = pattern(aead_key_length(id), static_cast<std::uint8_t>(40 + gen));
      ASSERT_TRUE(sealer.rekey(key).ok());
      ASSERT_TRUE(opener.rekey(key).ok());
      EXPECT_EQ(sealer.tag_length(), aead_tag_length(id));
      const Bytes ct = seal_with(sealer, nonce, aad, pt);
      EXPECT_EQ(hex(ct), hex(reference_seal(id, key, nonce, aad, pt)));
      auto back = open_with(opener, nonce, aad, ct);
      ASSERT_TRUE(back.ok()) << back.error().describe();
      EXPECT_EQ(*back, pt);
      auto stale = open_with(opener, nonce, aad, old_ct);
      ASSERT_FALSE(stale.ok());
      EXPECT_EQ(stale.error().alert, Alert::bad_record_mac);
    }
  }
}

// A failed re-key must not leave the previous key in service.
TEST(Aead, FailedRekeyLeavesTheKeyUnusable) {
  for (AeadId id : kAll) {
    SCOPED_TRACE(name(id));
    const Bytes key = pattern(aead_key_length(id), 50);
    AeadKey sealer = make(id, AeadDirection::seal, key);
    AeadKey opener = make(id, AeadDirection::open, key);
    const Nonce nonce = make_nonce(51);
    const Bytes ct = seal_with(sealer, nonce, {}, pattern(20, 52));

    auto r = opener.rekey(pattern(aead_key_length(id) + 1, 53));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().alert, Alert::internal_error);
    auto back = open_with(opener, nonce, {}, ct);
    ASSERT_FALSE(back.ok());
    EXPECT_EQ(back.error().alert, Alert::internal_error);
    // Nor can it be revived by a later re-key.
    EXPECT_FALSE(opener.rekey(key).ok());

    ASSERT_FALSE(sealer.rekey({}).ok());
    Bytes buf(20 + sealer.tag_length());
    std::span<std::uint8_t> all(buf);
    auto s = sealer.seal(nonce, {}, all.first(20), all.subspan(20));
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().alert, Alert::internal_error);
  }
}

}  // namespace
}  // namespace tls13::crypto
