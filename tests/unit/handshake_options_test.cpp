// The internal handshake options (hs/handshake.h) between our own client and
// server: record_size_limit (RFC 8449), ClientHello padding (RFC 7685),
// extension order and extras, EncryptedExtensions supported_groups, and the
// record version of a second ClientHello (RFC 8446 §5.1).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "conn/connection_access.h"
#include "msg/client_hello.h"
#include "record/record_header.h"
#include "support/loopback.h"
#include "support/test_support.h"

namespace tls13 {
namespace {

using Bytes = std::vector<std::uint8_t>;
using test::pump;

struct Fixture {
  test::Pki pki = test::make_pki();
  std::shared_ptr<ClientConfig> client = std::make_shared<ClientConfig>();
  std::shared_ptr<ServerConfig> server = std::make_shared<ServerConfig>();
  Fixture() {
    client->trust = pki.anchors;
    server->certificates.push_back(test::server_cert(pki, crypto::KeyType::ec_p256));
  }
};

// Record lengths (header excluded) in `out`.
std::vector<std::size_t> record_lengths(std::span<const std::uint8_t> out) {
  std::vector<std::size_t> lens;
  while (out.size() >= record::kRecordHeaderLength) {
    const std::size_t len = static_cast<std::size_t>(out[3] << 8 | out[4]);
    lens.push_back(len);
    out = out.subspan(std::min(out.size(), record::kRecordHeaderLength + len));
  }
  return lens;
}

Bytes take(Connection& c) {
  auto out = c.pending_output();
  Bytes b(out.begin(), out.end());
  c.consume_output(b.size());
  return b;
}

// The first ClientHello as a decoded message (body after the 4-byte header).
struct SentHello {
  Bytes record;
  Result<msg::ClientHello> decode() const {
    return msg::ClientHello::decode(std::span(record).subspan(record::kRecordHeaderLength + 4));
  }
};

constexpr std::size_t kTag = 16;  // AES-GCM

TEST(HandshakeOptions, RecordSizeLimitCapsRecordsBothWays) {
  Fixture f;
  hs::ClientOptions co;
  co.record_size_limit = 256;
  hs::ServerOptions so;
  so.record_size_limit = 512;
  auto c = ConnectionAccess::client(f.client, "localhost", co);
  auto s = ConnectionAccess::server(f.server, so);
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(c.handshake_complete() && s.handshake_complete());

  const Bytes data(1000, 0x5a);
  ASSERT_TRUE(s.write(data).ok());
  // The client's limit counts the content type byte: 255 content bytes.
  for (std::size_t len : record_lengths(s.pending_output())) EXPECT_LE(len, 256 + kTag);
  EXPECT_EQ(record_lengths(s.pending_output()).size(), 4u);  // 255 * 3 + 235
  ASSERT_TRUE(c.write(data).ok());
  for (std::size_t len : record_lengths(c.pending_output())) EXPECT_LE(len, 512 + kTag);
  EXPECT_EQ(record_lengths(c.pending_output()).size(), 2u);
  ASSERT_TRUE(pump(c, s));
  Bytes got(2000);
  EXPECT_EQ(c.read(got), data.size());
  EXPECT_EQ(s.read(got), data.size());
}

TEST(HandshakeOptions, RecordSizeLimitNeedsBothSides) {
  Fixture f;
  hs::ClientOptions co;
  co.record_size_limit = 256;
  auto c = ConnectionAccess::client(f.client, "localhost", co);
  auto s = Connection::server(f.server);  // does not answer
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(c.handshake_complete() && s.handshake_complete());
  ASSERT_TRUE(s.write(Bytes(1000, 1)).ok());
  EXPECT_EQ(record_lengths(s.pending_output()), std::vector<std::size_t>{1000 + 1 + kTag});
}

TEST(HandshakeOptions, OversizedRecordIsRecordOverflow) {
  Fixture f;
  hs::ClientOptions co;
  co.record_size_limit = 256;
  hs::ServerOptions so;
  so.record_size_limit = 512;
  auto c = ConnectionAccess::client(f.client, "localhost", co);
  auto s = ConnectionAccess::server(f.server, so);
  ASSERT_TRUE(pump(c, s));
  ConnectionAccess::impl(s).max_send_fragment = 256;  // one byte over the client's limit
  ASSERT_TRUE(s.write(Bytes(256, 1)).ok());
  auto r = c.feed(take(s));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::record_overflow);
}

TEST(HandshakeOptions, RecordSizeLimitBelow64IsIllegalParameter) {
  Fixture f;
  hs::ClientOptions co;
  co.record_size_limit = 63;
  hs::ServerOptions so;
  so.record_size_limit = 512;
  auto c = ConnectionAccess::client(f.client, "localhost", co);
  auto s = ConnectionAccess::server(f.server, so);
  auto r = s.feed(take(c));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::illegal_parameter);
}

TEST(HandshakeOptions, PaddingBringsMidSizedClientHelloTo512) {
  Fixture f;
  hs::ClientOptions co;
  co.pad_to_512 = true;
  // Short: 4 + ~150 bytes, left alone.
  auto small = ConnectionAccess::client(f.client, "localhost", co);
  const Bytes a = take(small);
  EXPECT_LT(a.size(), 256u + record::kRecordHeaderLength);
  // Two more key shares push it into 256..511: padded to exactly 512.
  f.client->key_share_groups = {NamedGroup::x25519, NamedGroup::secp256r1, NamedGroup::x448};
  auto mid = ConnectionAccess::client(f.client, "localhost", co);
  SentHello ch{take(mid)};
  EXPECT_EQ(ch.record.size(), 512u + record::kRecordHeaderLength);
  auto decoded = ch.decode();
  ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
  const auto& ext = decoded->extensions;
  ASSERT_GT(ext.size(), 0u);
  EXPECT_EQ(ext[ext.size() - 1].kind(), msg::ExtensionType::padding);  // last
  // Without the option: no padding.
  auto plain = Connection::client(f.client, "localhost");
  EXPECT_LT(take(plain).size(), 512u);
  // And a padded hello still connects.
  auto s = Connection::server(f.server);
  ASSERT_TRUE(s.feed(ch.record).ok());
  ASSERT_TRUE(mid.feed(take(s)).ok());
  ASSERT_TRUE(pump(mid, s));
  EXPECT_TRUE(mid.handshake_complete());
  // The public ClientConfig::padding switch does the same.
  f.client->padding = true;
  auto pub = Connection::client(f.client, "localhost");
  EXPECT_EQ(take(pub).size(), 512u + record::kRecordHeaderLength);
}

TEST(HandshakeOptions, ExtensionOrderExtrasAndAdvertisedGroups) {
  Fixture f;
  hs::ClientOptions co;
  co.extension_order = {0xff01, 0x002b, 0x000a};
  co.extra_extensions.push_back({0xff01, {0x00}});
  co.advertised_groups =
      std::vector<NamedGroup>{NamedGroup::x25519, static_cast<NamedGroup>(0x0104)};
  co.psk_modes = {1};
  hs::ServerOptions so;
  so.advertised_groups = std::vector<NamedGroup>{NamedGroup::secp256r1, NamedGroup::x25519};
  auto c = ConnectionAccess::client(f.client, "localhost", co);
  SentHello ch{take(c)};
  auto decoded = ch.decode();
  ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
  const auto& ext = decoded->extensions;
  ASSERT_GE(ext.size(), 4u);
  EXPECT_EQ(ext[0].type, 0xff01);
  EXPECT_EQ(ext[1].type, 0x002b);
  EXPECT_EQ(ext[2].type, 0x000a);
  EXPECT_EQ(test::hex(ext[2].body), "0004001d0104");  // verbatim, ffdhe8192 included
  EXPECT_TRUE(ext.contains(msg::ExtensionType::psk_key_exchange_modes));
  // The server ignores what it does not know, announces its groups in
  // EncryptedExtensions, and the client accepts them.
  auto s = ConnectionAccess::server(f.server, so);
  ASSERT_TRUE(s.feed(ch.record).ok());
  ASSERT_TRUE(pump(c, s));
  EXPECT_TRUE(c.handshake_complete());
  EXPECT_FALSE(c.failed());
}

TEST(HandshakeOptions, SecondClientHelloHasRecordVersion0303) {
  Fixture f;
  f.server->groups = {NamedGroup::secp256r1};  // the client shares x25519 only
  f.client->middlebox_compat = false;          // no change_cipher_spec before it
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  const Bytes ch1 = take(c);
  EXPECT_EQ(test::hex(std::span(ch1).first(3)), "160301");
  ASSERT_TRUE(s.feed(ch1).ok());
  ASSERT_TRUE(c.feed(take(s)).ok());  // HelloRetryRequest
  const Bytes ch2 = take(c);
  EXPECT_EQ(test::hex(std::span(ch2).first(3)), "160303");
  ASSERT_TRUE(s.feed(ch2).ok());
  ASSERT_TRUE(pump(c, s));
  EXPECT_TRUE(c.handshake_complete());
  EXPECT_TRUE(c.info().hello_retry_request);
}

}  // namespace
}  // namespace tls13
