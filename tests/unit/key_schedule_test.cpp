// Key schedule building blocks: HkdfLabel encoding, the transcript (buffering,
// HelloRetryRequest rule, binder prefix hashing), the typestate stages and the
// free functions (Finished, binders, traffic keys, KeyUpdate, exporters).
// The full RFC 8448 traces are in tests/kat/rfc8448_keysched_test.cpp.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <type_traits>
#include <vector>

#include "crypto/hmac.h"
#include "keysched/hkdf_label.h"
#include "keysched/key_schedule.h"
#include "keysched/transcript.h"
#include "support/test_support.h"

namespace tls13::ks {
namespace {

using Bytes = std::vector<std::uint8_t>;
using crypto::AeadId;
using crypto::Hash;
using test::hex;

Bytes info(std::uint16_t len, std::string_view label, std::span<const std::uint8_t> ctx) {
  std::array<std::uint8_t, kMaxHkdfLabelSize> buf{};
  const std::size_t n = encode_hkdf_label(len, label, ctx, buf);
  return Bytes(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
}

Bytes concat(std::initializer_list<std::span<const std::uint8_t>> parts) {
  Bytes out;
  for (auto p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// A value printed in an RFC 8448 §3 step, e.g. ("derive secret for
// handshake", "info").
Bytes step_value(std::string_view action_prefix, std::string_view label) {
  for (const auto& step : test::rfc8448_section("3").at("steps")) {
    if (step.at("action").get<std::string>().rfind(action_prefix, 0) != 0) continue;
    if (!step.contains("values")) continue;
    for (const auto& v : step.at("values"))
      if (v.at("label") == label) return test::hex(v.at("hex").get<std::string>());
  }
  throw std::runtime_error("RFC 8448 §3 has no step " + std::string(action_prefix));
}

Bytes msg(std::size_t i, std::string_view section = "3") {
  return test::hex(
      test::rfc8448_section(section).at("handshake_messages").at(i).at("hex").get<std::string>());
}

// --- HkdfLabel ---

TEST(HkdfLabel, EncodesRfc8448Infos) {
  // "tls13 derived" with Hash("") as context, as printed in RFC 8448 §3.
  const Digest empty = Hash::empty(HashId::sha256);
  EXPECT_EQ(hex(info(32, "derived", empty.span())),
            hex(step_value("derive secret for handshake", "info")));
  EXPECT_EQ(hex(info(32, "derived", empty.span())),
            "00200d746c733133206465726976656420"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex(info(16, "key", {})), hex(step_value("derive write traffic keys", "key info")));
  EXPECT_EQ(hex(info(12, "iv", {})), hex(step_value("derive write traffic keys", "iv info")));
  EXPECT_EQ(hex(info(32, "finished", {})), "00200e746c7331332066696e697368656400");
  EXPECT_EQ(hex(info(32, "resumption", hex("0000"))),
            hex(step_value("generate resumption", "info")));
}

TEST(HkdfLabel, LabelAndContextLimits) {
  std::array<std::uint8_t, kMaxHkdfLabelSize> buf{};
  const std::string max_label(kMaxLabelLength, 'a');
  const Bytes max_ctx(kMaxContextLength, 1);
  EXPECT_EQ(encode_hkdf_label(1, max_label, max_ctx, buf), kMaxHkdfLabelSize);
  EXPECT_EQ(buf[2], 255);                            // "tls13 " + 249 octets
  EXPECT_EQ(encode_hkdf_label(1, "", {}, buf), 0u);  // label<7..255>
  EXPECT_EQ(encode_hkdf_label(1, "", {}, buf, LabelRule::exporter), 2u + 1 + 6 + 1);
  EXPECT_EQ(encode_hkdf_label(1, max_label + "a", {}, buf), 0u);
  EXPECT_EQ(encode_hkdf_label(1, "x", Bytes(256, 0), buf), 0u);

  Bytes out(16);
  const Bytes secret(32, 1);
  EXPECT_FALSE(hkdf_expand_label(HashId::sha256, secret, "", {}, out));
  EXPECT_FALSE(hkdf_expand_label(HashId::sha256, secret, max_label + "a", {}, out));
  Bytes too_long(255 * 32 + 1);
  EXPECT_FALSE(hkdf_expand_label(HashId::sha256, secret, "key", {}, too_long));
}

TEST(HkdfLabel, ExpandLabelIsHkdfExpandOverHkdfLabel) {
  const Bytes secret(48, 0x5a);
  const Bytes ctx = hex("0102030405");
  Bytes via_label(40), via_expand(40);
  ASSERT_TRUE(hkdf_expand_label(HashId::sha384, secret, "my label", ctx, via_label));
  ASSERT_TRUE(crypto::hkdf_expand(HashId::sha384, secret, info(40, "my label", ctx), via_expand));
  EXPECT_EQ(hex(via_label), hex(via_expand));
  // The length is part of the info: a shorter output is not a prefix.
  Bytes shorter(20);
  ASSERT_TRUE(hkdf_expand_label(HashId::sha384, secret, "my label", ctx, shorter));
  EXPECT_NE(hex(shorter), hex(std::span(via_label).first(20)));
}

TEST(HkdfLabel, DeriveSecretUsesHashLength) {
  const Bytes secret(48, 9);
  const Digest h = Hash::oneshot(HashId::sha384, hex("abcd"));
  const auto s = derive_secret(HashId::sha384, secret, "c hs traffic", h);
  Bytes expect(48);
  ASSERT_TRUE(hkdf_expand_label(HashId::sha384, secret, "c hs traffic", h.span(), expect));
  EXPECT_EQ(hex(s.span()), hex(expect));
}

// --- Transcript ---

TEST(Transcript, BuffersUntilHashChosen) {
  const Bytes ch = msg(0), sh = msg(1), ee = msg(2);
  Transcript t;
  EXPECT_FALSE(t.has_hash());
  EXPECT_FALSE(t.hash_id().has_value());
  t.add(ch);
  EXPECT_EQ(t.current_hash().size(), 0u);  // no hash yet
  EXPECT_EQ(t.hash_with(ee).size(), 0u);
  ASSERT_TRUE(t.set_hash(HashId::sha256).ok());
  EXPECT_EQ(t.hash_id(), HashId::sha256);
  t.add(sh);
  t.add(ee);
  EXPECT_EQ(t.message_count(), 3u);

  Transcript direct(HashId::sha256);
  for (const auto& m : {ch, sh, ee}) direct.add(m);
  EXPECT_EQ(t.current_hash(), direct.current_hash());
  EXPECT_EQ(t.current_hash(), Hash::oneshot(HashId::sha256, concat({ch, sh, ee})));
}

TEST(Transcript, BufferedMessagesHashUnderEitherSuite) {
  const Bytes ch = msg(0);
  Transcript t;
  t.add(ch);
  EXPECT_EQ(t.hash_with(HashId::sha256, {}), Hash::oneshot(HashId::sha256, ch));
  EXPECT_EQ(t.hash_with(HashId::sha384, {}), Hash::oneshot(HashId::sha384, ch));
  ASSERT_TRUE(t.set_hash(HashId::sha384).ok());
  EXPECT_EQ(t.current_hash(), Hash::oneshot(HashId::sha384, ch));
  EXPECT_EQ(t.current_hash().size(), 48u);
  // Once chosen, asking under another hash gives nothing.
  EXPECT_EQ(t.hash_with(HashId::sha256, {}).size(), 0u);
}

TEST(Transcript, HashIsFixedOnce) {
  Transcript t;
  ASSERT_TRUE(t.set_hash(HashId::sha256).ok());
  EXPECT_TRUE(t.set_hash(HashId::sha256).ok());
  auto r = t.set_hash(HashId::sha384);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::internal_error);
}

TEST(Transcript, HelloRetryRequestReplacesClientHello1) {
  // RFC 8448 §5: ClientHello1, HelloRetryRequest, ClientHello2.
  const Bytes ch1 = msg(0, "5"), hrr = msg(1, "5"), ch2 = msg(2, "5");
  Transcript t;
  t.add(ch1);
  ASSERT_TRUE(t.set_hash(HashId::sha256).ok());
  ASSERT_TRUE(t.replace_with_message_hash().ok());
  const Digest h1 = Hash::oneshot(HashId::sha256, ch1);
  const Bytes message_hash = concat({hex("fe000020"), h1.span()});
  EXPECT_EQ(t.current_hash(), Hash::oneshot(HashId::sha256, message_hash));
  t.add(hrr);
  t.add(ch2);
  EXPECT_EQ(t.current_hash(), Hash::oneshot(HashId::sha256, concat({message_hash, hrr, ch2})));
  EXPECT_EQ(t.message_count(), 3u);
}

TEST(Transcript, MessageHashNeedsExactlyClientHello1AndAHash) {
  Transcript unhashed;
  unhashed.add(msg(0));
  EXPECT_EQ(unhashed.replace_with_message_hash().error().alert, Alert::internal_error);

  Transcript empty(HashId::sha256);
  EXPECT_FALSE(empty.replace_with_message_hash().ok());

  Transcript two(HashId::sha256);
  two.add(msg(0));
  two.add(msg(1));
  EXPECT_FALSE(two.replace_with_message_hash().ok());
}

TEST(Transcript, StatelessRetryFromCookieMatchesReplace) {
  const Bytes ch1 = msg(0, "5"), hrr = msg(1, "5");
  Transcript a(HashId::sha256);
  a.add(ch1);
  ASSERT_TRUE(a.replace_with_message_hash().ok());
  a.add(hrr);

  Transcript b(HashId::sha256);
  ASSERT_TRUE(b.start_with_message_hash(Hash::oneshot(HashId::sha256, ch1)).ok());
  b.add(hrr);
  EXPECT_EQ(a.current_hash(), b.current_hash());

  Transcript wrong_len(HashId::sha256);
  EXPECT_FALSE(wrong_len.start_with_message_hash(Hash::oneshot(HashId::sha384, ch1)).ok());
  EXPECT_FALSE(a.start_with_message_hash(Hash::oneshot(HashId::sha256, ch1)).ok());
}

TEST(Transcript, HashWithLeavesTranscriptUnchanged) {
  const Bytes ch = msg(0), sh = msg(1);
  const Bytes partial = hex("0100aabbccdd");
  Transcript t(HashId::sha256);
  t.add(ch);
  t.add(sh);
  const Digest before = t.current_hash();
  EXPECT_EQ(t.hash_with(partial), Hash::oneshot(HashId::sha256, concat({ch, sh, partial})));
  EXPECT_EQ(t.hash_with(HashId::sha256, partial), t.hash_with(partial));
  EXPECT_EQ(t.current_hash(), before);
  EXPECT_EQ(t.message_count(), 2u);
}

TEST(Transcript, CloneIsIndependent) {
  Transcript t(HashId::sha256);
  t.add(msg(0));
  Transcript c = t.clone();
  c.add(msg(1));
  EXPECT_EQ(t.current_hash(), Hash::oneshot(HashId::sha256, msg(0)));
  EXPECT_EQ(c.current_hash(), Hash::oneshot(HashId::sha256, concat({msg(0), msg(1)})));

  Transcript u;
  u.add(msg(0));
  Transcript uc = u.clone();
  ASSERT_TRUE(uc.set_hash(HashId::sha256).ok());
  EXPECT_FALSE(u.has_hash());
  EXPECT_EQ(uc.current_hash(), Hash::oneshot(HashId::sha256, msg(0)));
}

// --- Typestate ---

template <class T>
concept EqualityComparable = requires(const T& a) {
  a == a;
};
template <class T>
concept HandshakeFromLvalue = requires(T& s, std::span<const std::uint8_t> b) {
  s.handshake(b);
};
template <class T>
concept HandshakeFromRvalue = requires(T&& s, std::span<const std::uint8_t> b) {
  std::move(s).handshake(b);
};
template <class T>
concept MasterFromLvalue = requires(T& s) {
  s.master();
};
template <class T>
concept MasterFromRvalue = requires(T&& s) {
  std::move(s).master();
};

template <class T>
constexpr bool kMoveOnly =
    !std::is_copy_constructible_v<T> && !std::is_copy_assignable_v<T> &&
    std::is_nothrow_move_constructible_v<T> && std::is_nothrow_move_assignable_v<T>;

static_assert(kMoveOnly<EarlySecret>);
static_assert(kMoveOnly<HandshakeSecret>);
static_assert(kMoveOnly<MasterSecret>);
static_assert(kMoveOnly<TrafficSecret>);
static_assert(kMoveOnly<BinderKey>);
static_assert(kMoveOnly<FinishedKey>);
static_assert(kMoveOnly<ExporterMasterSecret>);
static_assert(kMoveOnly<ResumptionMasterSecret>);
static_assert(kMoveOnly<ResumptionPsk>);
static_assert(kMoveOnly<Transcript>);
static_assert(!EqualityComparable<TrafficSecret>);
static_assert(!EqualityComparable<ResumptionPsk>);
// A stage advances only from an rvalue: the old stage is gone afterwards.
static_assert(!HandshakeFromLvalue<EarlySecret>);
static_assert(HandshakeFromRvalue<EarlySecret>);
static_assert(!MasterFromLvalue<HandshakeSecret>);
static_assert(MasterFromRvalue<HandshakeSecret>);
// Stages are only reachable through the schedule.
static_assert(!std::is_constructible_v<HandshakeSecret, HashId, Secret<64>&&>);
static_assert(!std::is_constructible_v<MasterSecret, HashId, Secret<64>&&>);
// A binder key is not a traffic secret.
static_assert(!std::is_convertible_v<BinderKey, TrafficSecret>);

TEST(KeySchedule, AdvancingWipesThePreviousStage) {
  EarlySecret es = EarlySecret::no_psk(HashId::sha256);
  EXPECT_EQ(es.span().size(), 32u);
  HandshakeSecret hs = std::move(es).handshake(Bytes(32, 1));
  EXPECT_TRUE(es.span().empty());  // NOLINT(bugprone-use-after-move): checking the wipe
  MasterSecret ms = std::move(hs).master();
  EXPECT_TRUE(hs.span().empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(ms.span().size(), 32u);
}

TEST(KeySchedule, NoPskIsZeroPsk) {
  EXPECT_EQ(hex(EarlySecret::no_psk(HashId::sha256).span()),
            hex(EarlySecret::from_psk(HashId::sha256, Bytes(32, 0)).span()));
  // RFC 8448 §3 prints this Early Secret.
  EXPECT_EQ(hex(EarlySecret::no_psk(HashId::sha256).span()),
            hex(test::rfc8448_named("3", "early_secret")));
  EXPECT_EQ(EarlySecret::no_psk(HashId::sha384).span().size(), 48u);
}

TEST(KeySchedule, PskKeUsesZeroSharedSecret) {
  const Bytes psk(32, 0x42);
  EarlySecret es = EarlySecret::from_psk(HashId::sha256, psk);
  const auto salt =
      derive_secret(HashId::sha256, es.span(), "derived", Hash::empty(HashId::sha256));
  const auto expect = crypto::hkdf_extract(HashId::sha256, salt.span(), Bytes(32, 0));
  HandshakeSecret hs = std::move(es).handshake({});
  EXPECT_EQ(hex(hs.span()), hex(expect.span()));
}

TEST(KeySchedule, BinderLabelsSeparatePskKinds) {
  const EarlySecret es = EarlySecret::from_psk(HashId::sha256, Bytes(32, 7));
  const BinderKey ext = es.binder_key(PskKind::external);
  const BinderKey res = es.binder_key(PskKind::resumption);
  EXPECT_NE(hex(ext.span()), hex(res.span()));
  EXPECT_EQ(hex(ext.span()),
            hex(derive_secret(HashId::sha256, es.span(), "ext binder", Hash::empty(HashId::sha256))
                    .span()));
  EXPECT_EQ(hex(res.span()),
            hex(derive_secret(HashId::sha256, es.span(), "res binder", Hash::empty(HashId::sha256))
                    .span()));
}

TEST(KeySchedule, Sha384SuiteLengths) {
  const Digest th = Hash::oneshot(HashId::sha384, hex("01"));
  HandshakeSecret hs = EarlySecret::no_psk(HashId::sha384).handshake(Bytes(48, 3));
  EXPECT_EQ(hs.hash(), HashId::sha384);
  const TrafficSecret c = hs.client_handshake_traffic_secret(th);
  EXPECT_EQ(c.size(), 48u);
  EXPECT_EQ(c.hash(), HashId::sha384);
  const TrafficKeys k = traffic_keys(c, AeadId::aes_256_gcm);
  EXPECT_EQ(k.key.size(), 32u);
  EXPECT_EQ(k.iv.size(), 12u);
  EXPECT_EQ(finished_verify_data(c, th).size(), 48u);
  MasterSecret ms = std::move(hs).master();
  EXPECT_EQ(ms.resumption_master_secret(th).size(), 48u);
}

TEST(KeySchedule, TrafficKeyLengthsFollowTheAead) {
  const TrafficSecret s(HashId::sha256, Bytes(32, 1));
  for (AeadId a : {AeadId::aes_128_gcm, AeadId::aes_256_gcm, AeadId::chacha20_poly1305,
                   AeadId::aes_128_ccm, AeadId::aes_128_ccm_8}) {
    const TrafficKeys k = traffic_keys(s, a);
    EXPECT_EQ(k.key.size(), crypto::aead_key_length(a));
    EXPECT_EQ(k.iv.size(), crypto::kAeadNonceLength);
  }
  // A 16-octet key is not the prefix of the 32-octet one (length is in the label).
  EXPECT_NE(hex(traffic_keys(s, AeadId::aes_128_gcm).key.span()),
            hex(traffic_keys(s, AeadId::aes_256_gcm).key.span().first(16)));
}

TEST(KeySchedule, NextApplicationTrafficSecretDiffers) {
  const TrafficSecret s0(HashId::sha256,
                         test::rfc8448_named("3", "client_application_traffic_secret_0"));
  const TrafficSecret s1 = next_application_traffic_secret(s0);
  const TrafficSecret s2 = next_application_traffic_secret(s1);
  EXPECT_NE(hex(s0.span()), hex(s1.span()));
  EXPECT_NE(hex(s1.span()), hex(s2.span()));
  EXPECT_EQ(s1.hash(), HashId::sha256);
  Bytes expect(32);
  ASSERT_TRUE(hkdf_expand_label(HashId::sha256, s0.span(), "traffic upd", {}, expect));
  EXPECT_EQ(hex(s1.span()), hex(expect));
  // Deterministic: both sides compute the same next generation.
  EXPECT_EQ(hex(next_application_traffic_secret(s0.clone()).span()), hex(s1.span()));
}

TEST(KeySchedule, FinishedVerifiesAndRejectsAnyChange) {
  const TrafficSecret base(HashId::sha256,
                           test::rfc8448_named("3", "server_handshake_traffic_secret"));
  const Digest th = Hash::oneshot(HashId::sha256, hex("0102"));
  const Digest vd = finished_verify_data(base, th);
  EXPECT_TRUE(verify_finished(base, th, vd.span()).ok());
  Bytes bad(vd.span().begin(), vd.span().end());
  bad[31] ^= 1;
  auto r = verify_finished(base, th, bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::decrypt_error);
  EXPECT_EQ(verify_finished(base, th, vd.span().first(31)).error().alert, Alert::decrypt_error);
  // verify_data = HMAC(finished_key, transcript hash).
  EXPECT_EQ(vd, crypto::hmac(HashId::sha256, finished_key(base).span(), th.span()));
}

TEST(KeySchedule, BinderVerifiesAndRejectsAnyChange) {
  const EarlySecret es = EarlySecret::from_psk(HashId::sha256, Bytes(32, 9));
  const BinderKey bk = es.binder_key(PskKind::external);
  const Digest bh = Hash::oneshot(HashId::sha256, hex("010000"));
  const Digest binder = psk_binder(bk, bh);
  EXPECT_TRUE(verify_psk_binder(bk, bh, binder.span()).ok());
  Bytes bad(binder.span().begin(), binder.span().end());
  bad[0] ^= 0x80;
  EXPECT_EQ(verify_psk_binder(bk, bh, bad).error().alert, Alert::decrypt_error);
  EXPECT_FALSE(verify_psk_binder(es.binder_key(PskKind::resumption), bh, binder.span()).ok());
}

TEST(KeySchedule, ResumptionPskDependsOnNonce) {
  const ResumptionMasterSecret rms(HashId::sha256,
                                   test::rfc8448_named("3", "resumption_master_secret"));
  auto a = resumption_psk(rms, hex("0000"));
  auto b = resumption_psk(rms, hex("0001"));
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(hex(a->span()), hex(test::rfc8448_named("3", "resumption_psk")));
  EXPECT_NE(hex(a->span()), hex(b->span()));
  EXPECT_TRUE(resumption_psk(rms, Bytes(255, 1)).ok());
  EXPECT_EQ(resumption_psk(rms, Bytes(256, 1)).error().alert, Alert::internal_error);
}

// Both sides run the schedule from the same inputs; their exporters agree.
TEST(KeySchedule, ExporterIsSymmetricAndSeparatesInputs) {
  const Bytes shared(32, 0x11);
  const Digest th = Hash::oneshot(HashId::sha256, hex("aa"));
  auto run = [&] {
    return EarlySecret::no_psk(HashId::sha256)
        .handshake(shared)
        .master()
        .exporter_master_secret(th);
  };
  const ExporterMasterSecret client = run();
  const ExporterMasterSecret server = run();
  auto out = [](const ExporterMasterSecret& s, std::string_view label, const Bytes& ctx,
                std::size_t n) {
    Bytes v(n);
    EXPECT_TRUE(export_keying_material(s, label, ctx, v).ok());
    return hex(v);
  };
  EXPECT_EQ(out(client, "EXPORTER-test", hex("0102"), 32),
            out(server, "EXPORTER-test", hex("0102"), 32));
  EXPECT_NE(out(client, "EXPORTER-test", hex("0102"), 32),
            out(client, "EXPORTER-other", hex("0102"), 32));
  EXPECT_NE(out(client, "EXPORTER-test", hex("0102"), 32),
            out(client, "EXPORTER-test", hex("0103"), 32));
  EXPECT_NE(out(client, "EXPORTER-test", {}, 16),
            out(client, "EXPORTER-test", {}, 32).substr(0, 32));  // length is bound in

  // The §7.5 composition, spelled out.
  const auto inner =
      derive_secret(HashId::sha256, client.span(), "EXPORTER-test", Hash::empty(HashId::sha256));
  Bytes expect(32);
  ASSERT_TRUE(hkdf_expand_label(HashId::sha256, inner.span(), "exporter",
                                Hash::oneshot(HashId::sha256, hex("0102")).span(), expect));
  EXPECT_EQ(out(client, "EXPORTER-test", hex("0102"), 32), hex(expect));
}

TEST(KeySchedule, ExporterRejectsBadArguments) {
  const ExporterMasterSecret s(HashId::sha256, Bytes(32, 5));
  Bytes v(32);
  EXPECT_TRUE(export_keying_material(s, "", {}, v).ok());  // RFC 5705: any label
  EXPECT_FALSE(export_keying_material(s, std::string(250, 'x'), {}, v).ok());
  EXPECT_TRUE(export_keying_material(s, std::string(249, 'x'), {}, v).ok());
  Bytes none;
  EXPECT_FALSE(export_keying_material(s, "EXPORTER-x", {}, none).ok());
  Bytes huge(255 * 32 + 1);
  EXPECT_FALSE(export_keying_material(s, "EXPORTER-x", {}, huge).ok());
}

TEST(KeySchedule, EarlyExporterIsSeparate) {
  const Digest ch = Hash::oneshot(HashId::sha256, hex("01"));
  const EarlySecret es = EarlySecret::from_psk(HashId::sha256, Bytes(32, 2));
  const EarlyExporterMasterSecret early = es.early_exporter_master_secret(ch);
  const TrafficSecret cets = es.client_early_traffic_secret(ch);
  EXPECT_NE(hex(early.span()), hex(cets.span()));
  Bytes v(32);
  EXPECT_TRUE(export_keying_material(early, "EXPORTER-early", {}, v).ok());
}

}  // namespace
}  // namespace tls13::ks
