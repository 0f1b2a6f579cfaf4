// Handshake messages: framing, and malformed input of every kind failing with
// the alert RFC 8446 names (§6.2 decode_error for syntax, illegal_parameter
// where §4 says so).
#include <cstdio>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "msg/certificate.h"
#include "msg/certificate_request.h"
#include "msg/certificate_verify.h"
#include "msg/client_hello.h"
#include "msg/encrypted_extensions.h"
#include "msg/end_of_early_data.h"
#include "msg/finished.h"
#include "msg/handshake.h"
#include "msg/key_update.h"
#include "msg/new_session_ticket.h"
#include "msg/server_hello.h"
#include "support/test_support.h"
#include "unit/msg_test_util.h"

namespace tls13::msg {
namespace {

using msg::test::fails_with;
using tls13::test::hex;

// Decodes a body by type (Finished with SHA-256's length).
Result<void> decode_any(HandshakeType t, wire::Bytes body, const DecodeLimits& limits = {}) {
  auto drop = [](auto r) -> Result<void> {
    if (!r.ok()) return std::move(r).error();
    return {};
  };
  switch (t) {
    case HandshakeType::client_hello:
      return drop(ClientHello::decode(body, limits));
    case HandshakeType::server_hello:
      return drop(ServerHello::decode(body, limits));
    case HandshakeType::encrypted_extensions:
      return drop(EncryptedExtensions::decode(body, limits));
    case HandshakeType::certificate_request:
      return drop(CertificateRequest::decode(body, limits));
    case HandshakeType::certificate:
      return drop(Certificate::decode(body, limits));
    case HandshakeType::certificate_verify:
      return drop(CertificateVerify::decode(body));
    case HandshakeType::finished:
      return drop(Finished::decode(body, 32));
    case HandshakeType::new_session_ticket:
      return drop(NewSessionTicket::decode(body, limits));
    case HandshakeType::end_of_early_data:
      return drop(EndOfEarlyData::decode(body));
    case HandshakeType::key_update:
      return drop(KeyUpdate::decode(body));
    default:
      break;
  }
  return Error(Alert::unexpected_message, "unknown type");
}

// Every handshake message printed in RFC 8448 (§4's ClientHello in full).
std::vector<std::vector<std::uint8_t>> all_trace_messages() {
  std::vector<std::vector<std::uint8_t>> out;
  for (const char* s : {"3", "4", "5", "6", "7"}) {
    const auto& sec = tls13::test::rfc8448_section(s);
    for (const auto& m : sec.at("handshake_messages")) {
      std::string h = m.at("hex").get<std::string>();
      if (std::string(s) == "4" && m.at("type") == "ClientHello") {
        h = sec.at("records").at(0).at("payload").get<std::string>();
      }
      out.push_back(hex(h));
    }
  }
  return out;
}

TEST(MsgFraming, HeaderParseAndEncode) {
  const auto m = hex("14000003aabbcc");
  auto h = parse_handshake_header(m);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->type, HandshakeType::finished);
  EXPECT_EQ(h->length, 3u);
  EXPECT_TRUE(parse_handshake_header(wire::Bytes(m).first(4)).ok());  // body may follow later
  EXPECT_TRUE(fails_with(parse_handshake_header(wire::Bytes(m).first(3)), Alert::decode_error));
  auto v = parse_handshake(m);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(hex(v->body), "aabbcc");
  EXPECT_TRUE(fails_with(parse_handshake(wire::Bytes(m).first(6)), Alert::decode_error));
  const auto longer = hex("14000003aabbccdd");
  EXPECT_TRUE(fails_with(parse_handshake(longer), Alert::decode_error));
  const std::uint8_t body[] = {0xaa, 0xbb, 0xcc};
  auto enc = encode_handshake(HandshakeType::finished, body);
  ASSERT_TRUE(enc.ok());
  EXPECT_EQ(hex(*enc), "14000003aabbcc");
  std::vector<std::uint8_t> flight = {0x99};
  ASSERT_TRUE(append_message(flight, KeyUpdate{KeyUpdateRequest::update_requested}).ok());
  EXPECT_EQ(hex(flight),
            "99"
            "1800000101");
  EXPECT_EQ(to_string(HandshakeType::message_hash), "message_hash");
  EXPECT_EQ(to_string(static_cast<HandshakeType>(3)), "unknown");
}

TEST(MsgFraming, BodyAbove2To24IsInternalError) {
  std::vector<std::uint8_t> flight = {0x01};
  const std::vector<std::uint8_t> big(1u << 24, 0);
  auto r =
      append_handshake(flight, HandshakeType::certificate, [&](wire::Writer& w) { w.bytes(big); });
  EXPECT_TRUE(fails_with(r, Alert::internal_error));
  EXPECT_EQ(flight.size(), 1u);  // nothing half-written
}

// Every strict prefix of every trace message fails, as does every message
// with a byte appended: no decoder reads past its input or ignores trailing
// data.
TEST(MsgTruncation, EveryPrefixOfEveryTraceMessageFails) {
  std::size_t checked = 0;
  for (const auto& msg : all_trace_messages()) {
    auto v = parse_handshake(msg);
    ASSERT_TRUE(v.ok());
    ASSERT_TRUE(decode_any(v->type, v->body).ok()) << to_string(v->type);
    for (std::size_t n = 0; n < msg.size(); ++n) {
      EXPECT_FALSE(parse_handshake(wire::Bytes(msg).first(n)).ok());
    }
    for (std::size_t n = 0; n < v->body.size(); ++n) {
      auto r = decode_any(v->type, v->body.first(n));
      EXPECT_TRUE(fails_with(r, Alert::decode_error)) << to_string(v->type) << " prefix " << n;
      ++checked;
    }
    std::vector<std::uint8_t> longer(v->body.begin(), v->body.end());
    longer.push_back(0);
    EXPECT_TRUE(fails_with(decode_any(v->type, longer), Alert::decode_error))
        << to_string(v->type) << " with trailing byte";
  }
  EXPECT_GT(checked, 5000u);
}

// Random byte edits of the trace messages: every decoder either rejects the
// input or accepts it and re-encodes it to exactly the same bytes (nothing is
// lost or normalised). Under the sanitizer build this is also a small fuzz
// run for memory errors.
TEST(MsgFuzz, MutatedTraceMessagesRoundTripOrFail) {
  std::mt19937 rng(8446);
  std::size_t accepted = 0, rejected = 0;
  for (const auto& original : all_trace_messages()) {
    for (int round = 0; round < 300; ++round) {
      auto m = original;
      const int edits = 1 + static_cast<int>(rng() % 3);
      for (int e = 0; e < edits; ++e) {
        // Keep the 4-byte header's type; edit the length or the body.
        const std::size_t at = 1 + rng() % (m.size() - 1);
        switch (rng() % 4) {
          case 0:
            m[at] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
            break;
          case 1:
            m[at] = static_cast<std::uint8_t>(rng());
            break;
          case 2:
            m.erase(m.begin() + static_cast<std::ptrdiff_t>(at));
            break;
          default:
            m.insert(m.begin() + static_cast<std::ptrdiff_t>(at), static_cast<std::uint8_t>(rng()));
        }
        if (m.size() < 2) break;
      }
      auto again = msg::test::reencode(m, 32);
      if (again.ok()) {
        ++accepted;
        EXPECT_EQ(hex(*again), hex(m));
      } else {
        ++rejected;
      }
    }
  }
  // Both outcomes occur (flips inside opaque fields keep messages valid).
  EXPECT_GT(accepted, 100u);
  EXPECT_GT(rejected, 1000u);
}

// A minimal ClientHello body from its parts (each with its length prefix).
std::vector<std::uint8_t> ch_body(const std::string& session_id, const std::string& suites,
                                  const std::string& compression, const std::string& exts) {
  return hex("0303" + std::string(64, '1') + session_id + suites + compression + exts);
}
// Decodes a ClientHello assembled by ch_body; the status only.
Result<void> ch(const std::string& sid, const std::string& suites, const std::string& comp,
                const std::string& exts, const DecodeLimits& limits = {}) {
  const auto b = ch_body(sid, suites, comp, exts);
  return decode_any(HandshakeType::client_hello, b, limits);
}
const std::string kSuites =
    "0002"
    "1301";
const std::string kExts =
    "0009"
    "002b0005"
    "0403040303";  // supported_versions, 9 bytes

TEST(MsgClientHello, MinimalDecodesAndReportsLegacyFields) {
  const auto b = ch_body("00", kSuites, "0100", kExts);
  auto ch = ClientHello::decode(b);
  ASSERT_TRUE(ch.ok()) << ch.error().describe();
  EXPECT_TRUE(ch->null_compression_only());
  // legacy_version and other compression methods are reported, not judged.
  auto odd = hex("0301" + std::string(64, '1') + "00" + kSuites + "020100" + kExts);
  auto ch2 = ClientHello::decode(odd);
  ASSERT_TRUE(ch2.ok());
  EXPECT_EQ(ch2->legacy_version, 0x0301);
  EXPECT_FALSE(ch2->null_compression_only());
}

TEST(MsgClientHello, FieldBounds) {
  const std::string sid33 = "21" + std::string(66, 'a');
  const std::string sid32 = "20" + std::string(64, 'a');
  EXPECT_TRUE(ch(sid32, kSuites, "0100", kExts).ok());
  EXPECT_TRUE(fails_with(ch(sid33, kSuites, "0100", kExts), Alert::decode_error));
  // cipher_suites<2..2^16-2>: empty, odd.
  EXPECT_TRUE(fails_with(ch("00", "0000", "0100", kExts), Alert::decode_error));
  EXPECT_TRUE(fails_with(ch("00", "0003130113", "0100", kExts), Alert::decode_error));
  // legacy_compression_methods<1..2^8-1>.
  EXPECT_TRUE(fails_with(ch("00", kSuites, "00", kExts), Alert::decode_error));
  // extensions<8..2^16-1>: absent, too short, longer than the message.
  EXPECT_TRUE(fails_with(ch("00", kSuites, "0100", ""), Alert::decode_error));
  EXPECT_TRUE(fails_with(ch("00", kSuites, "0100",
                            "0007"
                            "002b0003020304"),
                         Alert::decode_error));
  EXPECT_TRUE(fails_with(ch("00", kSuites, "0100",
                            "000a"
                            "002b0005"
                            "0403040303"),
                         Alert::decode_error));
}

TEST(MsgClientHello, ExtensionRules) {
  const std::string sv =
      "002b0005"
      "0403040303";
  // Duplicate supported_versions.
  EXPECT_TRUE(fails_with(ch("00", kSuites, "0100", "0012" + sv + sv), Alert::illegal_parameter));
  // pre_shared_key (with a syntactically valid body) not last.
  const std::string psk =
      "0029"
      "002f"
      "000a"
      "0004aabbccdd"
      "00000000"
      "0021"
      "20" +
      std::string(64, '0');
  auto len = [](const std::string& h) {
    char b[5];
    std::snprintf(b, sizeof b, "%04x", static_cast<unsigned>(h.size() / 2));
    return std::string(b);
  };
  EXPECT_TRUE(ch("00", kSuites, "0100", len(sv + psk) + sv + psk).ok());
  EXPECT_TRUE(
      fails_with(ch("00", kSuites, "0100", len(psk + sv) + psk + sv), Alert::illegal_parameter));
  // oid_filters belongs to CertificateRequest only.
  const std::string oid =
      "00300002"
      "0000";
  EXPECT_TRUE(
      fails_with(ch("00", kSuites, "0100", len(sv + oid) + sv + oid), Alert::illegal_parameter));
  // Unknown extensions are kept for the server to ignore.
  const std::string unknown =
      "fe000001"
      "00";
  const auto with_unknown = ch_body("00", kSuites, "0100", len(sv + unknown) + sv + unknown);
  auto decoded = ClientHello::decode(with_unknown);
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(decoded->extensions.contains(0xfe00));
  // The extension limit is a parameter.
  DecodeLimits one;
  one.max_extensions = 1;
  EXPECT_TRUE(fails_with(ClientHello::decode(with_unknown, one), Alert::decode_error));
}

std::vector<std::uint8_t> sh_body(const std::string& random, const std::string& sid,
                                  const std::string& comp, const std::string& exts) {
  return hex("0303" + random + sid + "1301" + comp + exts);
}
Result<void> sh(const std::string& random, const std::string& sid, const std::string& comp,
                const std::string& exts) {
  const auto b = sh_body(random, sid, comp, exts);
  return decode_any(HandshakeType::server_hello, b);
}
const std::string kRandom(64, '2');
const std::string kHrrRandom = "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c";
const std::string kShExts =
    "0006"
    "002b00020304";

TEST(MsgServerHello, FieldsAndCompression) {
  const auto b = sh_body(kRandom, "00", "00", kShExts);
  auto decoded = ServerHello::decode(b);
  ASSERT_TRUE(decoded.ok());
  EXPECT_FALSE(decoded->is_hello_retry_request());
  EXPECT_TRUE(fails_with(sh(kRandom, "00", "01", kShExts), Alert::illegal_parameter));
  EXPECT_TRUE(
      fails_with(sh(kRandom, "21" + std::string(66, 'a'), "00", kShExts), Alert::decode_error));
  // extensions<6..2^16-1>.
  EXPECT_TRUE(fails_with(sh(kRandom, "00", "00", "0000"), Alert::decode_error));
  EXPECT_TRUE(fails_with(sh(kRandom, "00", "00", ""), Alert::decode_error));
}

TEST(MsgServerHello, ExtensionColumnFollowsTheRandom) {
  const std::string cookie =
      "002c0003"
      "0001aa";
  const std::string exts =
      "000d"
      "002b00020304" +
      cookie;
  // cookie: HelloRetryRequest only.
  const auto hrr_bytes = sh_body(kHrrRandom, "00", "00", exts);
  auto hrr = ServerHello::decode(hrr_bytes);
  ASSERT_TRUE(hrr.ok()) << hrr.error().describe();
  EXPECT_TRUE(hrr->is_hello_retry_request());
  EXPECT_TRUE(fails_with(sh(kRandom, "00", "00", exts), Alert::illegal_parameter));
  // pre_shared_key: ServerHello only.
  const std::string psk =
      "000c"
      "002b00020304"
      "002900020000";
  EXPECT_TRUE(sh(kRandom, "00", "00", psk).ok());
  EXPECT_TRUE(fails_with(sh(kHrrRandom, "00", "00", psk), Alert::illegal_parameter));
  // supported_groups: neither.
  const std::string groups =
      "000e"
      "002b00020304"
      "000a00040002001d";
  EXPECT_TRUE(fails_with(sh(kRandom, "00", "00", groups), Alert::illegal_parameter));
  // Duplicate.
  EXPECT_TRUE(fails_with(sh(kRandom, "00", "00",
                            "000c"
                            "002b00020304"
                            "002b00020304"),
                         Alert::illegal_parameter));
}

TEST(MsgEncryptedExtensions, ForbiddenAndAllowed) {
  const auto ok =
      hex("0008"
          "002a0000"
          "00000000");  // early_data, server_name
  EXPECT_TRUE(EncryptedExtensions::decode(ok).ok());
  for (const char* forbidden : {"0006"
                                "002b00020304",
                                "0008"
                                "003300040017"
                                "0000",
                                "0004"
                                "00310000",
                                "0004"
                                "00150000",
                                "0006"
                                "0029"
                                "00020000",
                                "0006"
                                "002d00020101"}) {
    const auto b = hex(forbidden);
    EXPECT_TRUE(fails_with(EncryptedExtensions::decode(b), Alert::illegal_parameter)) << forbidden;
  }
}

TEST(MsgCertificateRequest, Bounds) {
  const auto ok =
      hex("00"
          "0008"
          "000d0004"
          "00020804");
  auto cr = CertificateRequest::decode(ok);
  ASSERT_TRUE(cr.ok());
  EXPECT_TRUE(cr->extensions.contains(ExtensionType::signature_algorithms));
  const auto ctx =
      hex("02abcd"
          "0004"
          "fafa0000");  // GREASE only: kept, presence is the SM's
  EXPECT_TRUE(CertificateRequest::decode(ctx).ok());
  const auto empty_exts =
      hex("00"
          "0000");
  EXPECT_TRUE(fails_with(CertificateRequest::decode(empty_exts), Alert::decode_error));
  const auto key_share =
      hex("00"
          "0008"
          "003300040017"
          "0000");
  EXPECT_TRUE(fails_with(CertificateRequest::decode(key_share), Alert::illegal_parameter));
}

TEST(MsgCertificate, EntriesAndLimits) {
  // Two entries; the first carries status_request and SCT, the second the
  // same types again (duplicates are per block).
  const std::string e1 =
      "000002"
      "3000"
      "000c"
      "0005000401000000"
      "00120000";
  const std::string e2 =
      "000001"
      "30"
      "0004"
      "00050000";
  const std::string list = e1 + e2;
  char len[7];
  std::snprintf(len, sizeof len, "%06x", static_cast<unsigned>(list.size() / 2));
  const auto body = hex("00" + std::string(len) + list);
  auto c = Certificate::decode(body);
  ASSERT_TRUE(c.ok()) << c.error().describe();
  ASSERT_EQ(c->certificate_list.size(), 2u);
  EXPECT_EQ(hex(c->certificate_list[0].cert_data), "3000");
  EXPECT_EQ(c->certificate_list[0].extensions.size(), 2u);
  EXPECT_EQ(hex(msg::test::encode_body(*c)), hex(body));

  DecodeLimits one;
  one.max_certificate_entries = 1;
  EXPECT_TRUE(fails_with(Certificate::decode(body, one), Alert::decode_error));

  const auto empty_list =
      hex("00"
          "000000");  // a client without a certificate
  EXPECT_TRUE(Certificate::decode(empty_list).ok());
  const auto empty_cert =
      hex("00"
          "000005"
          "000000"
          "0000");  // cert_data<1..>
  EXPECT_TRUE(fails_with(Certificate::decode(empty_cert), Alert::decode_error));
  const auto key_share =
      hex("00"
          "00000e"
          "00000130"
          "0008"
          "003300040017"
          "0000");
  EXPECT_TRUE(fails_with(Certificate::decode(key_share), Alert::illegal_parameter));
  const auto dup =
      hex("00"
          "000010"
          "00000130"
          "000a"
          "00120001aa"
          "00120001bb");
  EXPECT_TRUE(fails_with(Certificate::decode(dup), Alert::illegal_parameter));
  const auto no_exts =
      hex("00"
          "000004"
          "00000130");  // entry missing its extensions
  EXPECT_TRUE(fails_with(Certificate::decode(no_exts), Alert::decode_error));
}

TEST(MsgCertificateVerify, Fields) {
  const auto b =
      hex("0807"
          "0002"
          "abcd");
  auto cv = CertificateVerify::decode(b);
  ASSERT_TRUE(cv.ok());
  EXPECT_EQ(cv->algorithm, SignatureScheme::ed25519);
  const auto empty_sig =
      hex("0807"
          "0000");  // signature<0..2^16-1>
  EXPECT_TRUE(CertificateVerify::decode(empty_sig).ok());
  const auto short_sig =
      hex("0807"
          "0003"
          "abcd");
  EXPECT_TRUE(fails_with(CertificateVerify::decode(short_sig), Alert::decode_error));
}

TEST(MsgFinished, LengthMustMatchTheHash) {
  const std::vector<std::uint8_t> v32(32, 7), v48(48, 7);
  EXPECT_TRUE(Finished::decode(v32, 32).ok());
  EXPECT_TRUE(Finished::decode(v48, 48).ok());
  EXPECT_TRUE(fails_with(Finished::decode(v32, 48), Alert::decode_error));
  EXPECT_TRUE(fails_with(Finished::decode(v48, 32), Alert::decode_error));
  EXPECT_TRUE(fails_with(Finished::decode(wire::Bytes(v32).first(31), 32), Alert::decode_error));
}

TEST(MsgNewSessionTicket, Bounds) {
  const auto ok =
      hex("0000001e"
          "00000001"
          "00"
          "0001aa"
          "0008"
          "002a000400000400");
  auto t = NewSessionTicket::decode(ok);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->ticket_nonce.empty());
  const auto empty_ticket =
      hex("0000001e"
          "00000001"
          "00"
          "0000"
          "0000");
  EXPECT_TRUE(fails_with(NewSessionTicket::decode(empty_ticket), Alert::decode_error));
  const auto key_share =
      hex("0000001e"
          "00000001"
          "00"
          "0001aa"
          "0006"
          "003300020017");
  EXPECT_TRUE(fails_with(NewSessionTicket::decode(key_share), Alert::illegal_parameter));
  const auto grease =
      hex("0000001e"
          "00000001"
          "00"
          "0001aa"
          "0005"
          "1a1a000100");
  EXPECT_TRUE(NewSessionTicket::decode(grease).ok());
  // extensions<0..2^16-2>
  const auto big =
      hex("0000001e"
          "00000001"
          "00"
          "0001aa"
          "ffff"
          "1a1afffb" +
          std::string(2 * 0xfffb, '0'));
  EXPECT_TRUE(fails_with(NewSessionTicket::decode(big), Alert::decode_error));
  // The lifetime is reported even above the 7-day cap (the client caps it).
  const auto long_life =
      hex("ffffffff"
          "00000001"
          "00"
          "0001aa"
          "0000");
  auto ll = NewSessionTicket::decode(long_life);
  ASSERT_TRUE(ll.ok());
  EXPECT_GT(ll->ticket_lifetime, kMaxTicketLifetime);
}

TEST(MsgEndOfEarlyDataAndKeyUpdate, Values) {
  EXPECT_TRUE(EndOfEarlyData::decode({}).ok());
  const auto one = hex("00");
  EXPECT_TRUE(fails_with(EndOfEarlyData::decode(one), Alert::decode_error));
  const auto k0 = hex("00"), k1 = hex("01"), k2 = hex("02"), kff = hex("ff"), k00 = hex("0000");
  EXPECT_EQ(KeyUpdate::decode(k0)->request_update, KeyUpdateRequest::update_not_requested);
  EXPECT_EQ(KeyUpdate::decode(k1)->request_update, KeyUpdateRequest::update_requested);
  EXPECT_TRUE(fails_with(KeyUpdate::decode(k2), Alert::illegal_parameter));
  EXPECT_TRUE(fails_with(KeyUpdate::decode(kff), Alert::illegal_parameter));
  EXPECT_TRUE(fails_with(KeyUpdate::decode({}), Alert::decode_error));
  EXPECT_TRUE(fails_with(KeyUpdate::decode(k00), Alert::decode_error));
}

}  // namespace
}  // namespace tls13::msg
