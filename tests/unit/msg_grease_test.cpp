// GREASE (RFC 8701): the reserved values are recognised, and survive every
// codec that carries them.
#include <set>

#include <gtest/gtest.h>

#include "msg/client_hello.h"
#include "msg/ext_groups_sigalgs.h"
#include "msg/ext_key_share.h"
#include "msg/ext_names.h"
#include "msg/ext_psk.h"
#include "msg/ext_supported_versions.h"
#include "msg/grease.h"
#include "msg/handshake.h"
#include "support/test_support.h"
#include "unit/msg_test_util.h"

namespace tls13::msg {
namespace {

using tls13::test::hex;

// RFC 8701 §2, typed in from the RFC.
constexpr std::uint16_t kGrease[] = {0x0A0A, 0x1A1A, 0x2A2A, 0x3A3A, 0x4A4A, 0x5A5A,
                                     0x6A6A, 0x7A7A, 0x8A8A, 0x9A9A, 0xAAAA, 0xBABA,
                                     0xCACA, 0xDADA, 0xEAEA, 0xFAFA};
constexpr std::uint8_t kGreasePskModes[] = {0x0B, 0x2A, 0x49, 0x68, 0x87, 0xA6, 0xC5, 0xE4};

TEST(MsgGrease, ExactlyTheReservedValues) {
  std::set<std::uint16_t> reserved(std::begin(kGrease), std::end(kGrease));
  for (std::uint32_t v = 0; v <= 0xffff; ++v) {
    EXPECT_EQ(is_grease(static_cast<std::uint16_t>(v)), reserved.count(v) == 1) << v;
  }
  std::set<std::uint8_t> modes(std::begin(kGreasePskModes), std::end(kGreasePskModes));
  for (unsigned v = 0; v <= 0xff; ++v) {
    EXPECT_EQ(is_grease_psk_mode(static_cast<std::uint8_t>(v)), modes.count(v) == 1) << v;
  }
}

TEST(MsgGrease, SeedsCoverEveryValue) {
  std::set<std::uint16_t> got;
  std::set<std::uint8_t> got_modes;
  for (unsigned seed = 0; seed <= 0xff; ++seed) {
    const auto v = grease_value(static_cast<std::uint8_t>(seed));
    EXPECT_TRUE(is_grease(v));
    got.insert(v);
    const auto m = grease_psk_mode(static_cast<std::uint8_t>(seed));
    EXPECT_TRUE(is_grease_psk_mode(m));
    got_modes.insert(m);
  }
  EXPECT_EQ(got.size(), 16u);
  EXPECT_EQ(got_modes.size(), 8u);
  EXPECT_EQ(grease_value(0x00), 0x0a0a);
  EXPECT_EQ(grease_value(0xf3), 0xfafa);
}

TEST(MsgGrease, AlpnIdentifiers) {
  const std::uint8_t g[] = {0x3a, 0x3a}, not_g[] = {0x3a, 0x4a}, h2[] = {'h', '2'};
  const std::uint8_t three[] = {0x3a, 0x3a, 0x3a};
  EXPECT_TRUE(is_grease_alpn(g));
  EXPECT_FALSE(is_grease_alpn(not_g));
  EXPECT_FALSE(is_grease_alpn(h2));
  EXPECT_FALSE(is_grease_alpn(three));
}

// A ClientHello as a GREASE-ing client builds it: GREASE cipher suite,
// extension, group, key share, signature scheme, version, PSK mode and ALPN.
TEST(MsgGrease, RoundTripsThroughClientHello) {
  const std::uint16_t g = grease_value(0x5f);
  const std::vector<std::uint8_t> share = {0x00}, one_byte = {0x00};
  const std::vector<std::uint8_t> alpn_grease = {0x5a, 0x5a}, h2 = {'h', '2'};

  ClientHello ch;
  ch.random.fill(0x11);
  ch.cipher_suites = {static_cast<CipherSuite>(g), CipherSuite::aes_128_gcm_sha256};
  ch.extensions.add(g, {});  // empty GREASE extension first
  ch.extensions.add(NamedGroupList{{static_cast<NamedGroup>(g), NamedGroup::x25519}});
  ch.extensions.add(KeyShareClientHello{{KeyShareEntry{static_cast<NamedGroup>(g), share}}});
  ch.extensions.add(
      SignatureSchemeList{{static_cast<SignatureScheme>(g), SignatureScheme::ed25519}});
  ch.extensions.add(SupportedVersionsClientHello{{g, kTls13}});
  ch.extensions.add(PskKeyExchangeModes{
      {static_cast<PskKeyExchangeMode>(grease_psk_mode(3)), PskKeyExchangeMode::psk_dhe_ke}});
  ch.extensions.add(ProtocolNameList{{alpn_grease, h2}});
  const std::uint16_t g2 = grease_value(0xa0);
  ch.extensions.add(g2, one_byte);  // and a non-empty one last

  const auto bytes = msg::test::encode_full(ch);
  auto v = parse_handshake(bytes);
  ASSERT_TRUE(v.ok());
  auto back = ClientHello::decode(v->body);
  ASSERT_TRUE(back.ok()) << back.error().describe();
  EXPECT_EQ(hex(msg::test::encode_full(*back)), hex(bytes));

  EXPECT_EQ(back->cipher_suites.front(), static_cast<CipherSuite>(g));
  EXPECT_EQ(back->extensions[0].type, g);
  EXPECT_EQ(back->extensions[back->extensions.size() - 1].type, g2);
  auto groups = back->extensions.get<NamedGroupList>();
  ASSERT_TRUE(groups.ok() && groups->has_value());
  EXPECT_TRUE(is_grease(static_cast<std::uint16_t>((*groups)->named_group_list[0])));
  auto ks = back->extensions.get<KeyShareClientHello>();
  ASSERT_TRUE(ks.ok() && ks->has_value());
  EXPECT_NE((*ks)->find(static_cast<NamedGroup>(g)), nullptr);
  auto sigs = back->extensions.get<SignatureSchemeList>();
  ASSERT_TRUE(sigs.ok() && sigs->has_value());
  EXPECT_TRUE((*sigs)->contains(static_cast<SignatureScheme>(g)));
  auto sv = back->extensions.get<SupportedVersionsClientHello>();
  ASSERT_TRUE(sv.ok() && sv->has_value());
  EXPECT_TRUE((*sv)->offers(g));
  auto modes = back->extensions.get<PskKeyExchangeModes>();
  ASSERT_TRUE(modes.ok() && modes->has_value());
  EXPECT_TRUE(is_grease_psk_mode(static_cast<std::uint8_t>((*modes)->ke_modes[0])));
  auto alpn = back->extensions.get<ProtocolNameList>();
  ASSERT_TRUE(alpn.ok() && alpn->has_value());
  EXPECT_TRUE(is_grease_alpn((*alpn)->protocol_name_list[0]));
}

}  // namespace
}  // namespace tls13::msg

namespace tls13::msg {
namespace {
TEST(HandshakeTypeNames, RfcStructNames) {
  EXPECT_EQ(message_name(HandshakeType::client_hello), "ClientHello");
  EXPECT_EQ(message_name(HandshakeType::encrypted_extensions), "EncryptedExtensions");
  EXPECT_EQ(message_name(static_cast<HandshakeType>(99)), "unknown");
}
}  // namespace
}  // namespace tls13::msg
