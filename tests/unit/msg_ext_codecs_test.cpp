// Typed extension bodies: round trips, RFC <min..max> bounds, trailing data,
// truncation.
#include <string>

#include <gtest/gtest.h>

#include "msg/ext_certificate_authorities.h"
#include "msg/ext_cookie.h"
#include "msg/ext_groups_sigalgs.h"
#include "msg/ext_key_share.h"
#include "msg/ext_misc.h"
#include "msg/ext_names.h"
#include "msg/ext_psk.h"
#include "msg/ext_record_size_limit.h"
#include "msg/ext_supported_versions.h"
#include "support/test_support.h"
#include "unit/msg_test_util.h"

namespace tls13::msg {
namespace {

using msg::test::encode_body;
using msg::test::fails_with;
using tls13::test::hex;

// `h` decodes as T, re-encodes to `h`, and every strict prefix, and `h` plus a
// trailing byte, fail with decode_error.
template <class T>
void expect_codec(const std::string& h, bool prefixes_fail = true) {
  SCOPED_TRACE(h);
  const auto bytes = hex(h);
  auto v = T::decode(bytes);
  ASSERT_TRUE(v.ok()) << v.error().describe();
  EXPECT_EQ(hex(encode_body(*v)), h);
  if (prefixes_fail) {
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      EXPECT_TRUE(fails_with(T::decode(wire::Bytes(bytes).first(n)), Alert::decode_error))
          << "prefix " << n;
    }
  }
  auto longer = bytes;
  longer.push_back(0);
  EXPECT_TRUE(fails_with(T::decode(longer), Alert::decode_error)) << "trailing byte";
}

template <class T>
::testing::AssertionResult rejects(const std::string& h, Alert alert) {
  const auto bytes = hex(h);
  return fails_with(T::decode(bytes), alert);
}

TEST(MsgExtKeyShare, ClientHelloList) {
  expect_codec<KeyShareClientHello>("0000");  // empty: asks for HelloRetryRequest
  expect_codec<KeyShareClientHello>(
      "000b"
      "001d0002aabb"
      "2a2a000100");  // + GREASE group
  const auto ks_bytes =
      hex("000b"
          "001d0002aabb"
          "2a2a000100");
  auto ks = KeyShareClientHello::decode(ks_bytes);
  ASSERT_TRUE(ks.ok());
  ASSERT_EQ(ks->client_shares.size(), 2u);
  EXPECT_EQ(ks->client_shares[1].group, static_cast<NamedGroup>(0x2a2a));
  ASSERT_NE(ks->find(NamedGroup::x25519), nullptr);
  EXPECT_EQ(hex(ks->find(NamedGroup::x25519)->key_exchange), "aabb");
  EXPECT_EQ(ks->find(NamedGroup::secp256r1), nullptr);
  // key_exchange<1..2^16-1>
  EXPECT_TRUE(
      rejects<KeyShareClientHello>("0004"
                                   "001d0000",
                                   Alert::decode_error));
  // list length disagrees with the entries
  EXPECT_TRUE(
      rejects<KeyShareClientHello>("0005"
                                   "001d0001aa"
                                   "00",
                                   Alert::decode_error));
  EXPECT_TRUE(
      rejects<KeyShareClientHello>("0006"
                                   "001d0001aa",
                                   Alert::decode_error));
  // two shares for one group
  EXPECT_TRUE(
      rejects<KeyShareClientHello>("000a"
                                   "001d0001aa"
                                   "001d0001bb",
                                   Alert::illegal_parameter));
}

TEST(MsgExtKeyShare, ServerHelloAndHelloRetryRequest) {
  expect_codec<KeyShareServerHello>("00170003010203");
  EXPECT_TRUE(rejects<KeyShareServerHello>("00170000", Alert::decode_error));
  EXPECT_TRUE(rejects<KeyShareServerHello>("", Alert::decode_error));
  expect_codec<KeyShareHelloRetryRequest>("0017");
  EXPECT_TRUE(rejects<KeyShareHelloRetryRequest>("00", Alert::decode_error));
  const auto key = hex("00");
  KeyShareServerHello sh{{NamedGroup::x25519, key}};
  EXPECT_EQ(hex(encode_body(sh)), "001d000100");
}

TEST(MsgExtSupportedVersions, ClientHelloList) {
  expect_codec<SupportedVersionsClientHello>(
      "06"
      "fafa"
      "0304"
      "0303");
  const auto v_bytes = hex("06fafa03040303");
  auto v = SupportedVersionsClientHello::decode(v_bytes);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->versions, (std::vector<std::uint16_t>{0xfafa, kTls13, kTls12}));
  EXPECT_TRUE(v->offers(kTls13));
  EXPECT_FALSE(v->offers(0x0302));
  // versions<2..254>: empty, odd, and 255 bytes are out.
  EXPECT_TRUE(rejects<SupportedVersionsClientHello>("00", Alert::decode_error));
  EXPECT_TRUE(
      rejects<SupportedVersionsClientHello>("03"
                                            "030403",
                                            Alert::decode_error));
  std::string max = "fe";
  for (int i = 0; i < 127; ++i) max += "0304";
  expect_codec<SupportedVersionsClientHello>(max, false);
  EXPECT_TRUE(
      rejects<SupportedVersionsClientHello>("ff" + std::string(510, '0'), Alert::decode_error));
}

TEST(MsgExtSupportedVersions, ServerHello) {
  expect_codec<SupportedVersionsServerHello>("0304");
  EXPECT_TRUE(rejects<SupportedVersionsServerHello>("020304", Alert::decode_error));
}

TEST(MsgExtPsk, OfferedPsks) {
  const std::string id1 =
                        "0003aabbcc"
                        "00000010",
                    id2 =
                        "0001dd"
                        "ffffffff";
  const std::string b1 = "20" + std::string(64, '1'), b2 = "30" + std::string(96, '2');
  expect_codec<OfferedPsks>("0010" + id1 + id2 + "0052" + b1 + b2);
  const auto p_bytes = hex("0010" + id1 + id2 + "0052" + b1 + b2);
  auto p = OfferedPsks::decode(p_bytes);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->identities.size(), 2u);
  EXPECT_EQ(hex(p->identities[0].identity), "aabbcc");
  EXPECT_EQ(p->identities[0].obfuscated_ticket_age, 0x10u);
  EXPECT_EQ(p->identities[1].obfuscated_ticket_age, 0xffffffffu);
  ASSERT_EQ(p->binders.size(), 2u);
  EXPECT_EQ(p->binders[1].size(), 48u);
  EXPECT_EQ(p->binders_size(), 2u + 0x52u);
}

TEST(MsgExtPsk, OfferedPsksBounds) {
  const std::string id =
      "0001aa"
      "00000000";
  const std::string b32 = "20" + std::string(64, '0');
  // identities<7..>: empty list; identity<1..>: empty identity.
  EXPECT_TRUE(
      rejects<OfferedPsks>("0000"
                           "0021" +
                               b32,
                           Alert::decode_error));
  EXPECT_TRUE(
      rejects<OfferedPsks>("000c"
                           "000000000000"
                           "000000000000"
                           "0042" +
                               b32 + b32,
                           Alert::decode_error));
  // binders<33..>: empty list; PskBinderEntry<32..255>: a 31-byte binder.
  EXPECT_TRUE(rejects<OfferedPsks>("0007" + id + "0000", Alert::decode_error));
  EXPECT_TRUE(rejects<OfferedPsks>("0007" + id +
                                       "0021"
                                       "1f" +
                                       std::string(64, '0'),
                                   Alert::decode_error));
  // One binder per identity.
  EXPECT_TRUE(rejects<OfferedPsks>("000e" + id + id + "0021" + b32, Alert::illegal_parameter));
  EXPECT_TRUE(rejects<OfferedPsks>("0007" + id + "0042" + b32 + b32, Alert::illegal_parameter));
}

TEST(MsgExtPsk, ServerHelloModesAndEarlyData) {
  expect_codec<PreSharedKeyServerHello>("0001");
  expect_codec<PskKeyExchangeModes>(
      "03"
      "00"
      "01"
      "2a");  // with a GREASE mode
  const auto m_bytes = hex("03000149");
  auto m = PskKeyExchangeModes::decode(m_bytes);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->offers(PskKeyExchangeMode::psk_ke));
  EXPECT_EQ(static_cast<int>(m->ke_modes[2]), 0x49);
  EXPECT_TRUE(rejects<PskKeyExchangeModes>("00", Alert::decode_error));  // ke_modes<1..255>
  expect_codec<EarlyDataNewSessionTicket>("00004000");
  expect_codec<EarlyDataIndication>("", false);
  EXPECT_TRUE(rejects<EarlyDataIndication>("00", Alert::decode_error));
  EXPECT_TRUE(rejects<PostHandshakeAuth>("00", Alert::decode_error));
}

TEST(MsgExtNames, ServerNameList) {
  expect_codec<ServerNameList>(
      "0009"
      "00"
      "0006736572766572");
  const auto s_bytes =
      hex("000c"
          "00"
          "0006736572766572"
          "07"
          "0000");
  auto s = ServerNameList::decode(s_bytes);
  ASSERT_TRUE(s.ok());  // an unknown name type is kept (and may be empty)
  ASSERT_EQ(s->server_name_list.size(), 2u);
  EXPECT_EQ(s->server_name_list[1].name_type, 7);
  EXPECT_EQ(hex(*s->host_name()), hex(tls13::test::bytes("server")));
  const auto other_type =
      hex("0003"
          "070000");
  EXPECT_FALSE(ServerNameList::decode(other_type)->host_name().has_value());
  EXPECT_EQ(hex(encode_body(ServerNameList::for_host(tls13::test::bytes("a.b")))),
            "0006"
            "00"
            "0003612e62");
  EXPECT_TRUE(rejects<ServerNameList>("0000", Alert::decode_error));  // list<1..>
  EXPECT_TRUE(
      rejects<ServerNameList>("0003"
                              "000000",
                              Alert::decode_error));  // HostName<1..>
  EXPECT_TRUE(
      rejects<ServerNameList>("0008"
                              "00000161"
                              "00000162",
                              Alert::illegal_parameter));
  expect_codec<ServerNameAck>("", false);
  EXPECT_TRUE(rejects<ServerNameAck>("0000", Alert::decode_error));
}

TEST(MsgExtNames, Alpn) {
  expect_codec<ProtocolNameList>(
      "000f"
      "026832"
      "08687474702f312e31"
      "021a1a");
  const auto a_bytes =
      hex("000f"
          "026832"
          "08687474702f312e31"
          "021a1a");
  auto a = ProtocolNameList::decode(a_bytes);
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->protocol_name_list.size(), 3u);
  EXPECT_EQ(hex(a->protocol_name_list[0]), "6832");
  EXPECT_TRUE(rejects<ProtocolNameList>("0000", Alert::decode_error));  // list<2..>
  EXPECT_TRUE(
      rejects<ProtocolNameList>("0001"
                                "00",
                                Alert::decode_error));  // below 2
  EXPECT_TRUE(
      rejects<ProtocolNameList>("0002"
                                "0000",
                                Alert::decode_error));  // name<1..>
}

TEST(MsgExtGroupsSigalgs, Lists) {
  expect_codec<NamedGroupList>(
      "0006"
      "001d"
      "0017"
      "dada");
  EXPECT_TRUE(NamedGroupList::decode(hex("0002001d"))->contains(NamedGroup::x25519));
  EXPECT_TRUE(rejects<NamedGroupList>("0000", Alert::decode_error));
  EXPECT_TRUE(
      rejects<NamedGroupList>("0003"
                              "001d00",
                              Alert::decode_error));
  expect_codec<SignatureSchemeList>(
      "0006"
      "0804"
      "0403"
      "8a8a");
  expect_codec<SignatureSchemeListCert>(
      "0002"
      "0401");
  EXPECT_TRUE(SignatureSchemeList::decode(hex("00020807"))->contains(SignatureScheme::ed25519));
  EXPECT_TRUE(rejects<SignatureSchemeList>("0000", Alert::decode_error));
  EXPECT_TRUE(
      rejects<SignatureSchemeList>("0001"
                                   "08",
                                   Alert::decode_error));
  EXPECT_EQ(SignatureSchemeList::kType, ExtensionType::signature_algorithms);
  EXPECT_EQ(SignatureSchemeListCert::kType, ExtensionType::signature_algorithms_cert);
}

TEST(MsgExtCookie, Bounds) {
  expect_codec<Cookie>(
      "0003"
      "010203");
  EXPECT_TRUE(rejects<Cookie>("0000", Alert::decode_error));
}

TEST(MsgExtCertificateAuthorities, Bounds) {
  expect_codec<CertificateAuthorities>(
      "0009"
      "0002"
      "3000"
      "0003"
      "300101");
  EXPECT_TRUE(
      rejects<CertificateAuthorities>("0002"
                                      "0000",
                                      Alert::decode_error));  // <3..>
  EXPECT_TRUE(
      rejects<CertificateAuthorities>("0003"
                                      "000000",
                                      Alert::decode_error));  // DN<1..>
}

TEST(MsgExtOidFilters, BoundsAndDuplicates) {
  expect_codec<OidFilters>("0000", true);
  expect_codec<OidFilters>(
      "000c"
      "03550425"
      "0000"
      "02551d"
      "0001"
      "aa");
  EXPECT_TRUE(
      rejects<OidFilters>("0003"
                          "00"
                          "0000",
                          Alert::decode_error));  // oid<1..>
  EXPECT_TRUE(
      rejects<OidFilters>("000a"
                          "02551d0000"
                          "02551d0000",
                          Alert::illegal_parameter));
}

TEST(MsgExtRecordSizeLimit, Bounds) {
  expect_codec<RecordSizeLimit>("4001");
  expect_codec<RecordSizeLimit>("0040");  // 64: the minimum
  expect_codec<RecordSizeLimit>("ffff");  // above 2^14+1: kept for the peer to judge
  EXPECT_TRUE(rejects<RecordSizeLimit>("003f", Alert::illegal_parameter));
  EXPECT_TRUE(rejects<RecordSizeLimit>("0000", Alert::illegal_parameter));
}

TEST(MsgExtMisc, PaddingAndStatusRequest) {
  const auto p_bytes = hex("0000000000");
  auto p = Padding::decode(p_bytes);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->length, 5u);
  EXPECT_EQ(hex(encode_body(*p)), "0000000000");

  expect_codec<CertificateStatusRequest>(
      "01"
      "0000"
      "0000");
  expect_codec<CertificateStatusRequest>(
      "01"
      "0007"
      "0002aabb"
      "0001cc"
      "0002"
      "3000");
  const auto sr_bytes =
      hex("01"
          "0007"
          "0002aabb"
          "0001cc"
          "0002"
          "3000");
  auto sr = CertificateStatusRequest::decode(sr_bytes);
  ASSERT_TRUE(sr.ok());
  EXPECT_EQ(sr->responder_id_list.size(), 2u);
  EXPECT_EQ(hex(sr->request_extensions), "3000");
  const auto other_bytes = hex("05abcd");
  auto other = CertificateStatusRequest::decode(other_bytes);  // unknown status type
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(hex(other->other_request), "abcd");
  EXPECT_EQ(hex(encode_body(*other)), "05abcd");
  EXPECT_TRUE(
      rejects<CertificateStatusRequest>("01"
                                        "0002"
                                        "0000"
                                        "0000",
                                        Alert::decode_error));

  expect_codec<CertificateStatus>(
      "01"
      "000003"
      "308100");
  EXPECT_TRUE(
      rejects<CertificateStatus>("01"
                                 "000000",
                                 Alert::decode_error));  // <1..2^24-1>
  EXPECT_TRUE(
      rejects<CertificateStatus>("02"
                                 "000001"
                                 "00",
                                 Alert::decode_error));
}

TEST(MsgExtMisc, CertificateTypes) {
  expect_codec<ClientCertificateTypes>(
      "02"
      "02"
      "00");
  expect_codec<ServerCertificateTypes>(
      "01"
      "02");
  EXPECT_TRUE(rejects<ClientCertificateTypes>("00", Alert::decode_error));
  expect_codec<ServerCertificateTypeSelected>("02", false);
  const auto t_bytes = hex("00");
  auto t = ClientCertificateTypeSelected::decode(t_bytes);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->type, CertificateType::x509);
  EXPECT_TRUE(rejects<ClientCertificateTypeSelected>("", Alert::decode_error));
  EXPECT_TRUE(rejects<ClientCertificateTypeSelected>("0000", Alert::decode_error));
}

}  // namespace
}  // namespace tls13::msg
