// What the epoll adapter bounds: the output queue of a stream whose peer
// does not read, handshakes that never finish, idle connections and the
// number of connections open at once.
#include <fcntl.h>
#include <poll.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/loop_fixture.h"
#include "tls13/socket.h"

namespace tls13 {
namespace {

using test::LoopThread;

std::uint8_t pattern(std::uint64_t i) {
  return static_cast<std::uint8_t>((i * 131) >> 3);
}

// A client that writes and does not read: the echo server must stop
// reading rather than queue the echo. Once the client's socket is blocked,
// the server's peak queue is within its bound, and afterwards every byte
// still comes back, in order.
TEST(EventLoopLimits, SlowReaderDoesNotGrowTheServerQueue) {
  test::LoopPki f;
  constexpr std::size_t kBound = 16 * 1024;
  LoopOptions opts;
  opts.max_queued = kBound;
  opts.max_unread = kBound;
  const int lfd = test::listen_loopback();
  auto server = EventLoop::create(opts);
  ASSERT_TRUE(server.ok());
  ASSERT_TRUE(server->listen(lfd, f.server, [] { return std::make_unique<test::EchoHandler>(); }));
  LoopThread srv(std::move(*server));

  const int fd = test::connect_loopback(test::port_of(lfd), false);
  SocketStream client(fd, Connection::client(f.client, "localhost"));
  ASSERT_TRUE(client.handshake().ok());
  Connection& c = client.connection();
  ASSERT_EQ(::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK), 0);

  // Write (never read) until the socket stays blocked: the server has
  // stopped taking input. 256 MiB would mean it never did.
  constexpr std::uint64_t kGiveUp = 256ull << 20;
  std::uint64_t sealed = 0;
  std::vector<std::uint8_t> chunk(16 * 1024);
  bool blocked = false;
  while (!blocked && sealed < kGiveUp) {
    if (c.pending_output().empty()) {
      for (std::size_t i = 0; i < chunk.size(); ++i) chunk[i] = pattern(sealed + i);
      ASSERT_TRUE(c.write(chunk).ok());
      sealed += chunk.size();
    }
    const auto out = c.pending_output();
    const ssize_t n = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
    if (n > 0) {
      c.consume_output(static_cast<std::size_t>(n));
      continue;
    }
    ASSERT_TRUE(errno == EAGAIN || errno == EWOULDBLOCK) << std::strerror(errno);
    pollfd p{fd, POLLOUT, 0};
    blocked = ::poll(&p, 1, 500) == 0;  // still full after a while: blocked
  }
  ASSERT_TRUE(blocked) << "the server kept reading " << sealed << " bytes";
  const LoopStats st = srv.stats();
  // The bound plus the record overhead of one write (16 KiB: 2 records).
  EXPECT_LE(st.peak_queued, kBound + 2 * 22) << "sent " << sealed;
  EXPECT_GT(st.peak_queued, 0u);

  // Now read: everything comes back, in order, while the rest goes out.
  std::uint64_t received = 0;
  std::uint8_t buf[16 * 1024 + 512];
  while (received < sealed) {
    const auto out = c.pending_output();
    pollfd p{fd, static_cast<short>(POLLIN | (out.empty() ? 0 : POLLOUT)), 0};
    ASSERT_GT(::poll(&p, 1, 20000), 0) << "stalled at " << received << " of " << sealed;
    if ((p.revents & POLLOUT) && !out.empty()) {
      const ssize_t n = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
      if (n > 0) c.consume_output(static_cast<std::size_t>(n));
    }
    if (p.revents & POLLIN) {
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      ASSERT_GT(n, 0) << "server closed at " << received << " of " << sealed;
      ASSERT_TRUE(c.feed(std::span(buf, static_cast<std::size_t>(n))).ok());
      while (c.readable() > 0) {
        const std::size_t got = c.read(buf);
        for (std::size_t i = 0; i < got; ++i)
          ASSERT_EQ(buf[i], pattern(received + i)) << "at byte " << received + i;
        received += got;
      }
    }
  }
  EXPECT_EQ(received, sealed);
  EXPECT_LE(srv.stats().peak_queued, kBound + 2 * 22);
  ::close(fd);
  srv.stop();
  ::close(lfd);
}

// Sockets that never finish a handshake are closed once it times out: one
// silent, one that stops inside its ClientHello.
TEST(EventLoopLimits, IdleHandshakeTimesOut) {
  test::LoopPki f;
  LoopOptions opts;
  opts.handshake_timeout = std::chrono::milliseconds(200);
  const int lfd = test::listen_loopback();
  auto server = EventLoop::create(opts);
  ASSERT_TRUE(server->listen(lfd, f.server, [] { return std::make_unique<test::EchoHandler>(); }));
  LoopThread srv(std::move(*server));
  const int silent = test::connect_loopback(test::port_of(lfd), false);
  const int partial = test::connect_loopback(test::port_of(lfd), false);
  const std::uint8_t start[] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01};  // a record header and more
  ASSERT_EQ(::send(partial, start, sizeof start, 0), static_cast<ssize_t>(sizeof start));
  for (int fd : {silent, partial}) {
    pollfd p{fd, POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 20000), 1);
    std::uint8_t b;
    EXPECT_EQ(::recv(fd, &b, 1, 0), 0);  // end of stream, no alert
    ::close(fd);
  }
  ASSERT_TRUE(test::eventually([&] { return srv.stats().open == 0; }));
  EXPECT_EQ(srv.stats().closed[static_cast<int>(CloseReason::handshake_timeout)], 2u);
  srv.stop();
  ::close(lfd);
}

// An established connection without input is closed after idle_timeout;
// without one it stays.
TEST(EventLoopLimits, IdleTimeoutClosesQuietConnections) {
  test::LoopPki f;
  LoopOptions opts;
  opts.idle_timeout = std::chrono::milliseconds(200);
  const int lfd = test::listen_loopback();
  auto server = EventLoop::create(opts);
  ASSERT_TRUE(server->listen(lfd, f.server, [] { return std::make_unique<test::EchoHandler>(); }));
  LoopThread srv(std::move(*server));
  const int fd = test::connect_loopback(test::port_of(lfd), false);
  SocketStream client(fd, Connection::client(f.client, "localhost"));
  ASSERT_TRUE(client.handshake().ok());
  std::uint8_t buf[64];
  auto r = client.read(buf);  // blocks until the server gives up on us
  EXPECT_TRUE(!r.ok() || *r == 0);
  ASSERT_TRUE(test::eventually([&] { return srv.stats().open == 0; }));
  EXPECT_EQ(srv.stats().closed[static_cast<int>(CloseReason::idle_timeout)], 1u);
  EXPECT_EQ(srv.stats().handshakes, 1u);
  srv.stop();
  ::close(fd);
  ::close(lfd);
}

// With max_connections = 2 a third client waits in the backlog until one
// of the first two closes.
TEST(EventLoopLimits, MaxConnectionsHoldsFurtherClientsInTheBacklog) {
  test::LoopPki f;
  LoopOptions opts;
  opts.max_connections = 2;
  const int lfd = test::listen_loopback();
  auto server = EventLoop::create(opts);
  ASSERT_TRUE(server->listen(lfd, f.server, [] { return std::make_unique<test::EchoHandler>(); }));
  LoopThread srv(std::move(*server));
  const auto port = test::port_of(lfd);
  std::vector<std::unique_ptr<SocketStream>> first;
  std::vector<int> fds;
  for (int i = 0; i < 2; ++i) {
    fds.push_back(test::connect_loopback(port, false));
    first.push_back(
        std::make_unique<SocketStream>(fds.back(), Connection::client(f.client, "localhost")));
    ASSERT_TRUE(first.back()->handshake().ok());
  }
  // The third connects (the kernel completes TCP) but gets no handshake.
  const int third = test::connect_loopback(port, false);
  Connection c3 = Connection::client(f.client, "localhost");
  const auto hello = c3.pending_output();
  ASSERT_EQ(::send(third, hello.data(), hello.size(), 0), static_cast<ssize_t>(hello.size()));
  c3.consume_output(hello.size());
  pollfd p{third, POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 300), 0);  // nothing: not accepted
  EXPECT_EQ(srv.stats().accepted, 2u);
  ASSERT_TRUE(first[0]->close().ok());
  ::close(fds[0]);
  ASSERT_EQ(::poll(&p, 1, 20000), 1);  // now it is served
  EXPECT_EQ(srv.stats().accepted, 3u);
  srv.stop();
  ::close(third);
  ::close(fds[1]);
  ::close(lfd);
}

}  // namespace
}  // namespace tls13
