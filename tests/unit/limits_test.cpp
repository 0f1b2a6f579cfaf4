// tls13::Limits (include/tls13/config.h): each bound on what a peer can make
// us hold or do is configurable and enforced with the alert named here, and
// no buffer grows without bound whatever the peer sends.
//
// What the connection holds, and what bounds it:
//   in         undecoded transport bytes: at most one record (2^14 + 256 +
//              5 bytes) beyond what one feed() call hands over; a header
//              declaring more is record_overflow at once.
//   reassembler a partial handshake message: its declared length is checked
//              against max_handshake_message (max_certificate_message for a
//              Certificate) as soon as the 4-byte header is in, before any
//              body is buffered.
//   app_in     decrypted application data not yet read: only what the
//              application itself fed; read() before feeding more bounds it
//              (the sans-I/O contract).
//   out        records to send: what the application wrote, plus at most one
//              KeyUpdate per KeyUpdate the peer sent (no amplification); the
//              application drains it with consume_output().
// Early-data size and the replay store are bounded where 0-RTT is built.
#include <gtest/gtest.h>

#include "support/negative.h"

namespace tls13 {
namespace {

using namespace test;
using namespace test::neg;

constexpr std::uint8_t kCcs[] = {0x14, 0x03, 0x03, 0x00, 0x01, 0x01};

// Like expect_failed_locally, for a connection that legitimately delivered
// data before the fault.
void expect_failed_locally_after_data(const Connection& c, Alert alert) {
  ASSERT_TRUE(c.failed()) << "expected " << to_string(alert);
  EXPECT_EQ(c.error()->alert, alert) << c.error()->describe();
  EXPECT_FALSE(c.error()->from_peer) << c.error()->describe();
}

Message body_record(std::span<const std::uint8_t> hs) {
  return neg::record(ContentType::handshake, hs);
}

// A completed handshake between peers configured by the test.
struct Connected {
  Peers peers;
  std::optional<Connection> c, s;
  void connect() {
    c.emplace(Connection::client(peers.client, "localhost"));
    s.emplace(Connection::server(peers.server));
    ASSERT_TRUE(pump(*c, *s));
    ASSERT_TRUE(c->handshake_complete()) << (c->error() ? c->error()->describe() : "");
    ASSERT_TRUE(s->handshake_complete()) << (s->error() ? s->error()->describe() : "");
  }
  // Seals records as the client would, for the server to read.
  RawSealer client_sealer() {
    return RawSealer(peers, "CLIENT_TRAFFIC_SECRET_0", *c->info().cipher_suite,
                     next_read_sequence(*s));
  }
};

TEST(Limits, DefaultsAreTheDocumentedOnes) {
  const Limits l;
  EXPECT_EQ(l.max_handshake_message, 64u * 1024);
  EXPECT_EQ(l.max_certificate_message, 256u * 1024);
  EXPECT_EQ(l.max_extensions, 64u);
  EXPECT_EQ(l.max_chain_length, 10u);
  EXPECT_EQ(l.max_empty_records, 32u);
  EXPECT_EQ(l.max_warning_alerts, 8u);
  EXPECT_EQ(l.max_key_updates, 32u);
}

TEST(Limits, HandshakeMessageOverTheLimitIsRejected) {
  // The size of our ClientHello's body (one record, one message).
  Peers probe;
  auto c = Connection::client(probe.client, "localhost");
  const std::size_t body = c.pending_output().size() - record::kRecordHeaderLength - 4;
  ASSERT_GT(body, 100u);

  Peers ok;
  ok.server->limits.max_handshake_message = body;
  Pair fits(ok);
  fits.run();
  EXPECT_TRUE(fits.s.handshake_complete());

  Peers small;
  small.server->limits.max_handshake_message = body - 1;
  Pair p(small);
  p.run();
  expect_abort(p, Side::server, Alert::illegal_parameter);
}

TEST(Limits, CertificateHasItsOwnLargerLimit) {
  // Every message of the server's flight but Certificate (~900 bytes for a
  // P-256 leaf and its CA) fits in 400 bytes.
  Connected a;
  a.peers.client->limits.max_handshake_message = 400;
  a.connect();
  EXPECT_GT(a.c->info().peer_chain.size(), 1u);

  Peers small;
  small.client->limits.max_handshake_message = 400;
  small.client->limits.max_certificate_message = 400;
  Pair p(small);
  p.run();
  expect_abort(p, Side::client, Alert::illegal_parameter);
}

TEST(Limits, ExtensionsPerBlock) {
  // Our ClientHello carries five: server_name, supported_versions,
  // supported_groups, signature_algorithms, key_share.
  Peers server_side;
  server_side.server->limits.max_extensions = 4;
  Pair p(server_side);
  p.run();
  expect_abort(p, Side::server, Alert::decode_error);
  Connected five;
  five.peers.server->limits.max_extensions = 5;
  five.connect();

  // The client's limit covers every block it decodes: ServerHello carries
  // supported_versions and key_share, EncryptedExtensions ALPN and the empty
  // server_name acknowledgment, so 1 stops it and 2 lets the handshake through.
  Peers client_side;
  client_side.client->alpn = client_side.server->alpn = {"h2"};
  client_side.client->limits.max_extensions = 1;
  Pair q(client_side);
  q.run();
  expect_abort(q, Side::client, Alert::decode_error);
  Connected two;
  two.peers.client->alpn = two.peers.server->alpn = {"h2"};
  two.peers.client->limits.max_extensions = 2;
  two.connect();
  EXPECT_EQ(two.c->info().alpn, "h2");
}

TEST(Limits, CertificatesInAChain) {
  Connected fits;  // leaf and CA
  fits.peers.client->limits.max_chain_length = 2;
  fits.connect();
  EXPECT_EQ(fits.c->info().peer_chain.size(), 2u);

  Peers one;
  one.client->limits.max_chain_length = 1;
  Pair p(one);
  p.run();
  expect_abort(p, Side::client, Alert::decode_error);
}

TEST(Limits, ConsecutiveEmptyRecords) {
  Connected t;
  t.peers.server->limits.max_empty_records = 3;
  t.connect();
  RawSealer seal = t.client_sealer();
  const Message data = text("x");
  for (int round = 0; round < 2; ++round) {  // data in between resets the count
    for (int i = 0; i < 3; ++i)
      ASSERT_TRUE(t.s->feed(seal.seal(ContentType::application_data, {})).ok()) << i;
    ASSERT_TRUE(t.s->feed(seal.seal(ContentType::application_data, data)).ok());
  }
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(t.s->feed(seal.seal(ContentType::application_data, {})).ok());
  (void)t.s->feed(seal.seal(ContentType::application_data, {}));
  expect_failed_locally_after_data(*t.s, Alert::unexpected_message);
}

TEST(Limits, ConsecutiveWarningAlerts) {
  Connected t;
  t.peers.server->limits.max_warning_alerts = 2;
  t.connect();
  RawSealer seal = t.client_sealer();
  const std::uint8_t user_canceled[2] = {1, static_cast<std::uint8_t>(Alert::user_canceled)};
  for (int i = 0; i < 2; ++i)
    ASSERT_TRUE(t.s->feed(seal.seal(ContentType::alert, user_canceled)).ok());
  ASSERT_TRUE(t.s->feed(seal.seal(ContentType::application_data, text("x"))).ok());  // resets
  for (int i = 0; i < 2; ++i)
    ASSERT_TRUE(t.s->feed(seal.seal(ContentType::alert, user_canceled)).ok());
  (void)t.s->feed(seal.seal(ContentType::alert, user_canceled));
  expect_failed_locally_after_data(*t.s, Alert::unexpected_message);
}

TEST(Limits, ConsecutiveChangeCipherSpecRecords) {
  // Appendix D.4 allows a dummy change_cipher_spec while the handshake runs;
  // a stream of them counts like warning alerts.
  Peers peers;
  peers.server->limits.max_warning_alerts = 3;
  auto c = Connection::client(peers.client, "localhost");
  auto s = Connection::server(peers.server);
  ASSERT_TRUE(deliver(c, s).ok());  // the ClientHello
  ASSERT_FALSE(s.failed());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(s.feed(kCcs).ok()) << i;
  EXPECT_FALSE(s.feed(kCcs).ok());
  expect_failed_locally(s, Alert::unexpected_message);
}

TEST(Limits, KeyUpdatesWithoutDataInBetween) {
  Connected t;
  t.peers.client->limits.max_key_updates = 2;
  t.connect();
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(t.s->update_keys(false).ok());
  ASSERT_TRUE(t.s->write(text("data resets the count")).ok());
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(t.s->update_keys(false).ok());
  ASSERT_TRUE(deliver(*t.s, *t.c).ok());
  ASSERT_FALSE(t.c->failed());
  ASSERT_TRUE(t.s->update_keys(false).ok());
  EXPECT_FALSE(deliver(*t.s, *t.c).ok());
  expect_failed_locally_after_data(*t.c, Alert::unexpected_message);
}

// ------------------------------------------------------------- buffers --

TEST(Limits, OversizedHandshakeMessageFailsOnItsHeader) {
  // The declared length is judged before any body is buffered.
  Peers peers;
  peers.server->limits.max_handshake_message = 1000;
  auto s = Connection::server(peers.server);
  const std::uint8_t header[4] = {1, 0x00, 0x03, 0xe9};  // ClientHello of 1001 bytes
  EXPECT_FALSE(s.feed(body_record(header)).ok());
  expect_failed_locally(s, Alert::illegal_parameter);
  EXPECT_LE(ConnectionAccess::impl(s).reassembler.buffered(), 4u);  // the header alone

  auto huge = Connection::server(peers.server);
  const std::uint8_t header16m[4] = {1, 0xff, 0xff, 0xff};
  EXPECT_FALSE(huge.feed(body_record(header16m)).ok());
  expect_failed_locally(huge, Alert::illegal_parameter);
}

TEST(Limits, ReassemblyHoldsAtMostOneMessageOfTheLimit) {
  // A peer trickling a message of exactly the limit, one byte per record:
  // never more than the message is buffered, and the input buffer stays
  // under one record.
  Peers peers;
  peers.server->limits.max_handshake_message = 1000;
  auto s = Connection::server(peers.server);
  Message msg = handshake(HandshakeType::client_hello, Message(1000, 0));
  msg.pop_back();  // the last byte never comes
  auto& impl = ConnectionAccess::impl(s);
  for (std::uint8_t b : msg) {
    const std::uint8_t one[1] = {b};
    ASSERT_TRUE(s.feed(body_record(one)).ok());
    ASSERT_LE(impl.reassembler.buffered(), 4u + 1000u);
    ASSERT_LT(impl.in.size(), record::kRecordHeaderLength);
  }
  EXPECT_EQ(impl.reassembler.buffered(), msg.size());
}

TEST(Limits, RecordBufferHoldsAtMostOneRecord) {
  Peers peers;
  auto s = Connection::server(peers.server);
  auto& impl = ConnectionAccess::impl(s);
  // A record of the largest legal size, fed a byte at a time.
  Message rec =
      record_header(static_cast<std::uint8_t>(ContentType::handshake), record::kMaxPlaintextLength);
  rec.resize(rec.size() + record::kMaxPlaintextLength - 1, 0);
  for (std::uint8_t b : rec) {
    const std::uint8_t one[1] = {b};
    ASSERT_TRUE(s.feed(one).ok());
    ASSERT_LE(impl.in.size(), record::kRecordHeaderLength + record::kMaxCiphertextLength);
  }
  // A header declaring more than any record may hold fails at once.
  auto t = Connection::server(peers.server);
  EXPECT_FALSE(t.feed(record_header(static_cast<std::uint8_t>(ContentType::handshake),
                                    record::kMaxCiphertextLength + 1))
                   .ok());
  expect_failed_locally(t, Alert::record_overflow);
}

TEST(Limits, PeerCannotAmplifyOurOutput) {
  // KeyUpdate(update_requested) floods earn the peer one KeyUpdate back per
  // period in which we sent nothing (RFC 8446 §4.6.3: the answer is owed
  // once), however many it sends and even when our application never
  // drains the output.
  Connected t;
  t.connect();
  constexpr int kRequests = 100;
  for (int i = 0; i < kRequests; ++i) {
    ASSERT_TRUE(t.s->update_keys(true).ok());
    ASSERT_TRUE(t.s->write(text("d")).ok());
  }
  ASSERT_TRUE(deliver(*t.s, *t.c).ok());
  // header 5 + KeyUpdate 5 + content type 1 + tag 16 (AES-128-GCM)
  ASSERT_EQ(*t.c->info().cipher_suite, CipherSuite::aes_128_gcm_sha256);
  EXPECT_EQ(t.c->pending_output().size(), 27u);
  EXPECT_EQ(t.c->readable(), static_cast<std::size_t>(kRequests));
}

}  // namespace
}  // namespace tls13
