// Every handshake message of the RFC 8448 traces decodes, re-encodes to the
// same bytes, and carries the values the trace prints.
#include <deque>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "msg/certificate.h"
#include "msg/certificate_request.h"
#include "msg/certificate_verify.h"
#include "msg/client_hello.h"
#include "msg/encrypted_extensions.h"
#include "msg/end_of_early_data.h"
#include "msg/ext_cookie.h"
#include "msg/ext_groups_sigalgs.h"
#include "msg/ext_key_share.h"
#include "msg/ext_names.h"
#include "msg/ext_psk.h"
#include "msg/ext_record_size_limit.h"
#include "msg/ext_supported_versions.h"
#include "msg/finished.h"
#include "msg/handshake.h"
#include "msg/key_update.h"
#include "msg/new_session_ticket.h"
#include "msg/server_hello.h"
#include "support/test_support.h"
#include "unit/msg_test_util.h"

namespace tls13::msg {
namespace {

using tls13::test::hex;
using tls13::test::rfc8448_named;
using tls13::test::rfc8448_section;

constexpr std::size_t kSha256Len = 32;  // every RFC 8448 trace uses TLS_AES_128_GCM_SHA256

// The complete bytes of every handshake message of a section, in trace order.
// §4 prints only the binder-less prefix of its ClientHello; the full one is
// the first record's payload.
std::vector<std::pair<std::string, std::vector<std::uint8_t>>> messages_of(const std::string& s) {
  const auto& sec = rfc8448_section(s);
  std::vector<std::pair<std::string, std::vector<std::uint8_t>>> out;
  for (const auto& m : sec.at("handshake_messages")) {
    std::string type = m.at("type").get<std::string>();
    std::string h = m.at("hex").get<std::string>();
    if (s == "4" && type == "ClientHello") {
      h = sec.at("records").at(0).at("payload").get<std::string>();
    }
    out.emplace_back(type, hex(h));
  }
  return out;
}

HandshakeType type_named(const std::string& name) {
  static const std::map<std::string, HandshakeType> kTypes = {
      {"ClientHello", HandshakeType::client_hello},
      {"ServerHello", HandshakeType::server_hello},
      {"EncryptedExtensions", HandshakeType::encrypted_extensions},
      {"CertificateRequest", HandshakeType::certificate_request},
      {"Certificate", HandshakeType::certificate},
      {"CertificateVerify", HandshakeType::certificate_verify},
      {"Finished", HandshakeType::finished},
      {"NewSessionTicket", HandshakeType::new_session_ticket},
      {"EndOfEarlyData", HandshakeType::end_of_early_data},
      {"KeyUpdate", HandshakeType::key_update},
  };
  return kTypes.at(name);
}

void expect_byte_exact_section(const std::string& s, std::size_t expected_count) {
  auto msgs = messages_of(s);
  ASSERT_EQ(msgs.size(), expected_count);
  for (const auto& [type, bytes] : msgs) {
    SCOPED_TRACE("section " + s + " " + type);
    auto v = parse_handshake(bytes);
    ASSERT_TRUE(v.ok()) << v.error().describe();
    EXPECT_EQ(v->type, type_named(type));
    auto again = msg::test::reencode(bytes, kSha256Len);
    ASSERT_TRUE(again.ok()) << again.error().describe();
    EXPECT_EQ(hex(*again), hex(bytes));
  }
}

TEST(MsgRfc8448, Section3MessagesAreByteExact) {
  expect_byte_exact_section("3", 8);
}
TEST(MsgRfc8448, Section4MessagesAreByteExact) {
  expect_byte_exact_section("4", 6);
}
TEST(MsgRfc8448, Section5MessagesAreByteExact) {
  expect_byte_exact_section("5", 9);
}
TEST(MsgRfc8448, Section6MessagesAreByteExact) {
  expect_byte_exact_section("6", 10);
}
TEST(MsgRfc8448, Section7MessagesAreByteExact) {
  expect_byte_exact_section("7", 7);
}

// Decoded messages are views into their bytes; keep every buffer alive for
// the whole run so the tests can pass temporaries.
wire::Bytes keep(std::vector<std::uint8_t> b) {
  static std::deque<std::vector<std::uint8_t>> arena;
  arena.push_back(std::move(b));
  return arena.back();
}

template <class M>
M decode_body(std::vector<std::uint8_t> bytes) {
  auto v = parse_handshake(keep(std::move(bytes)));
  EXPECT_TRUE(v.ok());
  auto m = M::decode(v->body);
  EXPECT_TRUE(m.ok()) << m.error().describe();
  return std::move(m).value();
}

std::vector<std::uint8_t> vec(wire::Bytes b) {
  return {b.begin(), b.end()};
}

const std::vector<SignatureScheme> kClientSigalgs = {
    SignatureScheme::ecdsa_secp256r1_sha256, SignatureScheme::ecdsa_secp384r1_sha384,
    SignatureScheme::ecdsa_secp521r1_sha512, static_cast<SignatureScheme>(0x0203),
    SignatureScheme::rsa_pss_rsae_sha256,    SignatureScheme::rsa_pss_rsae_sha384,
    SignatureScheme::rsa_pss_rsae_sha512,    SignatureScheme::rsa_pkcs1_sha256,
    SignatureScheme::rsa_pkcs1_sha384,       SignatureScheme::rsa_pkcs1_sha512,
    static_cast<SignatureScheme>(0x0201),    static_cast<SignatureScheme>(0x0402),
    static_cast<SignatureScheme>(0x0502),    static_cast<SignatureScheme>(0x0602),
    static_cast<SignatureScheme>(0x0202)};

const std::vector<NamedGroup> kClientGroups = {NamedGroup::x25519,
                                               NamedGroup::secp256r1,
                                               NamedGroup::secp384r1,
                                               NamedGroup::secp521r1,
                                               NamedGroup::ffdhe2048,
                                               NamedGroup::ffdhe3072,
                                               static_cast<NamedGroup>(0x0102),
                                               static_cast<NamedGroup>(0x0103),
                                               static_cast<NamedGroup>(0x0104)};

TEST(MsgRfc8448, Section3ClientHelloFields) {
  auto ch = decode_body<ClientHello>(rfc8448_named("3", "client_ClientHello"));
  EXPECT_EQ(ch.legacy_version, kTls12);
  EXPECT_TRUE(ch.legacy_session_id.empty());
  EXPECT_EQ(ch.cipher_suites, (std::vector<CipherSuite>{CipherSuite::aes_128_gcm_sha256,
                                                        CipherSuite::chacha20_poly1305_sha256,
                                                        CipherSuite::aes_256_gcm_sha384}));
  EXPECT_TRUE(ch.null_compression_only());
  ASSERT_EQ(ch.extensions.size(), 9u);

  auto sni = ch.extensions.get<ServerNameList>();
  ASSERT_TRUE(sni.ok() && sni->has_value());
  ASSERT_TRUE((*sni)->host_name().has_value());
  EXPECT_EQ(vec(*(*sni)->host_name()), tls13::test::bytes("server"));

  auto ks = ch.extensions.get<KeyShareClientHello>();
  ASSERT_TRUE(ks.ok() && ks->has_value());
  ASSERT_EQ((*ks)->client_shares.size(), 1u);
  EXPECT_EQ((*ks)->client_shares[0].group, NamedGroup::x25519);
  EXPECT_EQ(vec((*ks)->client_shares[0].key_exchange),
            rfc8448_named("3", "client_x25519_public_key"));

  auto sv = ch.extensions.get<SupportedVersionsClientHello>();
  ASSERT_TRUE(sv.ok() && sv->has_value());
  EXPECT_EQ((*sv)->versions, std::vector<std::uint16_t>{kTls13});

  auto groups = ch.extensions.get<NamedGroupList>();
  ASSERT_TRUE(groups.ok() && groups->has_value());
  EXPECT_EQ((*groups)->named_group_list, kClientGroups);

  auto sigalgs = ch.extensions.get<SignatureSchemeList>();
  ASSERT_TRUE(sigalgs.ok() && sigalgs->has_value());
  EXPECT_EQ((*sigalgs)->supported_signature_algorithms, kClientSigalgs);

  auto modes = ch.extensions.get<PskKeyExchangeModes>();
  ASSERT_TRUE(modes.ok() && modes->has_value());
  EXPECT_EQ((*modes)->ke_modes, std::vector<PskKeyExchangeMode>{PskKeyExchangeMode::psk_dhe_ke});

  auto rsl = ch.extensions.get<RecordSizeLimit>();
  ASSERT_TRUE(rsl.ok() && rsl->has_value());
  EXPECT_EQ((*rsl)->limit, 0x4001);

  // TLS 1.2 extensions the trace's client also sends: kept, not judged.
  EXPECT_TRUE(ch.extensions.contains(ExtensionType::renegotiation_info));
  EXPECT_TRUE(ch.extensions.contains(ExtensionType::session_ticket));
  EXPECT_FALSE(ch.extensions.contains(ExtensionType::pre_shared_key));
}

// The same ClientHello built from typed values encodes to the trace's bytes:
// the building API is enough for a byte-exact replay.
TEST(MsgRfc8448, Section3ClientHelloBuiltFromTypedValues) {
  const auto expected = rfc8448_named("3", "client_ClientHello");
  const auto random = decode_body<ClientHello>(expected).random;
  const auto pub = rfc8448_named("3", "client_x25519_public_key");
  const auto host = tls13::test::bytes("server");
  const std::uint8_t reneg[] = {0};

  ClientHello ch;
  ch.random = random;
  ch.cipher_suites = {CipherSuite::aes_128_gcm_sha256, CipherSuite::chacha20_poly1305_sha256,
                      CipherSuite::aes_256_gcm_sha384};
  ch.extensions.add(ServerNameList::for_host(host));
  ch.extensions.add(ExtensionType::renegotiation_info, reneg);
  ch.extensions.add(NamedGroupList{kClientGroups});
  ch.extensions.add(ExtensionType::session_ticket, {});
  ch.extensions.add(KeyShareClientHello{{KeyShareEntry{NamedGroup::x25519, pub}}});
  ch.extensions.add(SupportedVersionsClientHello{{kTls13}});
  ch.extensions.add(SignatureSchemeList{kClientSigalgs});
  ch.extensions.add(PskKeyExchangeModes{{PskKeyExchangeMode::psk_dhe_ke}});
  ch.extensions.add(RecordSizeLimit{0x4001});
  EXPECT_EQ(hex(msg::test::encode_full(ch)), hex(expected));
}

TEST(MsgRfc8448, Section3ServerFlightFields) {
  auto sh = decode_body<ServerHello>(rfc8448_named("3", "server_ServerHello"));
  EXPECT_FALSE(sh.is_hello_retry_request());
  EXPECT_EQ(sh.cipher_suite, CipherSuite::aes_128_gcm_sha256);
  EXPECT_EQ(sh.legacy_compression_method, 0);
  auto ks = sh.extensions.get<KeyShareServerHello>();
  ASSERT_TRUE(ks.ok() && ks->has_value());
  EXPECT_EQ((*ks)->server_share.group, NamedGroup::x25519);
  EXPECT_EQ(vec((*ks)->server_share.key_exchange), rfc8448_named("3", "server_x25519_public_key"));
  auto sv = sh.extensions.get<SupportedVersionsServerHello>();
  ASSERT_TRUE(sv.ok() && sv->has_value());
  EXPECT_EQ((*sv)->selected_version, kTls13);

  auto ee = decode_body<EncryptedExtensions>(rfc8448_named("3", "server_EncryptedExtensions"));
  ASSERT_EQ(ee.extensions.size(), 3u);
  auto sni = ee.extensions.get<ServerNameAck>();
  EXPECT_TRUE(sni.ok() && sni->has_value());
  auto rsl = ee.extensions.get<RecordSizeLimit>();
  ASSERT_TRUE(rsl.ok() && rsl->has_value());
  EXPECT_EQ((*rsl)->limit, 0x4001);

  auto cert = decode_body<Certificate>(rfc8448_named("3", "server_Certificate"));
  EXPECT_TRUE(cert.certificate_request_context.empty());
  ASSERT_EQ(cert.certificate_list.size(), 1u);
  EXPECT_EQ(cert.certificate_list[0].cert_data.size(), 0x1b0u);
  EXPECT_EQ(cert.certificate_list[0].cert_data[0], 0x30);  // DER SEQUENCE
  EXPECT_TRUE(cert.certificate_list[0].extensions.empty());

  auto cv = decode_body<CertificateVerify>(rfc8448_named("3", "server_CertificateVerify"));
  EXPECT_EQ(cv.algorithm, SignatureScheme::rsa_pss_rsae_sha256);
  EXPECT_EQ(cv.signature.size(), 128u);

  const auto fin_msg = rfc8448_named("3", "server_Finished");
  auto fin = Finished::decode(parse_handshake(fin_msg)->body, kSha256Len);
  ASSERT_TRUE(fin.ok());
  EXPECT_EQ(vec(fin->verify_data), rfc8448_named("3", "server_finished_verify_data"));
}

TEST(MsgRfc8448, Section3NewSessionTicketFields) {
  const auto& fields = rfc8448_section("3").at("named").at("new_session_ticket_fields");
  auto nst = decode_body<NewSessionTicket>(rfc8448_named("3", "server_NewSessionTicket"));
  EXPECT_EQ(nst.ticket_lifetime, fields.at("ticket_lifetime").get<std::uint32_t>());
  EXPECT_EQ(nst.ticket_age_add, 0xfad6aac5u);
  EXPECT_EQ(vec(nst.ticket_nonce), rfc8448_named("3", "ticket_nonce"));
  EXPECT_EQ(hex(nst.ticket), fields.at("ticket").get<std::string>());
  auto ed = nst.extensions.get<EarlyDataNewSessionTicket>();
  ASSERT_TRUE(ed.ok() && ed->has_value());
  EXPECT_EQ((*ed)->max_early_data_size, 1024u);
}

std::vector<std::uint8_t> section4_client_hello() {
  return messages_of("4").at(0).second;
}

TEST(MsgRfc8448, Section4ClientHelloOffersTheTicket) {
  const auto full = section4_client_hello();
  auto ch = decode_body<ClientHello>(full);
  ASSERT_GE(ch.extensions.size(), 1u);
  EXPECT_EQ(ch.extensions[ch.extensions.size() - 1].kind(), ExtensionType::pre_shared_key);
  EXPECT_TRUE(ch.extensions.contains(ExtensionType::early_data));
  auto psk = ch.extensions.get<OfferedPsks>();
  ASSERT_TRUE(psk.ok() && psk->has_value());
  ASSERT_EQ((*psk)->identities.size(), 1u);
  const auto& fields = rfc8448_section("3").at("named").at("new_session_ticket_fields");
  EXPECT_EQ(hex((*psk)->identities[0].identity), fields.at("ticket").get<std::string>());
  ASSERT_EQ((*psk)->binders.size(), 1u);
  EXPECT_EQ(vec((*psk)->binders[0]), rfc8448_named("4", "psk_binder"));
}

TEST(MsgRfc8448, Section4TruncatedClientHelloForBinder) {
  const auto full = section4_client_hello();
  auto t = truncate_client_hello_for_binders(full);
  ASSERT_TRUE(t.ok()) << t.error().describe();
  EXPECT_EQ(t->size(), 477u);
  EXPECT_EQ(hex(*t), hex(rfc8448_named("4", "psk_binder_truncated_client_hello")));
  // The printed ClientHello of §4 is the same prefix.
  EXPECT_EQ(hex(*t), rfc8448_section("4").at("handshake_messages").at(0).at("hex"));
}

TEST(MsgRfc8448, Section4PatchBinderIntoPlaceholderClientHello) {
  const auto full = section4_client_hello();
  auto ch = decode_body<ClientHello>(full);
  // Rebuild the pre_shared_key with a zeroed placeholder binder, as a client
  // does before it can compute the binder.
  auto psk = ch.extensions.get<OfferedPsks>();
  ASSERT_TRUE(psk.ok() && psk->has_value());
  OfferedPsks placeholder = **psk;
  const std::vector<std::uint8_t> zeros(kSha256Len, 0);
  placeholder.binders = {zeros};
  ch.extensions.set(placeholder);
  auto bytes = msg::test::encode_full(ch);
  ASSERT_EQ(bytes.size(), full.size());
  EXPECT_NE(bytes, full);

  auto t = truncate_client_hello_for_binders(bytes);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(hex(*t), hex(rfc8448_named("4", "psk_binder_truncated_client_hello")));

  const auto binder = rfc8448_named("4", "psk_binder");
  const wire::Bytes binders[] = {binder};
  ASSERT_TRUE(patch_psk_binders(bytes, binders).ok());
  EXPECT_EQ(hex(bytes), hex(full));
}

TEST(MsgRfc8448, Section4PatchRejectsWrongBinderShape) {
  auto bytes = section4_client_hello();
  const std::vector<std::uint8_t> short_binder(31, 1), other(32, 1);
  const wire::Bytes wrong_len[] = {short_binder};
  const wire::Bytes wrong_count[] = {other, other};
  EXPECT_TRUE(msg::test::fails_with(patch_psk_binders(bytes, wrong_len), Alert::internal_error));
  EXPECT_TRUE(msg::test::fails_with(patch_psk_binders(bytes, wrong_count), Alert::internal_error));
  EXPECT_EQ(bytes, section4_client_hello());
  // A ClientHello without pre_shared_key has no binders.
  const auto no_psk = rfc8448_named("3", "client_ClientHello");
  EXPECT_TRUE(
      msg::test::fails_with(truncate_client_hello_for_binders(no_psk), Alert::internal_error));
}

TEST(MsgRfc8448, Section4ServerAcceptsPskAndEarlyData) {
  auto sh = decode_body<ServerHello>(rfc8448_named("4", "server_ServerHello"));
  auto psk = sh.extensions.get<PreSharedKeyServerHello>();
  ASSERT_TRUE(psk.ok() && psk->has_value());
  EXPECT_EQ((*psk)->selected_identity, 0);
  auto ee = decode_body<EncryptedExtensions>(rfc8448_named("4", "server_EncryptedExtensions"));
  auto ed = ee.extensions.get<EarlyDataIndication>();
  EXPECT_TRUE(ed.ok() && ed->has_value());
  const auto eoed_bytes = rfc8448_named("4", "client_EndOfEarlyData");
  EXPECT_EQ(hex(eoed_bytes), "05000000");
  auto eoed = parse_handshake(eoed_bytes);
  ASSERT_TRUE(eoed.ok());
  EXPECT_EQ(eoed->type, HandshakeType::end_of_early_data);
  EXPECT_TRUE(EndOfEarlyData::decode(eoed->body).ok());
}

TEST(MsgRfc8448, Section5HelloRetryRequest) {
  const auto hrr_bytes = rfc8448_named("5", "server_HelloRetryRequest");
  EXPECT_EQ(hrr_bytes, messages_of("5").at(1).second);
  auto hrr = decode_body<ServerHello>(hrr_bytes);
  EXPECT_TRUE(hrr.is_hello_retry_request());
  EXPECT_EQ(hrr.context(), MessageContext::hello_retry_request);
  EXPECT_EQ(hrr.cipher_suite, CipherSuite::aes_128_gcm_sha256);
  auto ks = hrr.extensions.get<KeyShareHelloRetryRequest>();
  ASSERT_TRUE(ks.ok() && ks->has_value());
  EXPECT_EQ((*ks)->selected_group, NamedGroup::secp256r1);
  auto sv = hrr.extensions.get<SupportedVersionsServerHello>();
  ASSERT_TRUE(sv.ok() && sv->has_value());
  EXPECT_EQ((*sv)->selected_version, kTls13);
  auto cookie = hrr.extensions.get<Cookie>();
  ASSERT_TRUE(cookie.ok() && cookie->has_value());
  EXPECT_EQ((*cookie)->cookie.size(), 0x72u);

  // The second ClientHello echoes the cookie and offers one P-256 share.
  auto ch2 = decode_body<ClientHello>(rfc8448_named("5", "client_ClientHello_2"));
  auto cookie2 = ch2.extensions.get<Cookie>();
  ASSERT_TRUE(cookie2.ok() && cookie2->has_value());
  EXPECT_EQ(vec((*cookie2)->cookie), vec((*cookie)->cookie));
  auto ks2 = ch2.extensions.get<KeyShareClientHello>();
  ASSERT_TRUE(ks2.ok() && ks2->has_value());
  ASSERT_EQ((*ks2)->client_shares.size(), 1u);
  EXPECT_EQ((*ks2)->client_shares[0].group, NamedGroup::secp256r1);
  EXPECT_EQ(vec((*ks2)->client_shares[0].key_exchange),
            rfc8448_named("5", "client_p256_public_key"));

  auto sh = decode_body<ServerHello>(rfc8448_named("5", "server_ServerHello_2"));
  EXPECT_FALSE(sh.is_hello_retry_request());
  auto sks = sh.extensions.get<KeyShareServerHello>();
  ASSERT_TRUE(sks.ok() && sks->has_value());
  EXPECT_EQ(vec((*sks)->server_share.key_exchange), rfc8448_named("5", "server_p256_public_key"));
}

// The HelloRetryRequest built from typed values matches the trace.
TEST(MsgRfc8448, Section5HelloRetryRequestBuiltFromTypedValues) {
  const auto expected = rfc8448_named("5", "server_HelloRetryRequest");
  auto decoded = decode_body<ServerHello>(expected);
  auto cookie = decoded.extensions.get<Cookie>();
  ASSERT_TRUE(cookie.ok() && cookie->has_value());

  ServerHello hrr;
  hrr.random = kHelloRetryRequestRandom;
  hrr.cipher_suite = CipherSuite::aes_128_gcm_sha256;
  hrr.extensions.add(KeyShareHelloRetryRequest{NamedGroup::secp256r1});
  hrr.extensions.add(**cookie);
  hrr.extensions.add(SupportedVersionsServerHello{kTls13});
  EXPECT_EQ(hex(msg::test::encode_full(hrr)), hex(expected));
}

TEST(MsgRfc8448, Section6ClientAuthentication) {
  const auto msgs = messages_of("6");
  auto cr = decode_body<CertificateRequest>(msgs.at(3).second);
  EXPECT_TRUE(cr.certificate_request_context.empty());
  auto sigalgs = cr.extensions.get<SignatureSchemeList>();
  ASSERT_TRUE(sigalgs.ok() && sigalgs->has_value());
  EXPECT_EQ((*sigalgs)->supported_signature_algorithms.size(), 15u);

  auto server_cv = decode_body<CertificateVerify>(msgs.at(5).second);
  EXPECT_EQ(server_cv.algorithm, SignatureScheme::ecdsa_secp256r1_sha256);

  auto client_cert = decode_body<Certificate>(msgs.at(7).second);
  EXPECT_TRUE(client_cert.certificate_request_context.empty());
  ASSERT_EQ(client_cert.certificate_list.size(), 1u);
  auto client_cv = decode_body<CertificateVerify>(msgs.at(8).second);
  EXPECT_EQ(client_cv.algorithm, SignatureScheme::rsa_pss_rsae_sha256);
}

TEST(MsgRfc8448, Section7CompatibilityModeSessionId) {
  auto ch = decode_body<ClientHello>(rfc8448_named("7", "client_ClientHello"));
  auto sh = decode_body<ServerHello>(rfc8448_named("7", "server_ServerHello"));
  EXPECT_EQ(ch.legacy_session_id.size(), 32u);
  EXPECT_EQ(vec(sh.legacy_session_id_echo), vec(ch.legacy_session_id));
}

}  // namespace
}  // namespace tls13::msg
