// 0-RTT (RFC 8446 §4.2.10, §4.5, §8) and the early exporter (§7.5) between
// our client and server: accepted and rejected early data, anti-replay
// (single-use tickets, freshness), the max_early_data_size limits.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <ctime>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "conn/connection_access.h"
#include "msg/client_hello.h"
#include "msg/ext_psk.h"
#include "msg/handshake.h"
#include "support/loopback.h"
#include "support/negative.h"
#include "support/test_support.h"

namespace tls13 {
namespace {

using Bytes = std::vector<std::uint8_t>;
using test::pump;

Bytes text(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

std::string read_all_early(Connection& c) {
  Bytes buf(c.early_data_readable());
  buf.resize(c.read_early_data(buf));
  return std::string(buf.begin(), buf.end());
}

std::string read_all(Connection& c) {
  Bytes buf(c.readable());
  buf.resize(c.read(buf));
  return std::string(buf.begin(), buf.end());
}

Bytes take(Connection& c) {
  Bytes b(c.pending_output().begin(), c.pending_output().end());
  c.consume_output(b.size());
  return b;
}

// The content types of the records in `stream`, in order.
std::vector<int> record_types(const Bytes& stream) {
  std::vector<int> out;
  for (std::size_t i = 0; i + 5 <= stream.size();) {
    out.push_back(stream[i]);
    i += 5 + (stream[i + 3] << 8 | stream[i + 4]);
  }
  return out;
}

struct Fixture {
  test::Pki pki = test::make_pki();
  std::shared_ptr<std::int64_t> now = std::make_shared<std::int64_t>(std::time(nullptr));
  std::shared_ptr<InMemorySessionCache> cache = std::make_shared<InMemorySessionCache>(8);
  std::shared_ptr<ClientConfig> client = std::make_shared<ClientConfig>();
  std::shared_ptr<ServerConfig> server = std::make_shared<ServerConfig>();
  Fixture() {
    client->trust = pki.anchors;
    client->session_cache = cache;
    client->clock = [n = now] { return *n; };
    server->certificates.push_back(test::server_cert(pki, crypto::KeyType::ec_p256));
    server->ticket_keys = std::make_shared<RotatingTicketKeys>(std::chrono::seconds(3600));
    server->clock = [n = now] { return *n; };
    server->tickets = 1;
    server->max_early_data_size = 1024;
  }
  // A full handshake that leaves a ticket in the cache.
  void prime() {
    auto c = Connection::client(client, "localhost");
    auto s = Connection::server(server);
    ASSERT_TRUE(pump(c, s));
    ASSERT_TRUE(c.handshake_complete() && s.handshake_complete());
    ASSERT_EQ(cache->size(), 1u);
  }
};

TEST(EarlyData, AcceptedAndKeptApartFromOneRttData) {
  Fixture f;
  f.prime();
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  EXPECT_EQ(c.write_early_data(text("GET /early")).value(), 10u);
  // The first flight is ClientHello then one early record.
  const Bytes flight(c.pending_output().begin(), c.pending_output().end());
  EXPECT_EQ(record_types(flight), (std::vector<int>{22, 20, 23}));  // CH, CCS (D.4), 0-RTT
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(c.handshake_complete()) << (c.failed() ? c.error()->describe() : "");
  ASSERT_TRUE(s.handshake_complete()) << (s.failed() ? s.error()->describe() : "");
  EXPECT_EQ(c.info().early_data, EarlyDataStatus::accepted);
  EXPECT_EQ(s.info().early_data, EarlyDataStatus::accepted);
  EXPECT_TRUE(c.info().resumed && s.info().resumed);
  EXPECT_EQ(s.readable(), 0u);
  EXPECT_EQ(read_all_early(s), "GET /early");
  ASSERT_TRUE(c.write(text("1-RTT")).ok());
  ASSERT_TRUE(pump(c, s));
  EXPECT_EQ(read_all(s), "1-RTT");
  EXPECT_EQ(s.early_data_readable(), 0u);
}

TEST(EarlyData, ReadableBeforeTheHandshakeCompletes) {
  Fixture f;
  f.client->middlebox_compat = false;
  f.prime();
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_EQ(c.write_early_data(text("0-RTT")).value(), 5u);
  ASSERT_TRUE(s.feed(take(c)).ok());
  EXPECT_FALSE(s.handshake_complete());
  EXPECT_EQ(read_all_early(s), "0-RTT");
  // More early data may follow until the server's flight arrives.
  EXPECT_EQ(c.write_early_data(text("+more")).value(), 5u);
  ASSERT_TRUE(s.feed(take(c)).ok());
  EXPECT_EQ(read_all_early(s), "+more");
  ASSERT_TRUE(pump(c, s));
  EXPECT_TRUE(s.handshake_complete());
  // Once the handshake is done there is no 0-RTT left to send.
  EXPECT_EQ(c.write_early_data(text("late")).value(), 0u);
}

TEST(EarlyData, NotOfferedWithoutATicketThatAllowsIt) {
  Fixture f;
  {  // no ticket at all
    auto c = Connection::client(f.client, "localhost");
    auto s = Connection::server(f.server);
    EXPECT_EQ(c.write_early_data(text("x")).value(), 0u);
    ASSERT_TRUE(pump(c, s));
    EXPECT_TRUE(c.handshake_complete());
    EXPECT_EQ(c.info().early_data, EarlyDataStatus::not_offered);
    EXPECT_EQ(s.info().early_data, EarlyDataStatus::not_offered);
  }
  Fixture g;
  g.server->max_early_data_size = 0;  // tickets without early_data
  g.prime();
  auto c = Connection::client(g.client, "localhost");
  auto s = Connection::server(g.server);
  EXPECT_EQ(c.write_early_data(text("x")).value(), 0u);
  const Bytes flight(c.pending_output().begin(), c.pending_output().end());
  auto ch = msg::ClientHello::decode(std::span(flight).subspan(9));
  ASSERT_TRUE(ch.ok());
  EXPECT_FALSE(ch->extensions.contains(msg::ExtensionType::early_data));
  EXPECT_TRUE(ch->extensions.contains(msg::ExtensionType::pre_shared_key));
  ASSERT_TRUE(pump(c, s));
  EXPECT_TRUE(c.info().resumed);
  EXPECT_EQ(c.info().early_data, EarlyDataStatus::not_offered);
}

TEST(EarlyData, ClientKeepsToMaxEarlyDataSize) {
  Fixture f;
  f.server->max_early_data_size = 100;
  f.prime();
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  EXPECT_EQ(c.write_early_data(Bytes(150, 'a')).value(), 100u);
  EXPECT_EQ(c.write_early_data(Bytes(10, 'b')).value(), 0u);
  ASSERT_TRUE(pump(c, s));
  EXPECT_EQ(s.info().early_data, EarlyDataStatus::accepted);
  EXPECT_EQ(read_all_early(s), std::string(100, 'a'));
}

// §4.2.10: a server that does not accept early data skips the records it
// cannot decrypt (this was a known bug: bad_record_mac), and the handshake
// completes as 1-RTT.
TEST(EarlyData, RejectedByAServerWithoutZeroRttIsSkipped) {
  Fixture f;
  f.prime();
  auto off = std::make_shared<ServerConfig>(*f.server);
  off->max_early_data_size = 0;
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(off);
  ASSERT_EQ(c.write_early_data(Bytes(3000, 'z')).value(), 1024u);
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(s.handshake_complete()) << (s.failed() ? s.error()->describe() : "");
  ASSERT_TRUE(c.handshake_complete());
  EXPECT_EQ(c.info().early_data, EarlyDataStatus::rejected);
  EXPECT_EQ(s.info().early_data, EarlyDataStatus::rejected);
  EXPECT_TRUE(s.info().resumed);
  EXPECT_EQ(s.early_data_readable(), 0u);
  EXPECT_EQ(s.readable(), 0u);
  // The application resends what mattered as 1-RTT data.
  ASSERT_TRUE(c.write(text("again")).ok());
  ASSERT_TRUE(pump(c, s));
  EXPECT_EQ(read_all(s), "again");
}

// The former known-bug case (tests/unit/pending/known_bugs.cpp.txt): a
// ClientHello offering early_data under a PSK the server cannot open, then
// a 0-RTT record; the server must skip the record, not fail.
TEST(EarlyData, ServerSkipsEarlyDataOfAnUnknownPsk) {
  using namespace test::neg;
  Peers peers;
  Pair p(peers, edit_ch([](msg::ClientHello& c) {
           c.extensions.add(ext(msg::ExtensionType::early_data), Message{});
           c.extensions.add(ext(msg::ExtensionType::psk_key_exchange_modes), Message{0x01, 0x01});
           Message psks{0x00, 0x08, 0x00, 0x02, 'i', 'd', 0, 0, 0, 0, 0x00, 0x21, 0x20};
           psks.resize(psks.size() + 32, 0x11);
           c.extensions.add(ext(msg::ExtensionType::pre_shared_key), psks);
         }));
  const Message ch = take_output(p.c);
  const Message zero_rtt = test::neg::record(ContentType::application_data, Message(40, 0x77));
  (void)p.s.feed(concat({ch, zero_rtt, zero_rtt}));
  EXPECT_FALSE(p.s.failed()) << p.s.error()->describe();
  EXPECT_EQ(p.s.info().early_data, EarlyDataStatus::rejected);
  EXPECT_FALSE(p.s.pending_output().empty());  // its flight went out
}

// §4.2.10: more early data than max_early_data_size is unexpected_message,
// accepted or not. The client is made to believe in a larger limit.
TEST(EarlyData, OverMaxEarlyDataSizeIsUnexpectedMessage) {
  for (bool accepting : {true, false}) {
    SCOPED_TRACE(accepting ? "accepted" : "rejected");
    Fixture f;
    f.server->max_early_data_size = 64;
    f.prime();
    auto t = f.cache->take("localhost");
    ASSERT_TRUE(t.has_value());
    t->max_early_data_size = 1 << 20;
    f.cache->store("localhost", std::move(*t));
    auto srv = std::make_shared<ServerConfig>(*f.server);
    if (!accepting) srv->max_early_data_size = 0;  // skips at most 16384 bytes
    auto c = Connection::client(f.client, "localhost");
    auto s = Connection::server(srv);
    const std::size_t n = accepting ? 65 : 20000;
    ASSERT_EQ(c.write_early_data(Bytes(n, 'x')).value(), n);
    (void)s.feed(take(c));
    ASSERT_TRUE(s.failed());
    EXPECT_EQ(s.error()->alert, Alert::unexpected_message) << s.error()->describe();
    EXPECT_EQ(s.early_data_readable(), 0u);  // nothing of the offending record
  }
}

// Exactly max_early_data_size is fine.
TEST(EarlyData, ExactlyMaxEarlyDataSizeIsAccepted) {
  Fixture f;
  f.server->max_early_data_size = 64;
  f.prime();
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_EQ(c.write_early_data(Bytes(64, 'x')).value(), 64u);
  ASSERT_TRUE(pump(c, s));
  EXPECT_TRUE(s.handshake_complete());
  EXPECT_EQ(read_all_early(s).size(), 64u);
}

// §8: the same ClientHello and early data delivered twice (an attacker's
// copy first): the copy's early data is accepted once; the genuine
// connection's is rejected as a replay, yet it completes as 1-RTT.
TEST(EarlyData, ReplayedClientHelloIsRejectedAndCompletesAsOneRtt) {
  Fixture f;
  f.prime();
  auto c = Connection::client(f.client, "localhost");
  ASSERT_EQ(c.write_early_data(text("transfer 100")).value(), 12u);
  const Bytes flight(c.pending_output().begin(), c.pending_output().end());

  auto attacker_target = Connection::server(f.server);
  ASSERT_TRUE(attacker_target.feed(flight).ok());
  EXPECT_EQ(attacker_target.info().early_data, EarlyDataStatus::accepted);
  EXPECT_EQ(read_all_early(attacker_target), "transfer 100");

  auto s = Connection::server(f.server);  // shares the replay store
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(c.handshake_complete() && s.handshake_complete());
  EXPECT_EQ(s.info().early_data, EarlyDataStatus::rejected);
  EXPECT_EQ(c.info().early_data, EarlyDataStatus::rejected);
  EXPECT_TRUE(c.info().resumed);
  EXPECT_EQ(s.early_data_readable(), 0u);
  ASSERT_TRUE(c.write(text("transfer 100")).ok());
  ASSERT_TRUE(pump(c, s));
  EXPECT_EQ(read_all(s), "transfer 100");

  // Why a fleet must share its store: a server with a store of its own
  // accepts the replayed copy.
  auto lone = std::make_shared<ServerConfig>(*f.server);
  lone->replay_store = std::make_shared<InMemoryReplayStore>();
  auto other = Connection::server(lone);
  ASSERT_TRUE(other.feed(flight).ok());
  EXPECT_EQ(other.info().early_data, EarlyDataStatus::accepted);
}

// §8.3: a ticket age the client reports far from ours (here our clock ran
// 30 s ahead of the client's) rejects 0-RTT; the PSK itself (60 s window)
// is still good.
TEST(EarlyData, StaleTicketAgeRejectsEarlyDataOnly) {
  Fixture f;
  f.prime();
  auto ahead = std::make_shared<ServerConfig>(*f.server);
  ahead->clock = [n = f.now] { return *n + 30; };
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(ahead);
  ASSERT_EQ(c.write_early_data(text("x")).value(), 1u);
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(s.handshake_complete());
  EXPECT_TRUE(s.info().resumed);
  EXPECT_EQ(s.info().early_data, EarlyDataStatus::rejected);
  // Within the window (default 10 s) it is accepted.
  f.prime();
  auto near = std::make_shared<ServerConfig>(*f.server);
  near->clock = [n = f.now] { return *n + 5; };
  auto c2 = Connection::client(f.client, "localhost");
  auto s2 = Connection::server(near);
  ASSERT_EQ(c2.write_early_data(text("x")).value(), 1u);
  ASSERT_TRUE(pump(c2, s2));
  EXPECT_EQ(s2.info().early_data, EarlyDataStatus::accepted);
}

// §4.2.10: the ALPN must be the ticket's.
TEST(EarlyData, OtherAlpnRejectsEarlyData) {
  Fixture f;
  f.server->alpn = {"h2", "http/1.1"};
  f.client->alpn = {"h2"};
  f.prime();
  f.client->alpn = {"http/1.1"};
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_EQ(c.write_early_data(text("x")).value(), 1u);
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(c.handshake_complete());
  EXPECT_EQ(c.info().alpn, "http/1.1");
  EXPECT_EQ(c.info().early_data, EarlyDataStatus::rejected);
}

// §4.1.2, §4.2.10: after a HelloRetryRequest 0-RTT is over; the server
// skips the early records that arrived before the second ClientHello.
TEST(EarlyData, HelloRetryRequestRejectsEarlyData) {
  Fixture f;
  f.prime();
  f.client->key_share_groups = {NamedGroup::secp256r1};  // the server prefers x25519
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_EQ(c.write_early_data(text("before HRR")).value(), 10u);
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(c.handshake_complete()) << (c.failed() ? c.error()->describe() : "");
  ASSERT_TRUE(s.handshake_complete()) << (s.failed() ? s.error()->describe() : "");
  EXPECT_TRUE(c.info().hello_retry_request);
  EXPECT_TRUE(c.info().resumed);
  EXPECT_EQ(c.info().early_data, EarlyDataStatus::rejected);
  EXPECT_EQ(s.info().early_data, EarlyDataStatus::rejected);
  EXPECT_EQ(s.early_data_readable(), 0u);
  EXPECT_EQ(c.write_early_data(text("x")).value(), 0u);
}

// §5.1, §4.2.10: a server skipping rejected 0-RTT records after a
// HelloRetryRequest still allows none between the fragments of the second
// ClientHello (found by BoGo).
TEST(EarlyData, ZeroRttRecordInsideAFragmentedSecondClientHelloIsUnexpected) {
  Fixture f;
  f.prime();
  f.client->key_share_groups = {NamedGroup::secp256r1};  // the server prefers x25519
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_EQ(c.write_early_data(text("before HRR")).value(), 10u);
  ASSERT_TRUE(s.feed(take(c)).ok());
  ASSERT_TRUE(c.feed(take(s)).ok());  // the HelloRetryRequest
  const Bytes flight = take(c);
  ASSERT_GE(flight.size(), 5u);
  ASSERT_EQ(flight[0], 22);  // the second ClientHello, in one record
  const std::size_t len = flight[3] << 8 | flight[4];
  ASSERT_GT(len, 16u);
  auto record = [](std::uint8_t type, std::span<const std::uint8_t> body) {
    Bytes r = {type, 3, 3, static_cast<std::uint8_t>(body.size() >> 8),
               static_cast<std::uint8_t>(body.size())};
    r.insert(r.end(), body.begin(), body.end());
    return r;
  };
  const auto hello = std::span(flight).subspan(5, len);
  Bytes split = record(22, hello.first(10));
  const Bytes early = record(23, Bytes(40, 0xee));
  split.insert(split.end(), early.begin(), early.end());
  const Bytes rest = record(22, hello.subspan(10));
  split.insert(split.end(), rest.begin(), rest.end());
  (void)s.feed(split);
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.error()->alert, Alert::unexpected_message) << s.error()->describe();
  // Whole, the same records are fine: the early record is skipped.
  f.prime();
  auto c2 = Connection::client(f.client, "localhost");
  auto s2 = Connection::server(f.server);
  ASSERT_EQ(c2.write_early_data(text("before HRR")).value(), 10u);
  ASSERT_TRUE(s2.feed(take(c2)).ok());
  ASSERT_TRUE(c2.feed(take(s2)).ok());
  const Bytes flight2 = take(c2);
  Bytes whole = early;
  whole.insert(whole.end(), flight2.begin(), flight2.end());
  EXPECT_TRUE(s2.feed(whole).ok()) << s2.error()->describe();
  EXPECT_FALSE(s2.failed());
}

TEST(EarlyData, SecondClientHelloWithEarlyDataIsIllegalParameter) {
  Fixture f;
  f.prime();
  f.client->key_share_groups = {NamedGroup::secp256r1};
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  int hellos = 0;
  ConnectionAccess::impl(c).outgoing_handshake_filter = [&](Bytes& m) {
    if (m[0] != 1 || ++hellos != 2) return;
    auto ch = msg::ClientHello::decode(std::span(m).subspan(4));
    ASSERT_TRUE(ch.ok());
    msg::ExtensionList ext;
    for (const auto& e : ch->extensions)
      if (e.type == static_cast<std::uint16_t>(msg::ExtensionType::pre_shared_key))
        ext.add(msg::EarlyDataIndication{});
      else
        ext.add(e.type, e.body);
    msg::ClientHello copy = *ch;
    copy.extensions = std::move(ext);
    copy.extensions.own();
    Bytes out;
    ASSERT_TRUE(msg::append_message(out, copy).ok());
    m = std::move(out);
  };
  ASSERT_EQ(c.write_early_data(text("x")).value(), 1u);
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(s.failed());
  EXPECT_EQ(s.error()->alert, Alert::illegal_parameter) << s.error()->describe();
}

TEST(EarlyData, EarlyExporterEqualOnBothSides) {
  Fixture f;
  f.prime();
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_EQ(c.write_early_data(text("x")).value(), 1u);
  Bytes from_client(32), from_server(32), later(32), regular(32);
  // The client has it as soon as its ClientHello is out.
  ASSERT_TRUE(c.export_early_keying_material("EXPERIMENTAL early", text("ctx"), from_client).ok());
  ASSERT_TRUE(pump(c, s));
  ASSERT_TRUE(s.export_early_keying_material("EXPERIMENTAL early", text("ctx"), from_server).ok());
  ASSERT_TRUE(c.export_early_keying_material("EXPERIMENTAL early", text("ctx"), later).ok());
  ASSERT_TRUE(c.export_keying_material("EXPERIMENTAL early", text("ctx"), regular).ok());
  EXPECT_EQ(from_client, from_server);
  EXPECT_EQ(later, from_client);
  EXPECT_NE(regular, from_client);  // exporter_master_secret is another secret
  Bytes other(32);
  ASSERT_TRUE(s.export_early_keying_material("EXPERIMENTAL early", text("other"), other).ok());
  EXPECT_NE(other, from_server);

  // A full handshake has none.
  Fixture g;
  auto c2 = Connection::client(g.client, "localhost");
  auto s2 = Connection::server(g.server);
  ASSERT_TRUE(pump(c2, s2));
  auto r = s2.export_early_keying_material("EXPERIMENTAL early", {}, other);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::internal_error);
  EXPECT_FALSE(c2.export_early_keying_material("EXPERIMENTAL early", {}, other).ok());
}

TEST(EarlyData, KeyLogCarriesTheEarlySecretsOnBothSides) {
  Fixture f;
  std::map<std::string, Bytes> client_log, server_log;
  f.prime();
  f.client->key_log = [&](std::string_view l, std::span<const std::uint8_t>,
                          std::span<const std::uint8_t> s) {
    client_log[std::string(l)].assign(s.begin(), s.end());
  };
  f.server->key_log = [&](std::string_view l, std::span<const std::uint8_t>,
                          std::span<const std::uint8_t> s) {
    server_log[std::string(l)].assign(s.begin(), s.end());
  };
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_EQ(c.write_early_data(text("x")).value(), 1u);
  ASSERT_TRUE(pump(c, s));
  for (const char* label : {"CLIENT_EARLY_TRAFFIC_SECRET", "EARLY_EXPORTER_SECRET",
                            "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0"}) {
    SCOPED_TRACE(label);
    ASSERT_EQ(client_log.count(label), 1u);
    EXPECT_EQ(client_log[label], server_log[label]);
  }
}

TEST(EarlyData, WriteEarlyDataOnAServerIsInternalError) {
  Fixture f;
  auto s = Connection::server(f.server);
  auto r = s.write_early_data(text("x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::internal_error);
}

// Without a replay store the server never offers or accepts 0-RTT.
TEST(EarlyData, NoReplayStoreNoZeroRtt) {
  Fixture f;
  f.server->replay_store = nullptr;
  f.prime();
  auto t = f.cache->take("localhost");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->max_early_data_size, 0u);
  t->max_early_data_size = 1024;  // a client that insists
  f.cache->store("localhost", std::move(*t));
  auto c = Connection::client(f.client, "localhost");
  auto s = Connection::server(f.server);
  ASSERT_EQ(c.write_early_data(text("x")).value(), 1u);
  ASSERT_TRUE(pump(c, s));
  EXPECT_TRUE(s.handshake_complete());
  EXPECT_EQ(s.info().early_data, EarlyDataStatus::rejected);
}

TEST(AntiReplay, StoreRefusesReplaysAndWhenFullAndForgetsExpired) {
  InMemoryReplayStore store(2);
  const Bytes a = text("a"), b = text("b"), c = text("c");
  EXPECT_TRUE(store.insert_once(a, 110, 100));
  EXPECT_FALSE(store.insert_once(a, 110, 101));  // a replay
  EXPECT_TRUE(store.insert_once(b, 120, 101));
  EXPECT_FALSE(store.insert_once(c, 120, 102));  // full: refused, nothing forgotten
  EXPECT_EQ(store.size(), 2u);
  EXPECT_FALSE(store.insert_once(a, 130, 109));  // still remembered
  EXPECT_TRUE(store.insert_once(c, 130, 110));   // a expired at 110
  EXPECT_TRUE(store.insert_once(a, 140, 120));   // b expired; a is new again
  EXPECT_EQ(store.size(), 2u);
}

TEST(AntiReplay, StoreIsThreadSafe) {
  InMemoryReplayStore store(100000);
  std::atomic<int> shared_wins{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) {
        const std::string k = std::to_string(t) + ":" + std::to_string(i);
        EXPECT_TRUE(store.insert_once(text(k), 1000, 0));
        if (store.insert_once(text("shared"), 1000, 0)) ++shared_wins;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(shared_wins.load(), 1);
  EXPECT_EQ(store.size(), 4001u);
}

}  // namespace
}  // namespace tls13
