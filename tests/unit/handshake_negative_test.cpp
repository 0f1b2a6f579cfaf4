// Negative handshake tests, part 1: ServerHello and HelloRetryRequest
// rewritten on their way to the client, and the summary test that runs every
// negative case of all four files. Expected alerts come from the RFC 8446
// text cited beside each case.
#include <gtest/gtest.h>

#include <iostream>
#include <set>

#include "msg/ext_cookie.h"
#include "msg/ext_key_share.h"
#include "msg/ext_psk.h"
#include "msg/ext_supported_versions.h"
#include "support/negative.h"

namespace tls13::test::neg {
namespace {

using msg::ExtensionType;
using msg::ServerHello;
constexpr auto kSh = HandshakeType::server_hello;

// A fixed byte string for edits to point at (lives as long as the filter).
std::function<void(ServerHello&)> with_bytes(Message bytes,
                                             std::function<void(ServerHello&, wire::Bytes)> f) {
  auto keep = std::make_shared<Message>(std::move(bytes));
  return [keep, f](ServerHello& sh) { f(sh, *keep); };
}

void set_version(ServerHello& sh, std::uint16_t v) {
  sh.extensions.set(msg::SupportedVersionsServerHello{v});
}

// The session id echo with its first byte flipped.
std::function<void(ServerHello&)> alter_echo() {
  auto keep = std::make_shared<Message>();
  return [keep](ServerHello& sh) {
    keep->assign(sh.legacy_session_id_echo.begin(), sh.legacy_session_id_echo.end());
    if (keep->empty()) keep->push_back(0);
    (*keep)[0] ^= 0x01;
    sh.legacy_session_id_echo = *keep;
  };
}

// A ServerHello that negotiates TLS 1.2 (no supported_versions), its random
// ending in `sentinel` (§4.1.3).
std::function<void(ServerHello&)> tls12_hello(std::optional<std::uint8_t> sentinel) {
  return [sentinel](ServerHello& sh) {
    sh.extensions.remove(ExtensionType::supported_versions);
    if (!sentinel) return;
    const std::uint8_t tail[8] = {0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, *sentinel};
    std::copy(std::begin(tail), std::end(tail), sh.random.end() - 8);
  };
}

std::function<void(ServerHello&)> server_share(NamedGroup g, Message key) {
  return with_bytes(std::move(key), [g](ServerHello& sh, wire::Bytes k) {
    sh.extensions.set(msg::KeyShareServerHello{{g, k}});
  });
}

Message p256_not_on_curve() {
  Message k(65, 0);
  k[0] = 0x04;  // uncompressed; x = 1, y = 1 is not on the curve
  k[32] = 1;
  k[64] = 1;
  return k;
}

void p256_only(Peers& p) {
  p.client->groups = {NamedGroup::secp256r1};
  p.client->key_share_groups = {NamedGroup::secp256r1};
}

Tweak suites(std::vector<CipherSuite> s) {
  return [s](Peers& p) { p.client->cipher_suites = s; };
}

Tweak both(Tweak a, Tweak b) {
  return [a, b](Peers& p) {
    a(p);
    b(p);
  };
}

Cases make_server_hello_cases() {
  Cases v;
  auto add = [&](std::string name, Alert a, MakeFilter f, Tweak t = {}) {
    v.push_back(client_rejects(std::move(name), a, std::move(f), std::move(t)));
  };
  using S = CipherSuite;
  const auto ip = Alert::illegal_parameter;

  // §4.1.3: "A client which receives a cipher suite that was not offered
  // MUST abort the handshake with an illegal_parameter alert."
  add(
      "ServerHelloSuiteNotOffered", ip,
      [] { return edit_sh([](ServerHello& sh) { sh.cipher_suite = S::aes_256_gcm_sha384; }); },
      suites({S::aes_128_gcm_sha256}));
  add("ServerHelloSuiteUnknown", ip,
      [] { return edit_sh([](ServerHello& sh) { sh.cipher_suite = static_cast<S>(0x13ff); }); });
  add("ServerHelloSuiteTls12Only", ip,
      [] { return edit_sh([](ServerHello& sh) { sh.cipher_suite = static_cast<S>(0xc02b); }); });

  // §4.2.1: a selected_version not offered, or prior to TLS 1.3, is
  // illegal_parameter.
  add("ServerHelloSelectsTls12InSupportedVersions", ip,
      [] { return edit_sh([](ServerHello& sh) { set_version(sh, 0x0303); }); });
  add("ServerHelloSelectsUnofferedVersion", ip,
      [] { return edit_sh([](ServerHello& sh) { set_version(sh, 0x0305); }); });
  add("ServerHelloSelectsGreaseVersion", ip,
      [] { return edit_sh([](ServerHello& sh) { set_version(sh, 0x7a7a); }); });
  // Appendix D.1: a server choosing a version we do not support (TLS 1.2:
  // no supported_versions) gets protocol_version.
  add("ServerHelloWithoutSupportedVersions", Alert::protocol_version,
      [] { return edit_sh(tls12_hello(std::nullopt)); });
  // §4.1.3: the downgrade sentinels are illegal_parameter.
  add("ServerHelloDowngradeSentinelTls12", ip, [] { return edit_sh(tls12_hello(0x01)); });
  add("ServerHelloDowngradeSentinelTls11", ip, [] { return edit_sh(tls12_hello(0x00)); });

  // §4.1.3: an echo that does not match our legacy_session_id is
  // illegal_parameter.
  add("ServerHelloSessionIdEchoAltered", ip, [] { return edit_sh(alter_echo()); });
  add("ServerHelloSessionIdEchoEmpty", ip,
      [] { return edit_sh([](ServerHello& sh) { sh.legacy_session_id_echo = {}; }); });
  add(
      "ServerHelloSessionIdEchoWhenNoneSent", ip,
      [] {
        return edit_sh(with_bytes(Message(32, 0x5a), [](ServerHello& sh, wire::Bytes b) {
          sh.legacy_session_id_echo = b;
        }));
      },
      [](Peers& p) { p.client->middlebox_compat = false; });
  // §4.1.3: legacy_compression_method "MUST have the value 0"; a
  // well-formed but wrong value is illegal_parameter (§6).
  add("ServerHelloCompressionMethodNotNull", ip,
      [] { return edit_sh([](ServerHello& sh) { sh.legacy_compression_method = 1; }); });

  // §4.1.3 requires key_share (without PSK); §6.2 missing_extension.
  add("ServerHelloWithoutKeyShare", Alert::missing_extension, [] {
    return edit_sh([](ServerHello& sh) { sh.extensions.remove(ExtensionType::key_share); });
  });
  // §4.2: a response to an extension we did not send is
  // unsupported_extension.
  add("ServerHelloUnsolicitedPreSharedKey", Alert::unsupported_extension, [] {
    return edit_sh([](ServerHello& sh) { sh.extensions.add(msg::PreSharedKeyServerHello{0}); });
  });
  add("ServerHelloUnknownExtension", Alert::unsupported_extension, [] {
    return edit_sh([](ServerHello& sh) { sh.extensions.add(std::uint16_t{0x1234}, {}); });
  });
  // §4.2: a recognized extension not allowed in ServerHello (server_name is
  // CH, EE) is illegal_parameter.
  add("ServerHelloCarriesServerName", ip, [] {
    return edit_sh([](ServerHello& sh) { sh.extensions.add(ExtensionType::server_name, {}); });
  });
  // §4.2: "There MUST NOT be more than one extension of the same type";
  // semantically invalid, so illegal_parameter (§6).
  add("ServerHelloDuplicateSupportedVersions", ip, [] {
    return edit_sh(
        [](ServerHello& sh) { sh.extensions.add(msg::SupportedVersionsServerHello{msg::kTls13}); });
  });
  // §4.2.8: the server's share must be in a group we sent a share for.
  add("ServerHelloKeyShareForUnsharedGroup", ip,
      [] { return edit_sh(server_share(NamedGroup::secp256r1, p256_not_on_curve())); });
  add("ServerHelloKeyShareForUnknownGroup", ip,
      [] { return edit_sh(server_share(static_cast<NamedGroup>(0x1234), Message(32, 7))); });
  // §4.2.8.2 and §6: an invalid public value ("a DHE share of p - 1") is
  // illegal_parameter.
  add(
      "ServerHelloKeyShareNotOnCurve", ip,
      [] { return edit_sh(server_share(NamedGroup::secp256r1, p256_not_on_curve())); }, p256_only);
  // §7.4.2: an all-zero X25519 shared secret MUST abort (a small-order
  // point); semantically invalid, illegal_parameter.
  add("ServerHelloKeyShareX25519AllZero", ip,
      [] { return edit_sh(server_share(NamedGroup::x25519, Message(32, 0))); });
  add("ServerHelloKeyShareX25519WrongLength", ip,
      [] { return edit_sh(server_share(NamedGroup::x25519, Message(31, 9))); });
  // §6: malformed syntax is decode_error.
  add("ServerHelloKeyShareLengthOverrun", Alert::decode_error, [] {
    return edit_sh(with_bytes({0x00, 0x1d, 0x00, 0x20, 0x01}, [](ServerHello& sh, wire::Bytes b) {
      sh.extensions.set(ext(ExtensionType::key_share), b);
    }));
  });
  add("ServerHelloSupportedVersionsThreeBytes", Alert::decode_error, [] {
    return edit_sh(with_bytes({0x03, 0x04, 0x00}, [](ServerHello& sh, wire::Bytes b) {
      sh.extensions.set(ext(ExtensionType::supported_versions), b);
    }));
  });
  add("ServerHelloTrailingByte", Alert::decode_error, [] { return append_to_body(kSh, {0x00}); });
  // Truncations (body of 2 + 32 + 33 + 2 + 1 + extensions bytes) at field
  // boundaries and inside fields; the length fields no longer add up.
  for (std::size_t n : {0, 1, 33, 35, 50, 67, 69, 72, 80})
    add("ServerHelloTruncatedTo" + std::to_string(n), Alert::decode_error,
        [n] { return truncate(kSh, n); });
  add("ServerHelloLastByteMissing", Alert::decode_error, [] { return truncate_tail(kSh, 1); });

  // ---- HelloRetryRequest (the client shares secp256r1, the server wants
  // x25519).
  auto hrr = [&](std::string name, Alert a, MakeFilter f, Tweak t = {}) {
    add(std::move(name), a, std::move(f), t ? both(hello_retry, t) : Tweak(hello_retry));
  };
  // §4.2.8: selected_group must be offered in supported_groups and must not
  // be one we already sent a share for; else illegal_parameter.
  hrr("HelloRetryRequestSelectsAlreadySharedGroup", ip, [] {
    return edit_hrr([](ServerHello& h) {
      h.extensions.set(msg::KeyShareHelloRetryRequest{NamedGroup::secp256r1});
    });
  });
  hrr(
      "HelloRetryRequestSelectsUnofferedGroup", ip,
      [] {
        return edit_hrr([](ServerHello& h) {
          h.extensions.set(msg::KeyShareHelloRetryRequest{NamedGroup::secp384r1});
        });
      },
      [](Peers& p) {
        p.client->groups = {NamedGroup::secp256r1, NamedGroup::x25519};
      });
  // §4.1.4: a HelloRetryRequest that would not change the ClientHello is
  // illegal_parameter.
  hrr("HelloRetryRequestWouldChangeNothing", ip, [] {
    return edit_hrr([](ServerHello& h) { h.extensions.remove(ExtensionType::key_share); });
  });
  // §4.1.4: a second HelloRetryRequest is unexpected_message.
  hrr("SecondHelloRetryRequest", Alert::unexpected_message, [] {
    auto first = std::make_shared<Message>();
    return on(kSh, [first](Message& m) {
      if (first->empty())
        *first = m;
      else
        m = *first;
    });
  });
  // §4.1.4 applies the §4.1.3 checks to the HelloRetryRequest.
  hrr(
      "HelloRetryRequestSuiteNotOffered", ip,
      [] { return edit_hrr([](ServerHello& h) { h.cipher_suite = S::aes_256_gcm_sha384; }); },
      suites({S::aes_128_gcm_sha256}));
  hrr("HelloRetryRequestSessionIdEchoAltered", ip, [] { return edit_hrr(alter_echo()); });
  hrr("HelloRetryRequestSelectsTls12", ip,
      [] { return edit_hrr([](ServerHello& h) { set_version(h, 0x0303); }); });
  // §4.1.4: only cookie may be unsolicited; §4.2 unsupported_extension.
  hrr("HelloRetryRequestUnknownExtension", Alert::unsupported_extension,
      [] { return edit_hrr([](ServerHello& h) { h.extensions.add(std::uint16_t{0x1234}, {}); }); });
  // §4.2: server_name is not allowed in a HelloRetryRequest.
  hrr("HelloRetryRequestCarriesServerName", ip, [] {
    return edit_hrr([](ServerHello& h) { h.extensions.add(ExtensionType::server_name, {}); });
  });
  hrr("HelloRetryRequestCarriesPreSharedKey", ip, [] {
    return edit_hrr([](ServerHello& h) { h.extensions.add(msg::PreSharedKeyServerHello{0}); });
  });
  // §4.2.2: cookie<1..2^16-1>; an empty one does not parse (§6).
  hrr("HelloRetryRequestEmptyCookie", Alert::decode_error, [] {
    return edit_hrr(with_bytes({0x00, 0x00}, [](ServerHello& h, wire::Bytes b) {
      h.extensions.add(ext(ExtensionType::cookie), b);
    }));
  });
  for (std::size_t n : {0, 40, 75})
    hrr("HelloRetryRequestTruncatedTo" + std::to_string(n), Alert::decode_error,
        [n] { return nth(kSh, 0, [n](Message& m) { truncate(kSh, n)(m); }); });
  // §4.1.4: the ServerHello's cipher suite must equal the
  // HelloRetryRequest's.
  hrr(
      "ServerHelloAfterRetryChangesSuite", ip,
      [] { return edit_sh([](ServerHello& sh) { sh.cipher_suite = S::aes_256_gcm_sha384; }); },
      suites({S::aes_128_gcm_sha256, S::aes_256_gcm_sha384}));
  // §4.2.8: the ServerHello's group must be the HelloRetryRequest's.
  hrr("ServerHelloAfterRetryChangesGroup", ip,
      [] { return edit_sh(server_share(NamedGroup::secp256r1, p256_not_on_curve())); });
  return v;
}

}  // namespace

const Cases& server_hello_cases() {
  static const Cases cases = make_server_hello_cases();
  return cases;
}

namespace {

class ServerHelloNegative : public ::testing::TestWithParam<Case> {};
TEST_P(ServerHelloNegative, ClientAborts) {
  GetParam().run();
}
INSTANTIATE_TEST_SUITE_P(HandshakeNegative, ServerHelloNegative,
                         ::testing::ValuesIn(server_hello_cases()), case_name);

// Runs every negative case of the four tables in one process and counts
// them.
TEST(HandshakeNegative, AllCases) {
  std::size_t n = 0;
  std::set<std::string> names;
  for (const Cases* table :
       {&server_hello_cases(), &server_flight_cases(), &client_message_cases(), &record_cases()}) {
    for (const auto& c : *table) {
      SCOPED_TRACE(c.name);
      EXPECT_TRUE(names.insert(c.name).second) << "duplicate case name " << c.name;
      c.run();
      ++n;
    }
  }
  EXPECT_GE(n, 150u);
  std::cout << n << " malformed cases\n";  // the negative catalogue (issue #5)
}

}  // namespace
}  // namespace tls13::test::neg
