// Negative handshake tests, part 3: the client's messages (ClientHello, the
// second ClientHello after a HelloRetryRequest, the client's Finished and
// post-handshake messages) rewritten on their way to the server. Expected
// alerts come from the RFC 8446 text cited beside each case.
#include <gtest/gtest.h>

#include "msg/ext_cookie.h"
#include "msg/ext_groups_sigalgs.h"
#include "msg/ext_key_share.h"
#include "msg/ext_supported_versions.h"
#include "support/negative.h"

namespace tls13::test::neg {
namespace {

using msg::ClientHello;
using msg::ExtensionType;
using T = HandshakeType;
constexpr auto kCh = T::client_hello;
constexpr auto kFin = T::finished;

MakeFilter ch(std::function<void(ClientHello&)> f) {
  return [f] { return edit_ch(f); };
}
// Only the second ClientHello (the answer to a HelloRetryRequest).
MakeFilter ch2(std::function<void(ClientHello&)> f) {
  return [f] { return nth(kCh, 1, edit_ch(f)); };
}

std::function<void(ClientHello&)> remove(ExtensionType t) {
  return [t](ClientHello& c) { c.extensions.remove(t); };
}
std::function<void(ClientHello&)> set_ext(std::uint16_t type, Message body) {
  return [type, body](ClientHello& c) { c.extensions.set(type, body); };
}
std::function<void(ClientHello&)> add_ext(std::uint16_t type, Message body) {
  return [type, body](ClientHello& c) { c.extensions.add(type, body); };
}
template <class E>
std::function<void(ClientHello&)> set_typed(E value) {
  return [value](ClientHello& c) { c.extensions.set(value); };
}

msg::KeyShareClientHello shares_of(const ClientHello& c) {
  auto ks = c.extensions.get<msg::KeyShareClientHello>();
  EXPECT_TRUE(ks.ok() && ks->has_value());
  return ks.ok() && ks->has_value() ? **ks : msg::KeyShareClientHello{};
}

// One share for `g` with key `key` replacing the ClientHello's shares.
std::function<void(ClientHello&)> only_share(NamedGroup g, Message key) {
  return [g, key](ClientHello& c) { c.extensions.set(msg::KeyShareClientHello{{{g, key}}}); };
}

Message p256_not_on_curve() {
  Message k(65, 0);
  k[0] = 0x04;
  k[32] = 1;
  k[64] = 1;
  return k;
}

// Stashes the first ClientHello's key_share and lets `f` combine it with
// the second ClientHello.
MakeFilter with_first_shares(std::function<void(ClientHello&, const Message&)> f) {
  return [f] {
    auto first = std::make_shared<Message>();
    auto count = std::make_shared<int>(0);
    return edit_ch([f, first, count](ClientHello& c) {
      if ((*count)++ == 0) {
        auto e = c.extensions.find(ExtensionType::key_share);
        if (e) first->assign(e->body.begin(), e->body.end());
        return;
      }
      f(c, *first);
    });
  };
}

Tweak tweaks(std::initializer_list<Tweak> list) {
  std::vector<Tweak> v(list);
  return [v](Peers& p) {
    for (const auto& t : v) t(p);
  };
}
const Tweak hrr = hello_retry;
const Tweak hrr_cookie = [](Peers& p) { p.server->hrr_cookie = true; };
const Tweak p256_only = [](Peers& p) {
  p.client->groups = {NamedGroup::secp256r1};
  p.client->key_share_groups = {NamedGroup::secp256r1};
  p.server->groups = {NamedGroup::secp256r1};
};

// The client, after a good handshake, sends `bad` under its application
// keys, then application data; the server must abort before delivering it.
Case server_rejects_after_handshake(std::string name, Alert alert, Message bad) {
  return {std::move(name), [alert, bad] {
            Peers peers;
            Pair p(peers);
            p.run();
            ASSERT_TRUE(p.c.handshake_complete() && p.s.handshake_complete());
            drain_application_data(p.s);
            drain_application_data(p.c);
            send_from(p.c, bad);
            ASSERT_TRUE(p.c.write(app_secret()).ok());
            (void)deliver(p.c, p.s);
            (void)deliver(p.s, p.c);
            expect_failed_locally(p.s, alert);
            expect_failed_by_peer(p.c, alert);
            EXPECT_TRUE(p.s.pending_output().empty());
          }};
}

Cases make_client_message_cases() {
  Cases v;
  auto add = [&](std::string name, Alert a, MakeFilter f, Tweak t = {}) {
    v.push_back(server_rejects(std::move(name), a, std::move(f), std::move(t)));
  };
  // The server rejects the client's Finished, which the client already sent
  // as a complete handshake.
  auto fin = [&](std::string name, Alert a, MakeFilter f) {
    v.push_back(server_rejects(std::move(name), a, std::move(f), {}, true));
  };
  const auto ip = Alert::illegal_parameter;
  const auto dec = Alert::decode_error;
  const auto um = Alert::unexpected_message;
  const auto me = Alert::missing_extension;
  const auto hf = Alert::handshake_failure;
  const auto pv = Alert::protocol_version;
  const auto sv = ext(ExtensionType::supported_versions);

  // ---- Version (Appendix D.2, §4.2.1): a TLS 1.3-only server facing a
  // client without 0x0304 in supported_versions (or without the extension,
  // i.e. at most TLS 1.2) aborts with protocol_version.
  add("ClientHelloWithoutSupportedVersions", pv, ch(remove(ExtensionType::supported_versions)));
  add("ClientHelloSupportedVersionsTls12Only", pv, ch(set_ext(sv, {0x02, 0x03, 0x03})));
  add("ClientHelloSupportedVersionsUnknownOnly", pv,
      ch(set_ext(sv, {0x04, 0x7f, 0x1c, 0x03, 0x05})));
  // versions<2..254>, even: these do not parse (§6 decode_error).
  add("ClientHelloSupportedVersionsEmpty", dec, ch(set_ext(sv, {0x00})));
  add("ClientHelloSupportedVersionsOddLength", dec, ch(set_ext(sv, {0x03, 0x03, 0x04, 0x03})));

  // ---- §4.1.2: compression other than exactly {0} is illegal_parameter.
  static const std::uint8_t null_and_deflate[] = {0x00, 0x01};
  static const std::uint8_t deflate[] = {0x01};
  add("ClientHelloCompressionNullAndDeflate", ip,
      ch([](ClientHello& c) { c.legacy_compression_methods = null_and_deflate; }));
  add("ClientHelloCompressionDeflateOnly", ip,
      ch([](ClientHello& c) { c.legacy_compression_methods = deflate; }));
  // legacy_compression_methods<1..2^8-1>: empty does not parse.
  add("ClientHelloCompressionEmpty", dec,
      ch([](ClientHello& c) { c.legacy_compression_methods = {}; }));

  // ---- §9.2 (and §4.2.3): without a PSK, signature_algorithms,
  // supported_groups and key_share are mandatory: missing_extension.
  add("ClientHelloWithoutSignatureAlgorithms", me, ch(remove(ExtensionType::signature_algorithms)));
  add("ClientHelloWithoutKeyShare", me, ch(remove(ExtensionType::key_share)));
  add("ClientHelloWithoutSupportedGroups", me, ch(remove(ExtensionType::supported_groups)));
  // §4.2.3: a server authenticating with a certificate needs
  // signature_algorithms even when a PSK is offered (which we never accept).
  add("ClientHelloWithPskButWithoutSignatureAlgorithms", me, ch([](ClientHello& c) {
        c.extensions.remove(ExtensionType::signature_algorithms);
        Message psks{0x00, 0x08, 0x00, 0x02, 'i', 'd', 0, 0, 0, 0, 0x00, 0x21, 0x20};
        psks.resize(psks.size() + 32, 0x11);
        c.extensions.add(ext(ExtensionType::psk_key_exchange_modes), Message{0x01, 0x01});
        c.extensions.add(ext(ExtensionType::pre_shared_key), psks);
      }));
  add("ClientHelloWithoutGroupsAndKeyShare", me, ch([](ClientHello& c) {
        c.extensions.remove(ExtensionType::supported_groups);
        c.extensions.remove(ExtensionType::key_share);
      }));

  // ---- §4.2.8: shares only for offered groups, one per group; servers may
  // check, with illegal_parameter.
  add("ClientHelloKeyShareGroupNotInSupportedGroups", ip,
      ch(set_typed(msg::NamedGroupList{{NamedGroup::secp256r1, NamedGroup::secp384r1}})));
  add("ClientHelloTwoSharesForOneGroup", ip, ch([](ClientHello& c) {
        auto ks = shares_of(c);
        ks.client_shares.push_back(ks.client_shares.front());
        c.extensions.set(ks);
      }));
  // §4.2.8.2 / §6: an invalid public value is illegal_parameter.
  add("ClientHelloKeyShareNotOnCurve", ip,
      ch(only_share(NamedGroup::secp256r1, p256_not_on_curve())), p256_only);
  // §7.4.2: an all-zero X25519 shared secret MUST abort.
  add("ClientHelloKeyShareX25519AllZero", ip, ch(only_share(NamedGroup::x25519, Message(32, 0))));
  // §4.2.8.2: only the uncompressed point form exists in TLS 1.3.
  add("ClientHelloKeyShareCompressedPoint", ip, ch([](ClientHello& c) {
        const auto ks = shares_of(c);
        const auto& key = ks.client_shares.at(0).key_exchange;
        Message compressed{static_cast<std::uint8_t>(0x02 | (key.back() & 1))};
        compressed.insert(compressed.end(), key.begin() + 1, key.begin() + 33);
        c.extensions.set(msg::KeyShareClientHello{{{NamedGroup::secp256r1, compressed}}});
      }),
      p256_only);
  add("ClientHelloKeyShareX25519WrongLength", ip,
      ch(only_share(NamedGroup::x25519, Message(31, 9))));
  // key_exchange<1..2^16-1>: empty does not parse.
  add("ClientHelloKeyShareEmptyKeyExchange", dec, ch(only_share(NamedGroup::x25519, {})));

  // ---- §4.2.11: pre_shared_key must be the last extension.
  const Message psk_modes{0x01, 0x01};
  Message offered_psks{0x00, 0x08, 0x00, 0x02, 'i', 'd', 0, 0, 0, 0, 0x00, 0x21, 0x20};
  offered_psks.resize(offered_psks.size() + 32, 0x11);
  add("ClientHelloPreSharedKeyNotLast", ip, ch([psk_modes, offered_psks](ClientHello& c) {
        c.extensions.add(ext(ExtensionType::psk_key_exchange_modes), psk_modes);
        c.extensions.add(ext(ExtensionType::pre_shared_key), offered_psks);
        c.extensions.add(ext(ExtensionType::padding), Message{0x00});
      }));

  // ---- §4.1.1: nothing in common is handshake_failure (the RFC allows
  // insufficient_security too; we send handshake_failure).
  add("ClientHelloNoCommonCipherSuite", hf, ch([](ClientHello&) {}),
      [](Peers& p) { p.client->cipher_suites = {CipherSuite::aes_128_ccm_sha256}; });
  add("ClientHelloOnlyUnknownCipherSuites", hf, ch([](ClientHello& c) {
        c.cipher_suites = {static_cast<CipherSuite>(0x1399), static_cast<CipherSuite>(0xc02b)};
      }));
  add("ClientHelloNoCommonGroup", hf, ch([](ClientHello&) {}), [](Peers& p) {
    p.client->groups = {NamedGroup::x25519};
    p.server->groups = {NamedGroup::secp384r1};
  });
  add("ClientHelloOnlyUnknownGroups", hf, ch([](ClientHello& c) {
        c.extensions.set(msg::NamedGroupList{{static_cast<NamedGroup>(0x1234)}});
        c.extensions.set(msg::KeyShareClientHello{});
      }));
  add("ClientHelloNoUsableSignatureScheme", hf, ch([](ClientHello&) {}),
      [](Peers& p) { p.client->signature_schemes = {SignatureScheme::rsa_pss_rsae_sha256}; });

  // ---- §4.2: one extension of a type per block (§6 illegal_parameter);
  // recognized extensions outside their messages are illegal_parameter.
  add("ClientHelloDuplicateSupportedGroups", ip,
      ch([](ClientHello& c) { c.extensions.add(msg::NamedGroupList{{NamedGroup::x25519}}); }));
  add("ClientHelloCarriesOidFilters", ip,
      ch(add_ext(ext(ExtensionType::oid_filters), {0x00, 0x00})));

  // ---- Syntax (§4.1.2 and §6: decode_error).
  add("ClientHelloSignatureAlgorithmsEmpty", dec,
      ch(set_ext(ext(ExtensionType::signature_algorithms), {0x00, 0x00})));
  add("ClientHelloSupportedGroupsOddLength", dec,
      ch(set_ext(ext(ExtensionType::supported_groups), {0x00, 0x03, 0x00, 0x1d, 0x00})));
  add("ClientHelloServerNameOverrun", dec,
      ch(set_ext(ext(ExtensionType::server_name), {0x00, 0x05, 0x00, 0x00, 0x09, 'a', 'b'})));
  // RFC 7301 §3.1: ProtocolNameList<2..2^16-1> of ProtocolName<1..2^8-1>;
  // "Empty strings MUST NOT be included".
  const auto alpn = ext(ExtensionType::application_layer_protocol_negotiation);
  add("ClientHelloAlpnEmptyName", dec, ch(set_ext(alpn, {0x00, 0x04, 0x02, 'h', '2', 0x00})));
  add("ClientHelloAlpnEmptyList", dec, ch(set_ext(alpn, {0x00, 0x00})));
  // RFC 6066 §3: no two names of one name_type; semantically invalid.
  add("ClientHelloServerNameTwoHostNames", ip,
      ch(set_ext(ext(ExtensionType::server_name),
                 {0x00, 0x08, 0x00, 0x00, 0x01, 'a', 0x00, 0x00, 0x01, 'b'})));
  add("ClientHelloSessionIdTooLong", dec, [] {
    auto sid = std::make_shared<Message>(33, 0x33);
    return edit_ch([sid](ClientHello& c) { c.legacy_session_id = *sid; });
  });
  add("ClientHelloEmptyCipherSuites", dec, ch([](ClientHello& c) { c.cipher_suites.clear(); }));
  add("ClientHelloOddCipherSuitesLength", dec, [] {
    return on(kCh, [](Message& m) {
      Message b = body_of(m);
      const std::size_t at = 35 + b[34];  // after version, random, session id
      const std::size_t len = (std::size_t{b[at]} << 8 | b[at + 1]) - 1;
      b.erase(b.begin() + static_cast<std::ptrdiff_t>(at + 2 + len));
      b[at] = static_cast<std::uint8_t>(len >> 8);
      b[at + 1] = static_cast<std::uint8_t>(len);
      set_body(m, b);
    });
  });
  add("ClientHelloTrailingByte", dec, [] { return append_to_body(kCh, {0x00}); });
  // Body: version 2, random 32, session id 1+32, suites 2+6, compression
  // 1+1 (ends at 77: a cut there is a TLS 1.2 hello without extensions,
  // not a syntax error), then extensions.
  for (std::size_t n : {0, 1, 33, 40, 70, 76, 79, 90, 150})
    add("ClientHelloTruncatedTo" + std::to_string(n), dec, [n] { return truncate(kCh, n); });
  add("ClientHelloLastByteMissing", dec, [] { return truncate_tail(kCh, 1); });

  // ---- The second ClientHello (§4.1.2: the same ClientHello, with the
  // key_share replaced by one share for the selected group and the cookie
  // echoed). A changed one is semantically invalid: illegal_parameter.
  add("SecondClientHelloChangesCipherSuites", ip,
      ch2([](ClientHello& c) { c.cipher_suites = {CipherSuite::aes_256_gcm_sha384}; }),
      tweaks({hrr, [](Peers& p) {
                p.client->cipher_suites = {CipherSuite::aes_128_gcm_sha256,
                                           CipherSuite::aes_256_gcm_sha384};
              }}));
  add("SecondClientHelloKeepsOldKeyShare", ip,
      with_first_shares([](ClientHello& c, const Message& first) {
        c.extensions.set(ext(ExtensionType::key_share), first);
      }),
      hrr);
  add("SecondClientHelloExtraKeyShare", ip,
      with_first_shares([](ClientHello& c, const Message& first) {
        auto ks = shares_of(c);
        auto old = msg::KeyShareClientHello::decode(first);
        ASSERT_TRUE(old.ok());
        ks.client_shares.push_back(old->client_shares.front());
        c.extensions.set(ks);
      }),
      hrr);
  add("SecondClientHelloWithoutKeyShare", me, ch2(remove(ExtensionType::key_share)), hrr);
  add("SecondClientHelloWithoutSupportedVersions", pv,
      ch2(remove(ExtensionType::supported_versions)), hrr);
  // §4.2.2: the client MUST echo the cookie.
  add("SecondClientHelloWithoutCookie", ip, ch2(remove(ExtensionType::cookie)),
      tweaks({hrr, hrr_cookie}));
  add("SecondClientHelloAlteredCookie", ip, ch2([](ClientHello& c) {
        auto e = c.extensions.find(ExtensionType::cookie);
        ASSERT_TRUE(e.has_value());
        Message body(e->body.begin(), e->body.end());
        body.back() ^= 0x01;
        c.extensions.set(ext(ExtensionType::cookie), body);
      }),
      tweaks({hrr, hrr_cookie}));
  add("SecondClientHelloUnrequestedCookie", ip,
      ch2(add_ext(ext(ExtensionType::cookie), {0x00, 0x01, 0x42})), hrr);
  add(
      "SecondClientHelloTruncated", dec,
      [] { return nth(kCh, 1, [](Message& m) { truncate(kCh, 90)(m); }); }, hrr);

  // ---- The client's second flight.
  // §4.4.4: wrong verify_data is decrypt_error; other lengths do not parse.
  fin("ClientFinishedWrong", Alert::decrypt_error,
      [] { return on(kFin, [](Message& m) { m.back() ^= 0x80; }); });
  fin("ClientFinishedAllZeros", Alert::decrypt_error,
      [] { return on(kFin, [](Message& m) { std::fill(m.begin() + 4, m.end(), 0); }); });
  fin("ClientFinishedOneByteShort", dec, [] { return truncate_tail(kFin, 1); });
  fin("ClientFinishedOneByteLong", dec, [] { return append_to_body(kFin, {0x00}); });
  fin("ClientFinishedEmpty", dec, [] { return truncate(kFin, 0); });
  // §4 / Appendix A.2: without a CertificateRequest the server waits for
  // Finished only; anything else is unexpected_message.
  fin("ClientCertificateWithoutRequest", um, [] {
    return insert_before(kFin, handshake(T::certificate, {0x00, 0x00, 0x00, 0x00}));
  });
  fin("ClientCertificateVerifyWithoutRequest", um, [] {
    return insert_before(kFin, handshake(T::certificate_verify, {0x04, 0x03, 0x00, 0x00}));
  });
  // §4.5: EndOfEarlyData only follows accepted early data.
  fin("ClientEndOfEarlyDataWithoutEarlyData", um,
      [] { return insert_before(kFin, handshake(T::end_of_early_data, {})); });
  // §4.6.3: a KeyUpdate before Finished is unexpected_message.
  fin("ClientKeyUpdateBeforeFinished", um,
      [] { return insert_before(kFin, handshake(T::key_update, {0x00})); });
  fin("ClientHelloInsteadOfFinished", um, [] {
    return insert_before(kFin, handshake(kCh, {0x03, 0x03}));
  });
  // §5.1: Finished and ClientHello precede key changes and must end their
  // records.
  fin("ClientFinishedTwice", um, [] { return duplicate(kFin); });
  fin("ClientFinishedNotAtRecordBoundary", um, [] { return insert_after(kFin, {0x18}); });
  add("ClientHelloNotAtRecordBoundary", um, [] { return insert_after(kCh, {0x14, 0x00}); });

  // ---- After the handshake: the server expects only KeyUpdate (§4.6).
  auto post = [&](std::string name, Alert a, Message m) {
    v.push_back(server_rejects_after_handshake(std::move(name), a, std::move(m)));
  };
  post("PostHandshakeClientHello", um, handshake(kCh, {0x03, 0x03}));
  post("PostHandshakeClientFinished", um, handshake(kFin, Message(32, 0)));
  post("PostHandshakeClientNewSessionTicket", um,
       handshake(T::new_session_ticket,
                 {0, 0, 0, 60, 0, 0, 0, 1, 0x00, 0x00, 0x01, 0xaa, 0x00, 0x00}));
  post("PostHandshakeClientCertificate", um, handshake(T::certificate, {0x00, 0x00, 0x00, 0x00}));
  post("PostHandshakeClientCertificateVerify", um,
       handshake(T::certificate_verify, {0x04, 0x03, 0x00, 0x00}));
  post("PostHandshakeClientEndOfEarlyData", um, handshake(T::end_of_early_data, {}));
  post("PostHandshakeClientUnknownType", um, handshake(static_cast<T>(99), {0x00}));
  // §4.6.3: request_update other than 0 or 1 is illegal_parameter.
  post("PostHandshakeClientKeyUpdateValueSeven", ip, handshake(T::key_update, {0x07}));
  return v;
}

}  // namespace

const Cases& client_message_cases() {
  static const Cases cases = make_client_message_cases();
  return cases;
}

namespace {

class ClientMessageNegative : public ::testing::TestWithParam<Case> {};
TEST_P(ClientMessageNegative, ServerAborts) {
  GetParam().run();
}
INSTANTIATE_TEST_SUITE_P(HandshakeNegative, ClientMessageNegative,
                         ::testing::ValuesIn(client_message_cases()), case_name);

}  // namespace
}  // namespace tls13::test::neg
