// Negative cases where the handshake once disagreed with RFC 8446 (found by
// the negative catalogue, now fixed): each asserts the RFC's behaviour.
#include <gtest/gtest.h>

#include "support/negative.h"

namespace tls13::test::neg {
namespace {

using msg::ClientHello;
using msg::ExtensionType;
using msg::ServerHello;

// A syntactically valid OfferedPsks: one identity "id", one 32-byte binder.
Message offered_psks() {
  Message b{0x00, 0x08, 0x00, 0x02, 'i', 'd', 0, 0, 0, 0, 0x00, 0x21, 0x20};
  b.resize(b.size() + 32, 0x11);
  return b;
}

// §4.2.9: "If clients offer pre_shared_key without a psk_key_exchange_modes
// extension, servers MUST abort the handshake." The missing mandatory
// extension makes it missing_extension (§6.2).
//   expected: server aborts with missing_extension (client gets it from_peer)
//   actual:   server ignores the PSK offer and completes its flight; the
//             client (whose transcript has the unmodified hello) then fails
//             with bad_record_mac, which the server receives.
//   fix:      src/hs/server.cpp read_offer(), after the "pre_shared_key is
//             last" check:
//               if (ext.contains(ExtensionType::pre_shared_key) &&
//                   !ext.contains(ExtensionType::psk_key_exchange_modes))
//                 return Error(Alert::missing_extension,
//                              "pre_shared_key without psk_key_exchange_modes");
TEST(HandshakeNegativeRfc, ClientHelloPreSharedKeyWithoutKeyExchangeModes) {
  Peers peers;
  Pair p(peers, edit_ch([](ClientHello& c) {
           c.extensions.add(ext(ExtensionType::pre_shared_key), offered_psks());
         }));
  p.run();
  expect_abort(p, Side::server, Alert::missing_extension);
  ASSERT_TRUE(p.side(Side::server).failed());
  EXPECT_EQ(p.side(Side::server).error()->alert, Alert::missing_extension);
}

// Appendix D.5: "Any endpoint receiving a Hello message with
// ClientHello.legacy_version or ServerHello.legacy_version set to 0x0300
// MUST abort the handshake with a protocol_version alert."
//   expected: server aborts with protocol_version
//   actual:   server ignores legacy_version (supported_versions offers 1.3)
//             and sends its flight; the client fails with bad_record_mac.
//   fix:      src/hs/server.cpp on_client_hello(), first check after decode:
//               if (ch->legacy_version <= 0x0300)
//                 return Error(Alert::protocol_version,
//                              "ClientHello legacy_version is SSL 3.0 or older");
TEST(HandshakeNegativeRfc, ClientHelloLegacyVersionSsl3) {
  Peers peers;
  Pair p(peers, edit_ch([](ClientHello& c) { c.legacy_version = 0x0300; }));
  p.run();
  expect_abort(p, Side::server, Alert::protocol_version);
  ASSERT_TRUE(p.side(Side::server).failed());
  EXPECT_EQ(p.side(Side::server).error()->alert, Alert::protocol_version);
}

// Appendix D.5 again, on the client.
//   expected: client aborts with protocol_version
//   actual:   client aborts with illegal_parameter ("ServerHello
//             legacy_version is not 0x0303", src/hs/client.cpp
//             check_common_hello()).
//   fix:      in check_common_hello(), before looking at
//             supported_versions:
//               if (sh.legacy_version <= 0x0300)
//                 return Error(Alert::protocol_version,
//                              "ServerHello legacy_version is SSL 3.0 or older");
//             and, for a ServerHello (not a HelloRetryRequest) that carries
//             supported_versions, drop the "!= 0x0303 -> illegal_parameter"
//             check: §4.2.1 says clients "MUST ignore the
//             ServerHello.legacy_version value" then.
TEST(HandshakeNegativeRfc, ServerHelloLegacyVersionSsl3) {
  Peers peers;
  Pair p(peers, {}, edit_sh([](ServerHello& sh) { sh.legacy_version = 0x0300; }));
  p.run();
  expect_abort(p, Side::client, Alert::protocol_version);
  ASSERT_TRUE(p.side(Side::client).failed());
  EXPECT_EQ(p.side(Side::client).error()->alert, Alert::protocol_version);
}

//   expected: client aborts with protocol_version
//   actual:   illegal_parameter (same line as above)
TEST(HandshakeNegativeRfc, HelloRetryRequestLegacyVersionSsl3) {
  Peers peers;
  hello_retry(peers);
  Pair p(peers, {}, edit_hrr([](ServerHello& h) { h.legacy_version = 0x0300; }));
  p.run();
  expect_abort(p, Side::client, Alert::protocol_version);
  ASSERT_TRUE(p.side(Side::client).failed());
  EXPECT_EQ(p.side(Side::client).error()->alert, Alert::protocol_version);
}

// Appendix D.4: "if the client sends a non-empty session ID, the server
// MUST send the change_cipher_spec". Not a negative case, found alongside.
//   expected: ServerHello record, then a change_cipher_spec record (20)
//   actual:   with ServerConfig::middlebox_compat = false the server sends
//             none (records 22, 23).
//   fix:      src/hs/server.cpp send_flight() and send_hello_retry_request():
//             drop "cfg_->middlebox_compat &&" from the condition; the
//             client's non-empty session id alone decides (D.4 leaves the
//             server no choice; the flag only matters on the client).
TEST(HandshakeNegativeRfc, ServerSendsChangeCipherSpecForClientSessionId) {
  Peers peers;
  peers.server->middlebox_compat = false;
  Pair p(peers);
  ASSERT_TRUE(deliver(p.c, p.s).ok());
  const auto records = split_records(take_output(p.s));
  ASSERT_GE(records.size(), 2u);
  EXPECT_EQ(records[1][0], 20);
}

// §4.1.2 / §4.2.1: a hello of an older TLS without any extensions cannot
// offer TLS 1.3; the server answers protocol_version (not decode_error).
TEST(HandshakeNegativeRfc, ExtensionlessTls12ClientHelloIsProtocolVersion) {
  Peers peers;
  Pair p(peers, on(HandshakeType::client_hello, [](Message& m) {
           Message body = {0x03, 0x03};
           body.resize(2 + 32, 0x42);                          // random
           body.insert(body.end(), {0x00});                    // empty session id
           body.insert(body.end(), {0x00, 0x02, 0xc0, 0x2f});  // a TLS 1.2 suite
           body.insert(body.end(), {0x01, 0x00});              // null compression
           set_body(m, body);
         }));
  p.run();
  expect_abort(p, Side::server, Alert::protocol_version);
  ASSERT_TRUE(p.side(Side::server).failed());
  EXPECT_EQ(p.side(Side::server).error()->alert, Alert::protocol_version);
}

// §4.1.3: a TLS 1.2 ServerHello (no extensions) to a TLS 1.3 client is
// protocol_version, or illegal_parameter when it carries the downgrade
// sentinel.
void extensionless_server_hello(bool sentinel, Alert expected) {
  Peers peers;
  Pair p(peers, {}, on(HandshakeType::server_hello, [sentinel](Message& m) {
           Message body = {0x03, 0x03};
           body.resize(2 + 32, 0x42);
           if (sentinel) {
             const std::uint8_t tail[8] = {0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01};
             std::copy(tail, tail + 8, body.begin() + 26);
           }
           body.insert(body.end(), {0x00, 0xc0, 0x2f, 0x00});  // sid, suite, compression
           set_body(m, body);
         }));
  p.run();
  expect_abort(p, Side::client, expected);
  ASSERT_TRUE(p.side(Side::client).failed());
  EXPECT_EQ(p.side(Side::client).error()->alert, expected);
}

TEST(HandshakeNegativeRfc, ExtensionlessTls12ServerHelloIsProtocolVersion) {
  extensionless_server_hello(false, Alert::protocol_version);
}

TEST(HandshakeNegativeRfc, ExtensionlessServerHelloWithDowngradeSentinelIsIllegalParameter) {
  extensionless_server_hello(true, Alert::illegal_parameter);
}

}  // namespace
}  // namespace tls13::test::neg
