// The epoll adapter (tls13/event_loop.h) over loopback: many concurrent
// connections on one server thread, several threads, clean close_notify
// exchanges, alerts and socket errors reported per stream.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "support/loop_fixture.h"

namespace tls13 {
namespace {

using test::ClientOutcome;
using test::EchoClient;
using test::LoopThread;

// Drives `clients` client streams on a loop of the test thread until every
// one has ended.
void run_clients(EventLoop& loop, std::vector<ClientOutcome>& outcomes) {
  ASSERT_TRUE(test::eventually(
      [&] {
        auto r = loop.run_once(std::chrono::milliseconds(10));
        EXPECT_TRUE(r.ok());
        return std::all_of(outcomes.begin(), outcomes.end(),
                           [](const ClientOutcome& o) { return o.done; });
      },
      60000));
}

std::string message_for(std::size_t i) {
  return "client " + std::to_string(i) + ": " + std::string(1000 + i % 7, 'a' + char(i % 26));
}

TEST(EventLoop, TwoHundredConcurrentClientsOnOneServerThread) {
  test::LoopPki f;
  const int lfd = test::listen_loopback();
  const auto port = test::port_of(lfd);
  auto server = EventLoop::create();
  ASSERT_TRUE(server.ok());
  ASSERT_TRUE(server->listen(lfd, f.server, [] { return std::make_unique<test::EchoHandler>(); }));
  LoopThread srv(std::move(*server));

  constexpr std::size_t kClients = 200;
  auto clients = EventLoop::create();
  ASSERT_TRUE(clients.ok());
  std::vector<ClientOutcome> out(kClients);
  // Nobody sends until every handshake is done: all 200 are open on the
  // server at once. Then the test thread writes on each stream (outside any
  // callback: the loop flushes it on its next round).
  std::vector<std::pair<Stream*, EchoClient*>> streams;
  for (std::size_t i = 0; i < kClients; ++i) {
    auto handler = std::make_unique<EchoClient>(message_for(i), out[i], [] { return false; });
    auto* h = handler.get();
    auto s = clients->connect(test::connect_loopback(port),
                              Connection::client(f.client, "localhost"), std::move(handler));
    ASSERT_TRUE(s.ok()) << s.error().describe();
    streams.emplace_back(*s, h);
  }
  ASSERT_TRUE(test::eventually(
      [&] {
        (void)clients->run_once(std::chrono::milliseconds(10));
        return std::all_of(out.begin(), out.end(),
                           [](const ClientOutcome& o) { return o.handshake; });
      },
      60000));
  // The server completes each handshake on the client's Finished, a little later.
  ASSERT_TRUE(test::eventually([&] { return srv.stats().handshakes == kClients; }));
  EXPECT_EQ(srv.stats().open, kClients);
  for (auto& [stream, handler] : streams) {
    ASSERT_FALSE(handler->out.done);
    handler->ready = {};
    handler->maybe_send(*stream);
  }
  run_clients(*clients, out);
  for (std::size_t i = 0; i < kClients; ++i) {
    EXPECT_EQ(out[i].reason, CloseReason::closed) << i << " " << to_string(out[i].reason);
    EXPECT_EQ(out[i].received, message_for(i)) << i;
  }
  ASSERT_TRUE(test::eventually([&] { return srv.stats().open == 0; }));
  const auto st = srv.stats();
  EXPECT_EQ(st.accepted, kClients);
  EXPECT_EQ(st.closed[static_cast<int>(CloseReason::closed)], kClients);
  srv.stop();
  ::close(lfd);
}

// Runs `n` echo clients against 127.0.0.1:port; all must end cleanly.
void echo_clients(std::uint16_t port, const std::shared_ptr<ClientConfig>& cfg, std::size_t n) {
  auto loop = EventLoop::create();
  ASSERT_TRUE(loop.ok());
  std::vector<ClientOutcome> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto s = loop->connect(test::connect_loopback(port), Connection::client(cfg, "localhost"),
                           std::make_unique<EchoClient>(message_for(i), out[i]));
    ASSERT_TRUE(s.ok());
  }
  run_clients(*loop, out);
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(out[i].reason, CloseReason::closed) << i << " " << to_string(out[i].reason);
    EXPECT_EQ(out[i].received, message_for(i));
  }
}

TEST(EventLoopServer, TwoThreadsShareOneListeningSocket) {
  test::LoopPki f;
  const int lfd = test::listen_loopback();
  auto server = EventLoopServer::create(
      f.server, [] { return std::make_unique<test::EchoHandler>(); }, {lfd}, 2);
  ASSERT_TRUE(server.ok()) << server.error().describe();
  std::thread t([&] { EXPECT_TRUE(server->run().ok()); });
  echo_clients(test::port_of(lfd), f.client, 100);
  ASSERT_TRUE(test::eventually([&] { return server->stats().open == 0; }));
  EXPECT_EQ(server->stats().handshakes, 100u);
  server->stop();
  t.join();
  ::close(lfd);
}

TEST(EventLoopServer, TwoThreadsWithReusePortSockets) {
  test::LoopPki f;
  const int a = test::listen_loopback(0, true);
  const int b = test::listen_loopback(test::port_of(a), true);
  ASSERT_GE(b, 0);
  // Which loop serves a connection is the kernel's choice: count per thread.
  std::mutex mu;
  std::set<std::thread::id> threads;
  struct Recording : test::EchoHandler {
    Recording(std::mutex& m, std::set<std::thread::id>& t) : mu(m), ids(t) {}
    void on_handshake(Stream&) override {
      std::lock_guard<std::mutex> lock(mu);
      ids.insert(std::this_thread::get_id());
    }
    std::mutex& mu;
    std::set<std::thread::id>& ids;
  };
  auto server = EventLoopServer::create(
      f.server, [&] { return std::make_unique<Recording>(mu, threads); }, {a, b}, 2);
  ASSERT_TRUE(server.ok()) << server.error().describe();
  std::thread t([&] { EXPECT_TRUE(server->run().ok()); });
  echo_clients(test::port_of(a), f.client, 100);
  ASSERT_TRUE(test::eventually([&] { return server->stats().open == 0; }));
  EXPECT_EQ(server->stats().handshakes, 100u);
  server->stop();
  t.join();
  EXPECT_GE(threads.size(), 1u);
  EXPECT_LE(threads.size(), 2u);
  ::close(a);
  ::close(b);
}

// The server says goodbye first: the client answers (default
// on_peer_closed) and both ends report a clean close.
TEST(EventLoop, ServerClosesFirstBothSeeCleanClose) {
  test::LoopPki f;
  const int lfd = test::listen_loopback();
  struct Bye : StreamHandler {
    void on_handshake(Stream& s) override { s.close(); }
  };
  auto server = EventLoop::create();
  ASSERT_TRUE(server.ok());
  ASSERT_TRUE(server->listen(lfd, f.server, [] { return std::make_unique<Bye>(); }));
  LoopThread srv(std::move(*server));
  auto loop = EventLoop::create();
  std::vector<ClientOutcome> out(1);
  struct Quiet : EchoClient {
    using EchoClient::EchoClient;
    void on_handshake(Stream&) override { out.handshake = true; }
  };
  ASSERT_TRUE(loop->connect(test::connect_loopback(test::port_of(lfd)),
                            Connection::client(f.client, "localhost"),
                            std::make_unique<Quiet>("", out[0])));
  run_clients(*loop, out);
  EXPECT_TRUE(out[0].handshake);
  EXPECT_EQ(out[0].reason, CloseReason::closed);
  ASSERT_TRUE(test::eventually([&] { return srv.stats().open == 0; }));
  EXPECT_EQ(srv.stats().closed[static_cast<int>(CloseReason::closed)], 1u);
  srv.stop();
  ::close(lfd);
}

// A client that does not trust the server's CA: its alert fails both ends.
TEST(EventLoop, UntrustedServerGivesUnknownCaOnBothEnds) {
  test::LoopPki f;
  test::LoopPki other;  // a different CA
  const int lfd = test::listen_loopback();
  std::optional<Error> server_error;
  CloseReason server_reason = CloseReason::aborted;
  struct Recorder : StreamHandler {
    Recorder(std::optional<Error>& e, CloseReason& r) : err(e), reason(r) {}
    void on_closed(Stream& s, CloseReason r) override {
      err = s.connection().error();
      reason = r;
    }
    std::optional<Error>& err;
    CloseReason& reason;
  };
  auto server = EventLoop::create();
  ASSERT_TRUE(server->listen(
      lfd, f.server, [&] { return std::make_unique<Recorder>(server_error, server_reason); }));
  LoopThread srv(std::move(*server));
  auto loop = EventLoop::create();
  std::vector<ClientOutcome> out(1);
  ASSERT_TRUE(loop->connect(test::connect_loopback(test::port_of(lfd)),
                            Connection::client(other.client, "localhost"),
                            std::make_unique<EchoClient>("x", out[0])));
  run_clients(*loop, out);
  EXPECT_FALSE(out[0].handshake);
  EXPECT_EQ(out[0].reason, CloseReason::tls_error);
  ASSERT_TRUE(out[0].error.has_value());
  EXPECT_EQ(out[0].error->alert, Alert::unknown_ca);
  EXPECT_FALSE(out[0].error->from_peer);
  ASSERT_TRUE(test::eventually([&] { return srv.stats().open == 0; }));
  srv.stop();
  EXPECT_EQ(server_reason, CloseReason::tls_error);
  ASSERT_TRUE(server_error.has_value());
  EXPECT_EQ(server_error->alert, Alert::unknown_ca);
  EXPECT_TRUE(server_error->from_peer);
  ::close(lfd);
}

TEST(EventLoop, RefusedConnectIsAnIoError) {
  test::LoopPki f;
  const int lfd = test::listen_loopback();
  const auto port = test::port_of(lfd);
  ::close(lfd);  // nobody listens there now
  auto loop = EventLoop::create();
  std::vector<ClientOutcome> out(1);
  auto s = loop->connect(test::connect_loopback(port), Connection::client(f.client, "localhost"),
                         std::make_unique<EchoClient>("x", out[0]));
  ASSERT_TRUE(s.ok());
  int err = 0;
  struct ErrnoOf : EchoClient {
    ErrnoOf(ClientOutcome& o, int& e) : EchoClient("x", o), code(e) {}
    void on_closed(Stream& s, CloseReason r) override {
      code = s.io_errno();
      EchoClient::on_closed(s, r);
    }
    int& code;
  };
  std::vector<ClientOutcome> out2(1);
  ASSERT_TRUE(loop->connect(test::connect_loopback(port), Connection::client(f.client, "localhost"),
                            std::make_unique<ErrnoOf>(out2[0], err)));
  run_clients(*loop, out);
  run_clients(*loop, out2);
  EXPECT_EQ(out[0].reason, CloseReason::io_error);
  EXPECT_EQ(out2[0].reason, CloseReason::io_error);
  EXPECT_EQ(err, ECONNREFUSED);
  EXPECT_EQ(loop->stats().closed[static_cast<int>(CloseReason::io_error)], 2u);
}

}  // namespace
}  // namespace tls13
