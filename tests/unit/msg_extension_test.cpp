// Extension blocks: the RFC 8446 §4.2 table, duplicates, limits, and the
// ExtensionList building API.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "msg/ext_groups_sigalgs.h"
#include "msg/ext_key_share.h"
#include "msg/ext_record_size_limit.h"
#include "msg/extension.h"
#include "msg/handshake.h"
#include "support/test_support.h"
#include "unit/msg_test_util.h"

namespace tls13::msg {
namespace {

using msg::test::fails_with;
using tls13::test::hex;

constexpr std::array kContexts = {
    MessageContext::client_hello,        MessageContext::server_hello,
    MessageContext::hello_retry_request, MessageContext::encrypted_extensions,
    MessageContext::certificate_request, MessageContext::certificate,
    MessageContext::new_session_ticket};

// The table of RFC 8446 §4.2, typed in again from the RFC text (columns CH,
// SH, HRR, EE, CR, CT, NST), independent of the library's copy.
struct TableRow {
  std::uint16_t type;
  const char* columns;  // 7 chars, 'x' = allowed, in kContexts order
};
constexpr TableRow kRfcTable[] = {
    {0, "x--x---"},   // server_name: CH, EE
    {1, "x--x---"},   // max_fragment_length: CH, EE
    {5, "x---xx-"},   // status_request: CH, CR, CT
    {10, "x--x---"},  // supported_groups: CH, EE
    {13, "x---x--"},  // signature_algorithms: CH, CR
    {14, "x--x---"},  // use_srtp: CH, EE
    {15, "x--x---"},  // heartbeat: CH, EE
    {16, "x--x---"},  // ALPN: CH, EE
    {18, "x---xx-"},  // signed_certificate_timestamp: CH, CR, CT
    {19, "x--x---"},  // client_certificate_type: CH, EE
    {20, "x--x---"},  // server_certificate_type: CH, EE
    {21, "x------"},  // padding: CH
    {51, "xxx----"},  // key_share: CH, SH, HRR
    {41, "xx-----"},  // pre_shared_key: CH, SH
    {45, "x------"},  // psk_key_exchange_modes: CH
    {42, "x--x--x"},  // early_data: CH, EE, NST
    {44, "x-x----"},  // cookie: CH, HRR
    {43, "xxx----"},  // supported_versions: CH, SH, HRR
    {47, "x---x--"},  // certificate_authorities: CH, CR
    {48, "----x--"},  // oid_filters: CR
    {49, "x------"},  // post_handshake_auth: CH
    {50, "x---x--"},  // signature_algorithms_cert: CH, CR
    {28, "x--x---"},  // record_size_limit (RFC 8449 §7): CH, EE
};

TEST(MsgExtensionTable, MatchesRfc8446Section4_2) {
  for (const auto& row : kRfcTable) {
    EXPECT_TRUE(is_recognized(row.type)) << row.type;
    for (std::size_t c = 0; c < kContexts.size(); ++c) {
      EXPECT_EQ(allowed_in(row.type, kContexts[c]), row.columns[c] == 'x')
          << "type " << row.type << " in " << to_string(kContexts[c]);
    }
  }
}

TEST(MsgExtensionTable, UnrecognizedTypesHaveNoPlacement) {
  for (std::uint16_t t : {0xff01, 35, 0x0a0a, 0xfafa, 0x1234, 40, 46}) {
    EXPECT_FALSE(is_recognized(t)) << t;
    for (auto c : kContexts) EXPECT_FALSE(allowed_in(t, c)) << t;
  }
  EXPECT_EQ(to_string(ExtensionType::renegotiation_info), "renegotiation_info");
  EXPECT_EQ(to_string(ExtensionType::key_share), "key_share");
  EXPECT_EQ(to_string(static_cast<ExtensionType>(0x1234)), "unknown");
}

// Decodes `Extension extensions<..>` given as hex (with its length).
Result<ExtensionList> decode_block(const std::string& h, MessageContext ctx,
                                   std::size_t max = kDefaultMaxExtensions) {
  static std::vector<std::vector<std::uint8_t>> keep;  // decoded lists are views
  keep.push_back(hex(h));
  wire::Reader r(keep.back());
  auto l = decode_extensions(r, ctx, max);
  if (l.ok() && !r.empty()) return Error(Alert::internal_error, "block not consumed");
  return l;
}

TEST(MsgDecodeExtensions, KeepsWireOrderAndUnknownTypes) {
  // GREASE (empty), supported_versions, an unknown type, key_share (empty list).
  auto l = decode_block(
      "0016"
      "0a0a0000"
      "002b000302"
      "0304"
      "12340001ff"
      "003300020000",
      MessageContext::client_hello);
  ASSERT_TRUE(l.ok()) << l.error().describe();
  ASSERT_EQ(l->size(), 4u);
  EXPECT_EQ((*l)[0].type, 0x0a0a);
  EXPECT_EQ((*l)[1].kind(), ExtensionType::supported_versions);
  EXPECT_EQ((*l)[2].type, 0x1234);
  EXPECT_EQ(hex((*l)[2].body), "ff");
  EXPECT_EQ((*l)[3].kind(), ExtensionType::key_share);
  EXPECT_EQ(*l->index_of(0x1234), 2u);
  EXPECT_FALSE(l->contains(ExtensionType::cookie));
  std::vector<std::uint16_t> seen;
  for (Extension e : *l) seen.push_back(e.type);
  EXPECT_EQ(seen, (std::vector<std::uint16_t>{0x0a0a, 43, 0x1234, 51}));
  EXPECT_EQ(hex(msg::test::encode_body(*l)),
            "0016"
            "0a0a0000"
            "002b000302"
            "0304"
            "12340001ff"
            "003300020000");
}

TEST(MsgDecodeExtensions, DuplicateTypeIsIllegalParameter) {
  EXPECT_TRUE(fails_with(decode_block("0008"
                                      "00000000"
                                      "00000000",
                                      MessageContext::encrypted_extensions),
                         Alert::illegal_parameter));
  // Also for unrecognized types, and not only adjacent ones.
  EXPECT_TRUE(fails_with(decode_block("000c"
                                      "12340000"
                                      "002a0000"
                                      "12340000",
                                      MessageContext::client_hello),
                         Alert::illegal_parameter));
}

TEST(MsgDecodeExtensions, RecognizedTypeOutsideItsMessagesIsIllegalParameter) {
  // key_share in EncryptedExtensions.
  EXPECT_TRUE(fails_with(decode_block("0008"
                                      "0033000400170000",
                                      MessageContext::encrypted_extensions),
                         Alert::illegal_parameter));
  // supported_groups in ServerHello.
  EXPECT_TRUE(fails_with(decode_block("0008"
                                      "000a0004"
                                      "0002001d",
                                      MessageContext::server_hello),
                         Alert::illegal_parameter));
  // cookie in ServerHello (fine in HelloRetryRequest).
  EXPECT_TRUE(fails_with(decode_block("0007"
                                      "002c0003"
                                      "0001aa",
                                      MessageContext::server_hello),
                         Alert::illegal_parameter));
  EXPECT_TRUE(decode_block("0007"
                           "002c0003"
                           "0001aa",
                           MessageContext::hello_retry_request)
                  .ok());
  // oid_filters in ClientHello; psk_key_exchange_modes in NewSessionTicket;
  // pre_shared_key in a CertificateEntry.
  EXPECT_TRUE(fails_with(decode_block("0008"
                                      "00300004"
                                      "00000000",
                                      MessageContext::client_hello),
                         Alert::illegal_parameter));
  EXPECT_TRUE(fails_with(decode_block("0006"
                                      "002d0002"
                                      "0101",
                                      MessageContext::new_session_ticket),
                         Alert::illegal_parameter));
  EXPECT_TRUE(fails_with(decode_block("0006"
                                      "00290002"
                                      "0000",
                                      MessageContext::certificate),
                         Alert::illegal_parameter));
}

TEST(MsgDecodeExtensions, UnrecognizedTypesPassInEveryMessage) {
  for (auto c : kContexts) {
    auto l = decode_block(
        "0009"
        "ff010001"
        "00"
        "eaea0000",
        c);
    ASSERT_TRUE(l.ok()) << to_string(c) << ": " << l.error().describe();
    EXPECT_EQ(l->size(), 2u);
  }
}

TEST(MsgDecodeExtensions, BlockBoundsPerMessage) {
  // CH <8..>, SH/HRR <6..>, CR <2..>: one byte short of the minimum.
  EXPECT_TRUE(fails_with(decode_block("0007"
                                      "12340003aabbcc",
                                      MessageContext::client_hello),
                         Alert::decode_error));
  EXPECT_TRUE(decode_block("0008"
                           "12340004aabbccdd",
                           MessageContext::client_hello)
                  .ok());
  EXPECT_TRUE(fails_with(decode_block("0005"
                                      "1234000100",
                                      MessageContext::server_hello),
                         Alert::decode_error));
  EXPECT_TRUE(fails_with(decode_block("0005"
                                      "1234000100",
                                      MessageContext::hello_retry_request),
                         Alert::decode_error));
  EXPECT_TRUE(
      fails_with(decode_block("0000", MessageContext::certificate_request), Alert::decode_error));
  EXPECT_TRUE(decode_block("0000", MessageContext::encrypted_extensions).ok());
  EXPECT_TRUE(decode_block("0000", MessageContext::certificate).ok());
  EXPECT_TRUE(decode_block("0000", MessageContext::new_session_ticket).ok());
  // NST <0..2^16-2>: a 65535-byte block is over.
  std::string big =
      "ffff"
      "1234fffb" +
      std::string(2 * 0xfffb, 'a');
  EXPECT_TRUE(
      fails_with(decode_block(big, MessageContext::new_session_ticket), Alert::decode_error));
  EXPECT_TRUE(decode_block(big, MessageContext::encrypted_extensions).ok());
}

TEST(MsgDecodeExtensions, MalformedEntriesAreDecodeError) {
  const auto ee = MessageContext::encrypted_extensions;
  EXPECT_TRUE(fails_with(decode_block("", ee), Alert::decode_error));    // no length
  EXPECT_TRUE(fails_with(decode_block("00", ee), Alert::decode_error));  // short length
  EXPECT_TRUE(fails_with(decode_block("0005"
                                      "0000",
                                      ee),
                         Alert::decode_error));  // block > input
  EXPECT_TRUE(fails_with(decode_block("0003"
                                      "000000",
                                      ee),
                         Alert::decode_error));  // entry header
  EXPECT_TRUE(fails_with(decode_block("0005"
                                      "00000002aa",
                                      ee),
                         Alert::decode_error));  // body
  EXPECT_TRUE(fails_with(decode_block("0001"
                                      "00",
                                      ee),
                         Alert::decode_error));
}

TEST(MsgDecodeExtensions, EntryLimitIsDecodeError) {
  std::string block;
  for (int i = 0; i < 5; ++i) block += "100" + std::to_string(i) + "0000";
  const std::string h = "0014" + block;
  EXPECT_TRUE(decode_block(h, MessageContext::encrypted_extensions, 5).ok());
  EXPECT_TRUE(
      fails_with(decode_block(h, MessageContext::encrypted_extensions, 4), Alert::decode_error));
  // The default admits a busy GREASE ClientHello but not thousands.
  std::string many;
  for (int i = 0; i < 1000; ++i) {
    many += tls13::test::hex(std::vector<std::uint8_t>{static_cast<std::uint8_t>(0x20 + i / 256),
                                                       static_cast<std::uint8_t>(i % 256), 0, 0});
  }
  ASSERT_EQ(many.size() / 2, 0x0fa0u);
  EXPECT_TRUE(
      fails_with(decode_block("0fa0" + many, MessageContext::client_hello), Alert::decode_error));
}

TEST(MsgExtensionList, BuildEncodesInOrder) {
  ExtensionList l;
  l.add(RecordSizeLimit{0x4001});
  const std::uint8_t body[] = {1, 2, 3};
  l.add(0x1234, body);
  l.add(ExtensionType::post_handshake_auth, {});
  EXPECT_EQ(hex(msg::test::encode_body(l)),
            "0011"
            "001c00024001"
            "12340003010203"
            "00310000");
  auto rsl = l.get<RecordSizeLimit>();
  ASSERT_TRUE(rsl.ok() && rsl->has_value());
  EXPECT_EQ((*rsl)->limit, 0x4001);
  auto absent = l.get<NamedGroupList>();
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
}

TEST(MsgExtensionList, GetReportsMalformedBody) {
  ExtensionList l;
  const std::uint8_t bad[] = {0x00};
  l.add(ExtensionType::record_size_limit, bad);
  EXPECT_TRUE(fails_with(l.get<RecordSizeLimit>(), Alert::decode_error));
}

TEST(MsgExtensionList, SetReplacesInPlaceAndRemoveDrops) {
  ExtensionList l;
  l.add(KeyShareClientHello{});
  l.add(NamedGroupList{{NamedGroup::x25519}});
  l.set(KeyShareHelloRetryRequest{NamedGroup::secp256r1});  // same type: replaced in place
  l.set(RecordSizeLimit{100});                              // new type: appended
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[0].kind(), ExtensionType::key_share);
  EXPECT_EQ(hex(l[0].body), "0017");
  EXPECT_EQ(l[2].kind(), ExtensionType::record_size_limit);
  EXPECT_TRUE(l.remove(ExtensionType::supported_groups));
  EXPECT_FALSE(l.remove(ExtensionType::supported_groups));
  EXPECT_EQ(hex(msg::test::encode_body(l)),
            "000c"
            "003300020017"
            "001c00020064");
}

TEST(MsgExtensionList, CopiesAndOwnedBodiesSurviveTheirSource) {
  auto buffer =
      hex("0008"
          "12340004aabbccdd");
  ExtensionList decoded;
  {
    wire::Reader r(buffer);
    auto l = decode_extensions(r, MessageContext::encrypted_extensions);
    ASSERT_TRUE(l.ok());
    decoded = std::move(l).value();
  }
  ExtensionList owned = decoded;
  owned.own();
  std::ranges::fill(buffer, 0);  // the decoded list sees this; the owned one does not
  EXPECT_EQ(hex(decoded[0].body), "00000000");
  EXPECT_EQ(hex(owned[0].body), "aabbccdd");

  ExtensionList copy;
  {
    ExtensionList built;
    const std::uint8_t b[] = {9, 9};
    built.add(7, b);
    built.add(8, built[0].body);  // adding from the list's own storage
    copy = built;
  }
  EXPECT_EQ(hex(copy[0].body), "0909");
  EXPECT_EQ(hex(copy[1].body), "0909");
  EXPECT_TRUE(copy == copy);
  EXPECT_FALSE(copy == owned);
}

// Lists longer than the inline slots (16) move to the heap unchanged: wire
// order, bodies, lookups, set/remove/own and re-encoding all still hold.
TEST(MsgExtensionList, LongListsBehaveLikeShortOnes) {
  std::string block;
  for (int i = 0; i < 40; ++i) {
    block += tls13::test::hex(std::vector<std::uint8_t>{0x30, static_cast<std::uint8_t>(i), 0, 1,
                                                        static_cast<std::uint8_t>(i)});
  }
  const std::string h = "00c8" + block;
  ASSERT_EQ(block.size() / 2, 0xc8u);
  auto buffer = hex(h);
  wire::Reader r(buffer);
  auto decoded = decode_extensions(r, MessageContext::client_hello);
  ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
  ASSERT_EQ(decoded->size(), 40u);
  for (std::size_t i = 0; i < 40; ++i) {
    EXPECT_EQ((*decoded)[i].type, 0x3000 + i);
    EXPECT_EQ(hex((*decoded)[i].body),
              hex(std::vector<std::uint8_t>{static_cast<std::uint8_t>(i)}));
  }
  EXPECT_EQ(hex(msg::test::encode_body(*decoded)), h);
  ExtensionList l = *decoded;
  l.own();
  EXPECT_TRUE(l.remove(0x3005));
  const std::uint8_t b[] = {0xee};
  l.set(0x3027, b);  // the last one, replaced in place
  l.add(0x4000, b);
  ASSERT_EQ(l.size(), 40u);
  EXPECT_EQ(l[5].type, 0x3006);
  EXPECT_EQ(hex(l[38].body), "ee");
  EXPECT_EQ(l[39].type, 0x4000);
  EXPECT_FALSE(l.contains(0x3005));
  std::ranges::fill(buffer, 0);  // owned bodies do not depend on the buffer
  EXPECT_EQ(hex(l[0].body), "00");
  EXPECT_EQ(hex(l[20].body), "15");
}

TEST(MsgExtensionList, OversizedBodyFailsEncoding) {
  ExtensionList l;
  const std::vector<std::uint8_t> big(0x10000, 0);
  l.add(0x1234, big);
  std::vector<std::uint8_t> out;
  wire::Writer w(out);
  l.encode(w);
  EXPECT_FALSE(w.ok());
  auto msg =
      encode_handshake(HandshakeType::encrypted_extensions, [&](wire::Writer& b) { l.encode(b); });
  EXPECT_TRUE(fails_with(msg, Alert::internal_error));
}

}  // namespace
}  // namespace tls13::msg
