// RecordSealer / RecordOpener (RFC 8446 §5.2-5.5). Byte-exact checks against
// the RFC 8448 traces live in tests/kat/rfc8448_records_test.cpp.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/aead.h"
#include "record/protection.h"
#include "support/test_support.h"

namespace tls13::record {
namespace {

using crypto::AeadId;
using test::hex;
using Bytes = std::vector<std::uint8_t>;

constexpr AeadId kAll[] = {AeadId::aes_128_gcm, AeadId::aes_256_gcm, AeadId::chacha20_poly1305,
                           AeadId::aes_128_ccm, AeadId::aes_128_ccm_8};

Bytes pattern(std::size_t n, std::uint8_t seed) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(seed + 7 * i + (i >> 8));
  return b;
}

struct Pair {
  RecordSealer sealer;
  RecordOpener opener;
};

Pair make_pair(AeadId id, PaddingPolicy padding = {}) {
  const Bytes key = pattern(crypto::aead_key_length(id), 0x11);
  const Bytes iv = pattern(12, 0x22);
  auto s = RecordSealer::create(id, key, iv, std::move(padding));
  auto o = RecordOpener::create(id, key, iv);
  EXPECT_TRUE(s.ok() && o.ok());
  return Pair{std::move(s).value(), std::move(o).value()};
}

// Seals `content` in a buffer sized exactly by tail_room().
Bytes seal(RecordSealer& s, ContentType type, const Bytes& content) {
  Bytes buf(kRecordHeaderLength + content.size() + s.tail_room(type, content.size()));
  std::copy(content.begin(), content.end(), buf.begin() + kRecordHeaderLength);
  auto n = s.seal(buf, content.size(), type);
  EXPECT_TRUE(n.ok()) << n.error().describe();
  if (!n.ok()) return {};
  EXPECT_EQ(*n, buf.size());
  return buf;
}

void expect_error(const Result<OpenedRecord>& r, Alert a) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, a) << r.error().describe();
}

// Builds a protected record by hand with an arbitrary inner plaintext, using
// the AEAD directly and the §5.3 nonce computed here.
Bytes handmade_record(AeadId id, const Bytes& inner, std::uint64_t seq,
                      std::size_t declared_length = 0) {
  const Bytes key = pattern(crypto::aead_key_length(id), 0x11);
  const Bytes iv = pattern(12, 0x22);
  auto k = crypto::AeadKey::create(id, crypto::AeadDirection::seal, key);
  EXPECT_TRUE(k.ok());
  const std::size_t tag = crypto::aead_tag_length(id);
  const std::size_t len = declared_length ? declared_length : inner.size() + tag;
  // Sized up front (GCC 12 warns falsely on insert into a 5-element vector).
  Bytes rec(5 + inner.size() + tag);
  rec[0] = 23, rec[1] = 3, rec[2] = 3;
  rec[3] = static_cast<std::uint8_t>(len >> 8);
  rec[4] = static_cast<std::uint8_t>(len);
  std::copy(inner.begin(), inner.end(), rec.begin() + 5);
  std::array<std::uint8_t, 12> nonce{};
  for (int i = 0; i < 12; ++i) nonce[i] = iv[i];
  for (int i = 0; i < 8; ++i) nonce[4 + i] ^= static_cast<std::uint8_t>(seq >> (56 - 8 * i));
  std::span<std::uint8_t> all(rec);
  auto r =
      k->seal(nonce, all.first(5), all.subspan(5, inner.size()), all.subspan(5 + inner.size()));
  EXPECT_TRUE(r.ok());
  return rec;
}

TEST(RecordProtection, RoundTripAllAeads) {
  const std::pair<ContentType, std::size_t> cases[] = {
      {ContentType::handshake, 1},
      {ContentType::handshake, 300},
      {ContentType::alert, 2},
      {ContentType::application_data, 0},
      {ContentType::application_data, 50},
      {ContentType::application_data, kMaxPlaintextLength},
  };
  for (AeadId id : kAll) {
    Pair p = make_pair(id);
    std::uint64_t n = 0;
    for (auto [type, len] : cases) {
      SCOPED_TRACE(std::string(to_string(type)) + " len " + std::to_string(len));
      const Bytes content = pattern(len, static_cast<std::uint8_t>(len));
      Bytes rec = seal(p.sealer, type, content);
      const std::size_t body = len + 1 + crypto::aead_tag_length(id);
      ASSERT_EQ(rec.size(), 5 + body);
      EXPECT_EQ(rec[0], 23);  // opaque_type
      EXPECT_EQ(rec[1], 3);
      EXPECT_EQ(rec[2], 3);
      EXPECT_EQ(static_cast<std::size_t>(rec[3] << 8 | rec[4]), body);
      auto opened = p.opener.open(rec);
      ASSERT_TRUE(opened.ok()) << opened.error().describe();
      EXPECT_EQ(opened->type, type);
      EXPECT_EQ(Bytes(opened->content.begin(), opened->content.end()), content);
      // The content is returned in place, just after the header.
      EXPECT_EQ(opened->content.data(), rec.data() + 5);
      ++n;
      EXPECT_EQ(p.sealer.sequence(), n);
      EXPECT_EQ(p.opener.sequence(), n);
    }
  }
}

// The sealed record equals header || AEAD(key, iv XOR seq, header, inner)
// built independently, at a sequence number with every byte non-zero.
TEST(RecordProtection, NonceAndAdditionalDataFollowSection5) {
  const std::uint64_t seq = 0x0102030405060708;
  for (AeadId id : kAll) {
    SCOPED_TRACE(static_cast<int>(id));
    Pair p = make_pair(id);
    p.sealer.traffic_key().set_sequence_for_testing(seq);
    const Bytes content = pattern(40, 3);
    const Bytes rec = seal(p.sealer, ContentType::handshake, content);
    Bytes inner = content;
    inner.push_back(22);
    EXPECT_EQ(hex(rec), hex(handmade_record(id, inner, seq)));
  }
}

TEST(RecordProtection, PaddingToMultipleOpensCorrectly) {
  for (AeadId id : kAll) {
    Pair p = make_pair(id, PaddingPolicy::to_multiple_of(64));
    const std::size_t tag = crypto::aead_tag_length(id);
    for (std::size_t len : {1u, 62u, 63u, 64u, 100u, 1000u}) {
      const Bytes content = pattern(len, 9);
      const Bytes rec = seal(p.sealer, ContentType::application_data, content);
      const std::size_t inner = rec.size() - 5 - tag;
      EXPECT_EQ(inner % 64, 0u) << len;
      EXPECT_GE(inner, len + 1);
      EXPECT_LT(inner, len + 1 + 64);
      Bytes copy = rec;
      auto opened = p.opener.open(copy);
      ASSERT_TRUE(opened.ok()) << opened.error().describe();
      EXPECT_EQ(opened->type, ContentType::application_data);
      EXPECT_EQ(Bytes(opened->content.begin(), opened->content.end()), content);
    }
  }
}

TEST(RecordProtection, PaddingCallbackAndExplicitPadding) {
  Pair p = make_pair(AeadId::chacha20_poly1305,
                     PaddingPolicy::custom([](ContentType t, std::size_t) -> std::size_t {
                       return t == ContentType::alert ? 100 : 3;
                     }));
  EXPECT_EQ(p.sealer.tail_room(ContentType::alert, 2), 1u + 100 + 16);
  EXPECT_EQ(p.sealer.tail_room(ContentType::handshake, 2), 1u + 3 + 16);
  const Bytes alert = {1, 0};
  Bytes rec = seal(p.sealer, ContentType::alert, alert);
  EXPECT_EQ(rec.size(), 5u + 2 + 1 + 100 + 16);
  auto opened = p.opener.open(rec);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->type, ContentType::alert);
  EXPECT_EQ(Bytes(opened->content.begin(), opened->content.end()), alert);

  // Explicit padding overrides the policy.
  Bytes buf(kMaxRecordLength);
  buf[5] = 0x42;
  auto n = p.sealer.seal(buf, 1, ContentType::handshake, 500);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 5u + 1 + 1 + 500 + 16);
  opened = p.opener.open(std::span<std::uint8_t>(buf).first(*n));
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->type, ContentType::handshake);
  ASSERT_EQ(opened->content.size(), 1u);
  EXPECT_EQ(opened->content[0], 0x42);
}

TEST(RecordProtection, PaddingIsCappedAtInnerPlaintextLimit) {
  const PaddingPolicy big = PaddingPolicy::to_multiple_of(4096);
  EXPECT_EQ(big.padding_for(ContentType::application_data, 0), 4095u);
  EXPECT_EQ(big.padding_for(ContentType::application_data, kMaxPlaintextLength), 0u);
  EXPECT_EQ(big.padding_for(ContentType::application_data, kMaxPlaintextLength - 10), 9u);
  // 2^14 content - 1 + type = 16384; the next multiple of 3 (16386) is over
  // the 2^14 + 1 cap, so only one zero fits.
  EXPECT_EQ(
      PaddingPolicy::to_multiple_of(3).padding_for(ContentType::handshake, kMaxPlaintextLength - 1),
      1u);
  const PaddingPolicy huge =
      PaddingPolicy::custom([](ContentType, std::size_t) { return 1u << 20; });
  EXPECT_EQ(huge.padding_for(ContentType::handshake, 100), kMaxInnerPlaintextLength - 101);
  EXPECT_EQ(PaddingPolicy::none().padding_for(ContentType::handshake, 100), 0u);

  Pair p = make_pair(AeadId::aes_128_gcm,
                     PaddingPolicy::custom([](ContentType, std::size_t) { return 1u << 20; }));
  const Bytes content = pattern(1000, 1);
  Bytes rec = seal(p.sealer, ContentType::application_data, content);
  EXPECT_EQ(rec.size(), 5 + kMaxInnerPlaintextLength + 16);
  auto opened = p.opener.open(rec);
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  EXPECT_EQ(opened->content.size(), 1000u);

  // Explicit padding is not capped: it is refused.
  Bytes buf(2 * kMaxRecordLength);
  auto n = p.sealer.seal(buf, 1000, ContentType::application_data, kMaxInnerPlaintextLength - 1000);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().alert, Alert::internal_error);
  EXPECT_EQ(p.sealer.sequence(), 1u);
}

TEST(RecordProtection, TamperedByteIsBadRecordMac) {
  for (AeadId id : kAll) {
    Pair p = make_pair(id);
    const Bytes good = seal(p.sealer, ContentType::handshake, pattern(64, 1));
    // A header byte (additional data), a body byte, the last tag byte.
    for (std::size_t at : {std::size_t{2}, std::size_t{20}, good.size() - 1}) {
      Bytes bad = good;
      bad[at] ^= 0x04;
      expect_error(p.opener.open(bad), Alert::bad_record_mac);
      EXPECT_EQ(p.opener.sequence(), 0u);  // unchanged on failure
    }
    Bytes copy = good;
    EXPECT_TRUE(p.opener.open(copy).ok());
  }
}

TEST(RecordProtection, SkippedOrReplayedRecordIsBadRecordMac) {
  Pair p = make_pair(AeadId::aes_128_gcm);
  Bytes r0 = seal(p.sealer, ContentType::application_data, pattern(10, 1));
  Bytes r1 = seal(p.sealer, ContentType::application_data, pattern(10, 2));
  Bytes r1copy = r1;
  expect_error(p.opener.open(r1), Alert::bad_record_mac);  // seq 1 opened at 0
  Bytes r0copy = r0;
  ASSERT_TRUE(p.opener.open(r0).ok());
  expect_error(p.opener.open(r0copy), Alert::bad_record_mac);  // replay
  EXPECT_TRUE(p.opener.open(r1copy).ok());
  EXPECT_EQ(p.opener.sequence(), 2u);
}

TEST(RecordProtection, AllZeroInnerPlaintextIsUnexpectedMessage) {
  for (AeadId id : kAll) {
    Pair p = make_pair(id);
    Bytes rec = handmade_record(id, Bytes(10, 0), 0);
    expect_error(p.opener.open(rec), Alert::unexpected_message);
    Bytes empty = handmade_record(id, Bytes{}, 0);  // length == tag length
    expect_error(p.opener.open(empty), Alert::unexpected_message);
    EXPECT_EQ(p.opener.sequence(), 0u);
  }
}

TEST(RecordProtection, BadInnerTypeOrEmptyContentIsUnexpectedMessage) {
  const AeadId id = AeadId::aes_128_ccm_8;
  for (const Bytes& inner : {Bytes{1, 20}, Bytes{1, 99, 0, 0}, Bytes{22}, Bytes{21, 0, 0}}) {
    Pair p = make_pair(id);
    Bytes rec = handmade_record(id, inner, 0);
    expect_error(p.opener.open(rec), Alert::unexpected_message);
  }
  // Empty application data is allowed (§5.4), also with padding.
  Pair p = make_pair(id);
  Bytes rec = handmade_record(id, Bytes{23, 0, 0, 0}, 0);
  auto opened = p.opener.open(rec);
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  EXPECT_EQ(opened->type, ContentType::application_data);
  EXPECT_TRUE(opened->content.empty());
}

TEST(RecordProtection, OversizeIsRecordOverflow) {
  for (AeadId id : kAll) {
    SCOPED_TRACE(static_cast<int>(id));
    // Largest allowed inner plaintext: 2^14 content + type byte.
    Bytes max_inner = pattern(kMaxPlaintextLength, 1);
    max_inner.push_back(23);
    {
      Pair p = make_pair(id);
      Bytes rec = handmade_record(id, max_inner, 0);
      EXPECT_TRUE(p.opener.open(rec).ok());
    }
    // One more byte (padding) is over the §5.4 limit, though authentic.
    {
      Pair p = make_pair(id);
      Bytes inner = max_inner;
      inner.push_back(0);
      Bytes rec = handmade_record(id, inner, 0);
      expect_error(p.opener.open(rec), Alert::record_overflow);
    }
    // TLSCiphertext.length over 2^14 + 256 (§5.2).
    {
      Pair p = make_pair(id);
      Bytes rec(5 + kMaxCiphertextLength + 1, 0);
      rec[0] = 23, rec[1] = 3, rec[2] = 3;
      rec[3] = static_cast<std::uint8_t>((kMaxCiphertextLength + 1) >> 8);
      rec[4] = static_cast<std::uint8_t>(kMaxCiphertextLength + 1);
      expect_error(p.opener.open(rec), Alert::record_overflow);
    }
    // The sealer refuses content over 2^14.
    {
      Pair p = make_pair(id);
      Bytes buf(2 * kMaxRecordLength);
      auto n = p.sealer.seal(buf, kMaxPlaintextLength + 1, ContentType::application_data);
      ASSERT_FALSE(n.ok());
      EXPECT_EQ(n.error().alert, Alert::internal_error);
    }
  }
}

TEST(RecordProtection, WrongOpaqueTypeIsUnexpectedMessage) {
  Pair p = make_pair(AeadId::aes_256_gcm);
  Bytes rec = seal(p.sealer, ContentType::handshake, pattern(20, 1));
  for (std::uint8_t t : {22, 20, 21, 0, 24}) {
    Bytes bad = rec;
    bad[0] = t;
    expect_error(p.opener.open(bad), Alert::unexpected_message);
  }
  EXPECT_TRUE(p.opener.open(rec).ok());
}

TEST(RecordProtection, MalformedFramingIsDecodeError) {
  Pair p = make_pair(AeadId::aes_128_gcm);
  Bytes rec = seal(p.sealer, ContentType::handshake, pattern(20, 1));
  Bytes longer = rec;
  longer.push_back(0);
  expect_error(p.opener.open(longer), Alert::decode_error);
  Bytes shorter(rec.begin(), rec.end() - 1);
  expect_error(p.opener.open(shorter), Alert::decode_error);
  Bytes header_only(rec.begin(), rec.begin() + 4);
  expect_error(p.opener.open(header_only), Alert::decode_error);
  // Shorter than a tag cannot authenticate.
  Bytes tiny = {23, 3, 3, 0, 5, 1, 2, 3, 4, 5};
  expect_error(p.opener.open(tiny), Alert::bad_record_mac);
}

TEST(RecordProtection, SealerRefusesInvalidRequests) {
  Pair p = make_pair(AeadId::aes_128_gcm);
  Bytes buf(kMaxRecordLength);
  for (ContentType t :
       {ContentType::change_cipher_spec, ContentType::invalid, static_cast<ContentType>(99)}) {
    auto n = p.sealer.seal(buf, 1, t);
    ASSERT_FALSE(n.ok());
    EXPECT_EQ(n.error().alert, Alert::internal_error);
  }
  for (ContentType t : {ContentType::handshake, ContentType::alert}) {
    auto n = p.sealer.seal(buf, 0, t);
    ASSERT_FALSE(n.ok());
    EXPECT_EQ(n.error().alert, Alert::internal_error);
  }
  // One byte short of the tail room.
  Bytes small(5 + 10 + p.sealer.tail_room(ContentType::handshake, 10) - 1);
  auto n = p.sealer.seal(small, 10, ContentType::handshake);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().alert, Alert::internal_error);
  EXPECT_EQ(p.sealer.sequence(), 0u);
  EXPECT_TRUE(p.sealer.seal(buf, 0, ContentType::application_data).ok());
  EXPECT_EQ(p.sealer.sequence(), 1u);
}

TEST(RecordProtection, WrongKeyOrIvLengthIsInternalError) {
  auto a = RecordSealer::create(AeadId::aes_128_gcm, pattern(16, 1), pattern(8, 1));
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().alert, Alert::internal_error);
  auto b = RecordOpener::create(AeadId::aes_128_gcm, pattern(16, 1), pattern(13, 1));
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().alert, Alert::internal_error);
  auto c = RecordOpener::create(AeadId::chacha20_poly1305, pattern(16, 1), pattern(12, 1));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().alert, Alert::internal_error);
}

TEST(RecordProtection, SequenceNumberNeverWraps) {
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  for (AeadId id : kAll) {
    Pair p = make_pair(id);
    p.sealer.traffic_key().set_sequence_for_testing(kMax - 1);
    p.opener.traffic_key().set_sequence_for_testing(kMax - 1);
    Bytes last = seal(p.sealer, ContentType::application_data, pattern(5, 1));
    EXPECT_EQ(p.sealer.sequence(), kMax);
    EXPECT_TRUE(p.sealer.traffic_key().exhausted());
    EXPECT_TRUE(p.sealer.needs_key_update());
    Bytes buf(kMaxRecordLength);
    auto n = p.sealer.seal(buf, 5, ContentType::application_data);
    ASSERT_FALSE(n.ok());
    EXPECT_EQ(n.error().alert, Alert::internal_error);
    EXPECT_EQ(p.sealer.sequence(), kMax);

    ASSERT_TRUE(p.opener.open(last).ok());
    EXPECT_EQ(p.opener.sequence(), kMax);
    Bytes another = handmade_record(id, Bytes{1, 23}, kMax);
    expect_error(p.opener.open(another), Alert::unexpected_message);
    EXPECT_EQ(p.opener.sequence(), kMax);
  }
}

TEST(RecordProtection, UsageLimitSignalsKeyUpdate) {
  EXPECT_EQ(default_usage_limit(AeadId::aes_128_gcm), 23726566u);  // 2^24.5
  EXPECT_EQ(default_usage_limit(AeadId::aes_256_gcm), 23726566u);
  EXPECT_EQ(default_usage_limit(AeadId::chacha20_poly1305),
            std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(default_usage_limit(AeadId::aes_128_ccm), 1u << 23);
  EXPECT_EQ(default_usage_limit(AeadId::aes_128_ccm_8), 1u << 23);

  Pair p = make_pair(AeadId::aes_128_gcm);
  EXPECT_EQ(p.sealer.traffic_key().usage_limit(), 23726566u);
  p.sealer.traffic_key().set_usage_limit(3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(p.sealer.needs_key_update());
    seal(p.sealer, ContentType::application_data, pattern(1, 1));
  }
  EXPECT_TRUE(p.sealer.needs_key_update());
  // Advisory: sealing continues until the hard wrap guard.
  seal(p.sealer, ContentType::application_data, pattern(1, 1));
  EXPECT_EQ(p.sealer.sequence(), 4u);

  Pair q = make_pair(AeadId::aes_128_gcm);
  q.sealer.traffic_key().set_sequence_for_testing(23726565);
  EXPECT_FALSE(q.sealer.needs_key_update());
  seal(q.sealer, ContentType::application_data, pattern(1, 1));
  EXPECT_TRUE(q.sealer.needs_key_update());
}

TEST(RecordProtection, ManyRecordsOnOneKey) {
  for (AeadId id : kAll) {
    Pair p = make_pair(id, PaddingPolicy::to_multiple_of(32));
    for (int i = 0; i < 2000; ++i) {
      const auto type = i % 3 == 0 ? ContentType::handshake : ContentType::application_data;
      const Bytes content =
          pattern(1 + static_cast<std::size_t>(i) % 500, static_cast<std::uint8_t>(i));
      Bytes rec = seal(p.sealer, type, content);
      auto opened = p.opener.open(rec);
      ASSERT_TRUE(opened.ok()) << "record " << i << ": " << opened.error().describe();
      ASSERT_EQ(opened->type, type);
      ASSERT_EQ(Bytes(opened->content.begin(), opened->content.end()), content);
    }
    EXPECT_EQ(p.sealer.sequence(), 2000u);
    EXPECT_EQ(p.opener.sequence(), 2000u);
  }
}

// A key change in place (rekey) behaves as a fresh sealer/opener with the
// new key and IV: byte-identical records from sequence number 0, the usage
// limit back at its default, the padding policy kept, and records under the
// old key rejected.
TEST(RecordProtection, RekeyEqualsFreshKeyFromSequenceZero) {
  for (AeadId id : kAll) {
    SCOPED_TRACE(static_cast<int>(id));
    Pair p = make_pair(id, PaddingPolicy::to_multiple_of(16));
    const Bytes content = pattern(30, 9);
    for (int i = 0; i < 3; ++i) {
      Bytes rec = seal(p.sealer, ContentType::application_data, content);
      ASSERT_TRUE(p.opener.open(rec).ok());
    }
    p.sealer.traffic_key().set_usage_limit(5);
    const Bytes old_rec = seal(p.sealer, ContentType::application_data, content);

    const Bytes key = pattern(crypto::aead_key_length(id), 0x33);
    const Bytes iv = pattern(12, 0x44);
    ASSERT_TRUE(p.sealer.rekey(key, iv).ok());
    ASSERT_TRUE(p.opener.rekey(key, iv).ok());
    EXPECT_EQ(p.sealer.sequence(), 0u);
    EXPECT_EQ(p.opener.sequence(), 0u);
    EXPECT_EQ(p.sealer.traffic_key().usage_limit(), default_usage_limit(id));

    auto fresh = RecordSealer::create(id, key, iv, PaddingPolicy::to_multiple_of(16));
    ASSERT_TRUE(fresh.ok());
    for (int i = 0; i < 3; ++i) {
      const Bytes ours = seal(p.sealer, ContentType::handshake, content);
      EXPECT_EQ(hex(ours), hex(seal(*fresh, ContentType::handshake, content)));
      Bytes copy = ours;
      auto opened = p.opener.open(copy);
      ASSERT_TRUE(opened.ok()) << opened.error().describe();
      EXPECT_EQ(Bytes(opened->content.begin(), opened->content.end()), content);
    }
    Bytes stale = old_rec;
    expect_error(p.opener.open(stale), Alert::bad_record_mac);
  }
}

TEST(RecordProtection, FailedRekeyLeavesNoUsableKey) {
  Pair p = make_pair(AeadId::aes_128_gcm);
  const Bytes rec = seal(p.sealer, ContentType::application_data, pattern(10, 1));
  auto r = p.opener.rekey(pattern(16, 2), pattern(8, 3));  // IV too short
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::internal_error);
  Bytes copy = rec;
  expect_error(p.opener.open(copy), Alert::internal_error);

  ASSERT_FALSE(p.sealer.rekey(pattern(15, 2), pattern(12, 3)).ok());  // key too short
  Bytes buf(kMaxRecordLength);
  auto n = p.sealer.seal(buf, 5, ContentType::application_data);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().alert, Alert::internal_error);
}

}  // namespace
}  // namespace tls13::record
