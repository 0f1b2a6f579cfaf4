// The copy-free halves of the data API: write_into() seals records straight
// into the caller's buffer, received()/consume_received() hand out the
// decrypted bytes where they lie.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "conn/connection_access.h"
#include "support/loopback.h"
#include "support/test_support.h"

namespace tls13 {
namespace {

using test::pump;

struct Pair {
  test::Pki pki = test::make_pki();
  std::shared_ptr<ClientConfig> client = std::make_shared<ClientConfig>();
  std::shared_ptr<ServerConfig> server = std::make_shared<ServerConfig>();
  std::optional<Connection> c, s;
  Pair() {
    client->trust = pki.anchors;
    server->certificates.push_back(test::server_cert(pki, crypto::KeyType::ec_p256));
    c.emplace(Connection::client(client, "localhost"));
    s.emplace(Connection::server(server));
  }
  bool connect() { return pump(*c, *s) && c->handshake_complete() && s->handshake_complete(); }
};

std::vector<std::uint8_t> pattern(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i * 7 + 1);
  return v;
}

// Everything the peer has received, through received()/consume_received().
std::vector<std::uint8_t> take_all(Connection& peer) {
  const auto view = peer.received();
  std::vector<std::uint8_t> got(view.begin(), view.end());
  peer.consume_received(view.size());
  return got;
}

// Records are decrypted back to back, so the view spans all of them in order.
TEST(ZeroCopyIo, ReceivedHandsOutDecryptedBytesInPlace) {
  Pair p;
  ASSERT_TRUE(p.connect());
  const auto sent = pattern(20000);  // two records after the first one
  ASSERT_TRUE(p.c->write(std::span(sent).first(5)).ok());
  ASSERT_TRUE(p.c->write(std::span(sent).subspan(5)).ok());
  ASSERT_TRUE(pump(*p.c, *p.s));
  auto view = p.s->received();
  ASSERT_EQ(view.size(), sent.size());
  EXPECT_TRUE(std::equal(view.begin(), view.end(), sent.begin()));
  EXPECT_EQ(p.s->readable(), sent.size());

  p.s->consume_received(3);
  ASSERT_EQ(p.s->received().size(), sent.size() - 3);
  EXPECT_EQ(p.s->received()[0], sent[3]);
  std::uint8_t two[2];
  ASSERT_EQ(p.s->read(two), 2u);  // read() continues where the view left off
  EXPECT_EQ(two[1], sent[4]);
  EXPECT_EQ(p.s->received()[0], sent[5]);

  p.s->consume_received(sent.size());  // more than there is: all of it
  EXPECT_TRUE(p.s->received().empty());
  EXPECT_EQ(p.s->readable(), 0u);
  ASSERT_TRUE(p.s->write(two).ok());  // the connection goes on
  ASSERT_TRUE(pump(*p.c, *p.s));
  EXPECT_EQ(take_all(*p.c), std::vector<std::uint8_t>(two, two + 2));
}

TEST(ZeroCopyIo, WriteIntoSealsRecordsTheServerReads) {
  Pair p;
  ASSERT_TRUE(p.connect());
  for (std::size_t n : {std::size_t{1}, std::size_t{16384}, std::size_t{40000}}) {
    SCOPED_TRACE(n);
    const auto sent = pattern(n);
    std::vector<std::uint8_t> buf(p.c->sealed_size(n));
    auto used = p.c->write_into(sent, buf);
    ASSERT_TRUE(used.ok()) << used.error().describe();
    ASSERT_LE(*used, buf.size());
    EXPECT_TRUE(p.c->pending_output().empty());  // nothing staged inside
    // Exactly the records write() would have produced: header + content +
    // type byte + tag per 16 KiB fragment.
    const std::size_t records = (n + 16383) / 16384;
    EXPECT_EQ(*used, n + records * (5 + 1 + 16));
    ASSERT_TRUE(p.s->feed(std::span(buf).first(*used)).ok());
    EXPECT_EQ(take_all(*p.s), sent);
  }
}

TEST(ZeroCopyIo, WriteIntoRefusesMisuseWithoutWritingOrFailing) {
  Pair p;
  std::vector<std::uint8_t> buf(1000);
  const auto data = pattern(10);
  auto early = p.c->write_into(data, buf);  // before the handshake
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().alert, Alert::internal_error);
  EXPECT_EQ(p.c->sealed_size(10), 0u);  // no write key yet
  ASSERT_TRUE(p.connect());

  auto small = p.c->write_into(data, std::span(buf).first(p.c->sealed_size(10) - 1));
  ASSERT_FALSE(small.ok());
  EXPECT_EQ(small.error().alert, Alert::internal_error);

  ASSERT_TRUE(p.c->write(data).ok());  // now output is pending
  auto pending = p.c->write_into(data, buf);
  ASSERT_FALSE(pending.ok());
  EXPECT_EQ(pending.error().alert, Alert::internal_error);
  EXPECT_FALSE(p.c->failed());
  ASSERT_TRUE(pump(*p.c, *p.s));  // the connection goes on
  EXPECT_EQ(take_all(*p.s), data);
  auto after = p.c->write_into(data, buf);
  ASSERT_TRUE(after.ok());
  ASSERT_TRUE(p.s->feed(std::span(buf).first(*after)).ok());
  EXPECT_EQ(take_all(*p.s), data);
}

struct KeyUpdatesSeen final : TraceSink {
  int count = 0;
  void message(bool sent, std::string_view name, std::string_view) override {
    if (!sent && name == "KeyUpdate") ++count;
  }
  void secret(std::string_view) override {}
};

// §5.5: when the key nears its limit, the KeyUpdate goes into the buffer
// ahead of the records under the new key.
TEST(ZeroCopyIo, WriteIntoPutsTheKeyUpdateFirst) {
  Pair p;
  ASSERT_TRUE(p.connect());
  KeyUpdatesSeen seen;
  p.s->set_trace(&seen);
  ConnectionAccess::impl(*p.c).sealer->traffic_key().set_usage_limit(2);
  const auto sent = pattern(5 * 16384);
  std::vector<std::uint8_t> buf(p.c->sealed_size(sent.size()));
  auto used = p.c->write_into(sent, buf);
  ASSERT_TRUE(used.ok()) << used.error().describe();
  ASSERT_TRUE(p.s->feed(std::span(buf).first(*used)).ok());
  EXPECT_EQ(take_all(*p.s), sent);
  EXPECT_FALSE(p.s->failed());
  EXPECT_EQ(seen.count, 1);  // one update; the new key has the default limit
  // The server now reads under the client's next key: more data arrives.
  ASSERT_TRUE(p.c->write(std::span(sent).first(3)).ok());
  ASSERT_TRUE(pump(*p.c, *p.s));
  EXPECT_EQ(take_all(*p.s), std::vector<std::uint8_t>(sent.begin(), sent.begin() + 3));
}

}  // namespace
}  // namespace tls13
