// Negative handshake tests, part 2: the server's encrypted flight
// (EncryptedExtensions, Certificate, CertificateVerify, Finished) rewritten,
// reordered, dropped or duplicated on its way to the client, and bad
// post-handshake messages from the server. Expected alerts come from the
// RFC 8446 text cited beside each case.
#include <gtest/gtest.h>

#include "msg/ext_names.h"
#include "support/negative.h"

namespace tls13::test::neg {
namespace {

using msg::ExtensionType;
using T = HandshakeType;
constexpr auto kEe = T::encrypted_extensions;
constexpr auto kCert = T::certificate;
constexpr auto kCv = T::certificate_verify;
constexpr auto kFin = T::finished;

// Bodies of messages a server must never send where they are inserted.
Message nst_body() {
  return {0, 0, 0, 60, 0, 0, 0, 1, 0x01, 0x00, 0x00, 0x01, 0xaa, 0x00, 0x00};
}
Message certificate_request_body() {
  return {0x00, 0x00, 0x08, 0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03};
}

MakeFilter ee_adds(std::uint16_t type, Message body) {
  return
      [type, body] { return edit_ee([type, body](msg::ExtensionList& e) { e.add(type, body); }); };
}
MakeFilter ee_sets(std::uint16_t type, Message body) {
  return
      [type, body] { return edit_ee([type, body](msg::ExtensionList& e) { e.set(type, body); }); };
}

// ALPN extension_data: ProtocolNameList of `names`.
Message alpn_body(std::initializer_list<std::string_view> names) {
  Message list;
  for (auto n : names) {
    list.push_back(static_cast<std::uint8_t>(n.size()));
    list.insert(list.end(), n.begin(), n.end());
  }
  Message body{static_cast<std::uint8_t>(list.size() >> 8), static_cast<std::uint8_t>(list.size())};
  body.insert(body.end(), list.begin(), list.end());
  return body;
}

Tweak server_key(crypto::KeyType t) {
  return [t](Peers& p) { p.server->certificates = {shared_cert(t)}; };
}

// The CertificateVerify signature replaced by f(signature).
MakeFilter signature(std::function<void(Message&)> f) {
  return [f] {
    auto keep = std::make_shared<Message>();
    return edit_cv([f, keep](msg::CertificateVerify& cv) {
      keep->assign(cv.signature.begin(), cv.signature.end());
      f(*keep);
      cv.signature = *keep;
    });
  };
}
MakeFilter scheme(SignatureScheme s) {
  return [s] { return edit_cv([s](msg::CertificateVerify& cv) { cv.algorithm = s; }); };
}

void flip_last(Message& m) {
  if (!m.empty()) m.back() ^= 0x01;
}

// The server, after a good handshake, sends `bad` under its application
// keys, then application data; the client must abort with `alert` before
// delivering that data.
Case client_rejects_after_handshake(std::string name, Alert alert, Message bad) {
  return {std::move(name), [alert, bad] {
            Peers peers;
            Pair p(peers);
            p.run();
            ASSERT_TRUE(p.c.handshake_complete() && p.s.handshake_complete());
            drain_application_data(p.c);
            drain_application_data(p.s);
            send_from(p.s, bad);
            ASSERT_TRUE(p.s.write(app_secret()).ok());
            (void)deliver(p.s, p.c);
            (void)deliver(p.c, p.s);
            expect_failed_locally(p.c, alert);
            expect_failed_by_peer(p.s, alert);
            EXPECT_TRUE(p.c.pending_output().empty());
          }};
}

Cases make_server_flight_cases() {
  Cases v;
  auto add = [&](std::string name, Alert a, MakeFilter f, Tweak t = {}) {
    v.push_back(client_rejects(std::move(name), a, std::move(f), std::move(t)));
  };
  const auto ip = Alert::illegal_parameter;
  const auto dec = Alert::decode_error;
  const auto um = Alert::unexpected_message;
  const auto ue = Alert::unsupported_extension;

  // ---- EncryptedExtensions.
  // §4.3.1 and §4.2: extensions the table does not list for EE are
  // illegal_parameter.
  add("EncryptedExtensionsWithKeyShare", ip,
      ee_adds(ext(ExtensionType::key_share), {0x00, 0x1d, 0x00, 0x01, 0x01}));
  add("EncryptedExtensionsWithSupportedVersions", ip,
      ee_adds(ext(ExtensionType::supported_versions), {0x03, 0x04}));
  add("EncryptedExtensionsWithPreSharedKey", ip,
      ee_adds(ext(ExtensionType::pre_shared_key), {0x00, 0x00}));
  add("EncryptedExtensionsWithSignatureAlgorithms", ip,
      ee_adds(ext(ExtensionType::signature_algorithms), {0x00, 0x02, 0x04, 0x03}));
  add("EncryptedExtensionsWithCookie", ip, ee_adds(ext(ExtensionType::cookie), {0x00, 0x01, 0x00}));
  // §4.2: responses to extensions we did not send: unsupported_extension.
  add("EncryptedExtensionsUnsolicitedAlpn", ue,
      ee_adds(ext(ExtensionType::application_layer_protocol_negotiation), alpn_body({"h2"})));
  add("EncryptedExtensionsUnsolicitedEarlyData", ue, ee_adds(ext(ExtensionType::early_data), {}));
  add("EncryptedExtensionsUnknownExtension", ue, ee_adds(0x1234, {}));
  // §4.2: one extension of a type per block; §6 illegal_parameter.
  add("EncryptedExtensionsDuplicateServerName", ip, ee_adds(ext(ExtensionType::server_name), {}));
  // RFC 7301 §3.1: the server's list holds exactly one protocol, one we
  // offered; otherwise semantically invalid (RFC 8446 §6).
  const Tweak alpn = [](Peers& p) {
    p.client->alpn = {"h2", "http/1.1"};
    p.server->alpn = {"h2"};
  };
  const auto alpn_type = ext(ExtensionType::application_layer_protocol_negotiation);
  add("EncryptedExtensionsAlpnTwoNames", ip, ee_sets(alpn_type, alpn_body({"h2", "http/1.1"})),
      alpn);
  add("EncryptedExtensionsAlpnNotOffered", ip, ee_sets(alpn_type, alpn_body({"spdy/3"})), alpn);
  // ProtocolName<1..2^8-1>: an empty name does not parse.
  add("EncryptedExtensionsAlpnEmptyName", dec, ee_sets(alpn_type, {0x00, 0x01, 0x00}), alpn);
  // RFC 6066 §3: the server's server_name "SHALL be empty".
  add("EncryptedExtensionsServerNameNotEmpty", dec,
      ee_sets(ext(ExtensionType::server_name), {0x00}));
  add("EncryptedExtensionsTrailingByte", dec, [] { return append_to_body(kEe, {0x00}); });
  // Body: extensions<0..2^16-1> holding an empty server_name (6 bytes).
  for (std::size_t n : {0, 1, 3, 5})
    add("EncryptedExtensionsTruncatedTo" + std::to_string(n), dec,
        [n] { return truncate(kEe, n); });

  // ---- Certificate.
  // §4.4.2.4: an empty server Certificate is decode_error.
  add("CertificateEmpty", dec,
      [] { return edit_cert([](msg::Certificate& c) { c.certificate_list.clear(); }); });
  // §4.4.2: the context "SHALL be zero length" for server authentication.
  add("CertificateWithRequestContext", ip, [] {
    static const std::uint8_t ctx[] = {0x01};
    return edit_cert([](msg::Certificate& c) { c.certificate_request_context = ctx; });
  });
  // §4.4.2: entry extensions must answer ClientHello extensions; §4.2
  // unsupported_extension.
  add("CertificateEntryUnsolicitedStatusRequest", ue, [] {
    return edit_cert([](msg::Certificate& c) {
      const Message ocsp{0x01, 0x00, 0x00, 0x01, 0x30};
      c.certificate_list[0].extensions.add(ext(ExtensionType::status_request), ocsp);
    });
  });
  add("CertificateEntryUnknownExtension", ue, [] {
    return edit_cert([](msg::Certificate& c) {
      c.certificate_list[0].extensions.add(std::uint16_t{0x1234}, {});
    });
  });
  // §4.2: key_share is not allowed in a CertificateEntry.
  add("CertificateEntryKeyShare", ip, [] {
    return edit_cert([](msg::Certificate& c) {
      const Message ks{0x00, 0x1d, 0x00, 0x01, 0x01};
      c.certificate_list[0].extensions.add(ext(ExtensionType::key_share), ks);
    });
  });
  // §6.2 bad_certificate: "A certificate was corrupt".
  add("CertificateCorruptDer", Alert::bad_certificate, [] {
    static const std::uint8_t junk[] = {0x30, 0x03, 0x02, 0x01, 0x00};
    return edit_cert([](msg::Certificate& c) { c.certificate_list[0].cert_data = junk; });
  });
  // cert_data<1..2^24-1>: an empty one does not parse.
  add("CertificateEmptyCertData", dec,
      [] { return edit_cert([](msg::Certificate& c) { c.certificate_list[0].cert_data = {}; }); });
  add("CertificateTrailingByte", dec, [] { return append_to_body(kCert, {0x00}); });
  for (std::size_t n : {0, 1, 4, 10, 300})
    add("CertificateTruncatedTo" + std::to_string(n), dec, [n] { return truncate(kCert, n); });
  add("CertificateLastByteMissing", dec, [] { return truncate_tail(kCert, 1); });

  add("CertificateCorruptIntermediate", Alert::bad_certificate, [] {
    static const std::uint8_t junk[] = {0x30, 0x03, 0x02, 0x01, 0x00};
    return edit_cert([](msg::Certificate& c) { c.certificate_list.at(1).cert_data = junk; });
  });

  // ---- CertificateRequest (§4.3.2), inserted after EncryptedExtensions.
  auto cr = [](Message body) {
    return [body] { return insert_after(kEe, handshake(T::certificate_request, body)); };
  };
  // The context "SHALL be zero length" outside post-handshake
  // authentication: semantically invalid, illegal_parameter (§6).
  add("CertificateRequestWithContext", ip,
      cr({0x01, 0x42, 0x00, 0x08, 0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03}));
  // "The signature_algorithms extension MUST be specified": §6.2
  // missing_extension.
  add("CertificateRequestWithoutSignatureAlgorithms", Alert::missing_extension,
      cr({0x00, 0x00, 0x04, 0x12, 0x34, 0x00, 0x00}));
  // §4.2: key_share is not allowed in a CertificateRequest.
  add("CertificateRequestWithKeyShare", ip,
      cr({0x00, 0x00, 0x0e, 0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03, 0x00, 0x33, 0x00, 0x02,
          0x00, 0x1d}));
  // extensions<2..2^16-1>: an empty block does not parse.
  add("CertificateRequestEmptyExtensions", dec, cr({0x00, 0x00, 0x00}));
  add("CertificateRequestTwice", um, [] {
    const Message m = handshake(T::certificate_request, certificate_request_body());
    return insert_after(kEe, concat({m, m}));
  });
  add("CertificateRequestBeforeEncryptedExtensions", um, [] {
    return insert_before(kEe, handshake(T::certificate_request, certificate_request_body()));
  });

  // ---- CertificateVerify.
  // §4.4.3: the scheme must be one we offered, usable in TLS 1.3 (no
  // PKCS#1 v1.5, no SHA-1) and fit the key; a violation is semantically
  // invalid, so illegal_parameter (§6).
  add("CertificateVerifySchemeNotOffered", ip, scheme(SignatureScheme::ecdsa_secp384r1_sha384),
      [](Peers& p) {
        p.client->signature_schemes = {SignatureScheme::ecdsa_secp256r1_sha256,
                                       SignatureScheme::rsa_pss_rsae_sha256};
      });
  add("CertificateVerifyRsaPkcs1", ip, scheme(SignatureScheme::rsa_pkcs1_sha256),
      server_key(crypto::KeyType::rsa));
  add("CertificateVerifyEcdsaSha1", ip, scheme(static_cast<SignatureScheme>(0x0203)), [](Peers& p) {
    p.client->signature_schemes.push_back(static_cast<SignatureScheme>(0x0203));
  });
  add("CertificateVerifySchemeDoesNotFitKey", ip, scheme(SignatureScheme::ed25519));
  add("CertificateVerifyRsaSchemeWithEcKey", ip, scheme(SignatureScheme::rsa_pss_rsae_sha256));
  add("CertificateVerifyPssPssSchemeWithRsaeKey", ip, scheme(SignatureScheme::rsa_pss_pss_sha256),
      server_key(crypto::KeyType::rsa));
  // §4.4.3: a signature that does not verify is decrypt_error.
  add("CertificateVerifyBadSignatureEcdsa", Alert::decrypt_error, signature(flip_last));
  add("CertificateVerifyBadSignatureRsaPss", Alert::decrypt_error, signature(flip_last),
      server_key(crypto::KeyType::rsa));
  add("CertificateVerifyBadSignatureEd25519", Alert::decrypt_error, signature(flip_last),
      server_key(crypto::KeyType::ed25519));
  add("CertificateVerifyEmptySignature", Alert::decrypt_error,
      signature([](Message& s) { s.clear(); }));
  add("CertificateVerifyGarbageSignature", Alert::decrypt_error,
      signature([](Message& s) { s.assign(64, 0xa5); }));
  // algorithm (2) + signature<0..2^16-1>.
  for (std::size_t n : {0, 1, 3})
    add("CertificateVerifyTruncatedTo" + std::to_string(n), dec, [n] { return truncate(kCv, n); });
  add("CertificateVerifyLastByteMissing", dec, [] { return truncate_tail(kCv, 1); });

  // ---- Finished.
  // §4.4.4: wrong verify_data is decrypt_error; verify_data is exactly
  // Hash.length bytes, so other sizes do not parse.
  add("FinishedWrongVerifyData", Alert::decrypt_error,
      [] { return on(kFin, [](Message& m) { m.back() ^= 0x80; }); });
  add("FinishedAllZeros", Alert::decrypt_error,
      [] { return on(kFin, [](Message& m) { std::fill(m.begin() + 4, m.end(), 0); }); });
  add("FinishedOneByteShort", dec, [] { return truncate_tail(kFin, 1); });
  add("FinishedOneByteLong", dec, [] { return append_to_body(kFin, {0x00}); });
  add("FinishedEmpty", dec, [] { return truncate(kFin, 0); });

  // ---- Order (§4: "A peer which receives a handshake message in an
  // unexpected order MUST abort the handshake with an unexpected_message
  // alert"; Appendix A.1).
  add("EncryptedExtensionsSkipped", um, [] { return drop(kEe); });
  add("CertificateSkipped", um, [] { return drop(kCert); });
  add("CertificateVerifySkipped", um, [] { return drop(kCv); });
  add("FinishedBeforeCertificateVerify", um, [] { return hold_until(kCv, kFin); });
  add("CertificateBeforeEncryptedExtensions", um, [] { return hold_until(kEe, kCert); });
  add("CertificateVerifyBeforeCertificate", um, [] { return hold_until(kCert, kCv); });
  add("EncryptedExtensionsTwice", um, [] { return duplicate(kEe); });
  add("CertificateTwice", um, [] { return duplicate(kCert); });
  add("CertificateVerifyTwice", um, [] { return duplicate(kCv); });
  add("ServerHelloTwice", um, [] { return duplicate(T::server_hello); });
  add("FinishedTwice", um, [] { return duplicate(kFin); });
  add("NewSessionTicketBeforeFinished", um,
      [] { return insert_after(kEe, handshake(T::new_session_ticket, nst_body())); });
  // §4.6.3: a KeyUpdate before Finished is unexpected_message.
  add("KeyUpdateBeforeFinished", um,
      [] { return insert_after(kCv, handshake(T::key_update, {0x00})); });
  add("CertificateRequestAfterCertificate", um, [] {
    return insert_after(kCert, handshake(T::certificate_request, certificate_request_body()));
  });
  // §4.5: "Servers MUST NOT send this message, and clients receiving it
  // MUST terminate the connection with an unexpected_message alert."
  add("EndOfEarlyDataFromServer", um,
      [] { return insert_after(kEe, handshake(T::end_of_early_data, {})); });
  add("ClientHelloFromServer", um, [] {
    return insert_before(kEe, handshake(T::client_hello, {0x03, 0x03}));
  });
  add("MessageHashFromServer", um,
      [] { return insert_before(kEe, handshake(T::message_hash, Message(32, 1))); });
  add("UnknownHandshakeTypeFromServer", um,
      [] { return insert_before(kEe, handshake(static_cast<T>(99), {0x00})); });
  // §5.1: a message preceding a key change (ServerHello) must end its
  // record; trailing bytes are unexpected_message.
  add("ServerHelloNotAtRecordBoundary", um, [] {
    return insert_after(T::server_hello, {0x08, 0x00});
  });

  // ---- After the handshake.
  auto post = [&](std::string name, Alert a, Message m) {
    v.push_back(client_rejects_after_handshake(std::move(name), a, std::move(m)));
  };
  // §4.6.2: a CertificateRequest without post_handshake_auth is
  // unexpected_message.
  post("PostHandshakeCertificateRequest", um,
       handshake(T::certificate_request, certificate_request_body()));
  post("PostHandshakeServerHello", um, handshake(T::server_hello, {0x03, 0x03}));
  post("PostHandshakeEncryptedExtensions", um, handshake(kEe, {0x00, 0x00}));
  post("PostHandshakeFinished", um, handshake(kFin, Message(32, 0)));
  post("PostHandshakeUnknownType", um, handshake(static_cast<T>(99), {0x00}));
  // §4.6.3: request_update other than 0 or 1 is illegal_parameter.
  post("KeyUpdateRequestValueTwo", ip, handshake(T::key_update, {0x02}));
  post("KeyUpdateRequestValue255", ip, handshake(T::key_update, {0xff}));
  post("KeyUpdateEmpty", dec, handshake(T::key_update, {}));
  post("KeyUpdateTwoBytes", dec, handshake(T::key_update, {0x00, 0x00}));
  post("NewSessionTicketTruncated", dec, handshake(T::new_session_ticket, {0, 0, 0, 1}));
  // ticket<1..2^16-1>: an empty ticket does not parse.
  post("NewSessionTicketEmptyTicket", dec,
       handshake(T::new_session_ticket,
                 {0, 0, 0, 60, 0, 0, 0, 1, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00}));
  // §4.2: key_share is not allowed in a NewSessionTicket.
  post("NewSessionTicketWithKeyShare", ip,
       handshake(T::new_session_ticket,
                 {0,    0,    0,    60,   0,    0,    0,    1,    0x01, 0x00, 0x00,
                  0x01, 0xaa, 0x00, 0x06, 0x00, 0x33, 0x00, 0x02, 0x00, 0x1d}));
  // §5.1: KeyUpdate precedes a key change and must end its record.
  post("KeyUpdateNotAtRecordBoundary", um,
       concat({handshake(T::key_update, {0x00}), Message{0x18}}));
  return v;
}

}  // namespace

const Cases& server_flight_cases() {
  static const Cases cases = make_server_flight_cases();
  return cases;
}

namespace {

class ServerFlightNegative : public ::testing::TestWithParam<Case> {};
TEST_P(ServerFlightNegative, ClientAborts) {
  GetParam().run();
}
INSTANTIATE_TEST_SUITE_P(HandshakeNegative, ServerFlightNegative,
                         ::testing::ValuesIn(server_flight_cases()), case_name);

}  // namespace
}  // namespace tls13::test::neg
