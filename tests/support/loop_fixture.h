// Loopback plumbing for the event-loop tests: a listening socket on an
// ephemeral port, non-blocking connects, a server loop on its own thread,
// and echo handlers for both ends.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/loopback.h"
#include "tls13/event_loop.h"

namespace tls13::test {

// A socket listening on 127.0.0.1; port 0 picks a free one.
inline int listen_loopback(std::uint16_t port = 0, bool reuse_port = false) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (reuse_port) ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 1024) != 0) {
    ADD_FAILURE() << "listen: " << std::strerror(errno);
    ::close(fd);
    return -1;
  }
  return fd;
}

inline std::uint16_t port_of(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

// Starts a connect to 127.0.0.1:port; `nonblocking` leaves it in progress.
inline int connect_loopback(std::uint16_t port, bool nonblocking = true) {
  const int fd =
      ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 && errno != EINPROGRESS)
    ADD_FAILURE() << "connect: " << std::strerror(errno);
  return fd;
}

// Echoes whatever arrives, within the output bound.
struct EchoHandler : StreamHandler {
  void on_data(Stream& s) override {
    std::uint8_t buf[8192];
    while (s.readable() > 0 && s.write_room() > 0) {
      const std::size_t want = std::min(sizeof buf, s.write_room());
      const std::size_t n = s.read(std::span(buf, want));
      auto w = s.write(std::span(buf, n));
      ASSERT_TRUE(w.ok()) << w.error().describe();
      ASSERT_EQ(*w, n);
    }
  }
  void on_writable(Stream& s) override { on_data(s); }
};

// How a client stream ended.
struct ClientOutcome {
  bool handshake = false;
  bool done = false;
  CloseReason reason = CloseReason::aborted;
  std::optional<Error> error;
  std::string received;
};

// Sends `message` after the handshake (at once, or when `go` turns true),
// closes once it is echoed back.
struct EchoClient : StreamHandler {
  EchoClient(std::string m, ClientOutcome& o, std::function<bool()> go = {})
      : message(std::move(m)), out(o), ready(std::move(go)) {}
  void on_handshake(Stream& s) override {
    out.handshake = true;
    maybe_send(s);
  }
  void maybe_send(Stream& s) {
    if (sent || (ready && !ready())) return;
    sent = true;
    auto w =
        s.write(std::span(reinterpret_cast<const std::uint8_t*>(message.data()), message.size()));
    ASSERT_TRUE(w.ok()) << w.error().describe();
    ASSERT_EQ(*w, message.size());  // small messages fit the bound
  }
  void on_data(Stream& s) override {
    std::uint8_t buf[4096];
    while (s.readable() > 0) {
      const std::size_t n = s.read(buf);
      out.received.append(reinterpret_cast<char*>(buf), n);
    }
    if (out.received.size() >= message.size()) s.close();
  }
  void on_closed(Stream& s, CloseReason r) override {
    out.done = true;
    out.reason = r;
    out.error = s.connection().error();
  }
  std::string message;
  ClientOutcome& out;
  std::function<bool()> ready;
  bool sent = false;
};

// A server loop on its own thread; stop() joins it.
class LoopThread {
 public:
  explicit LoopThread(EventLoop loop) : loop_(std::move(loop)) {
    thread_ = std::thread([this] { result_ = loop_.run(); });
  }
  ~LoopThread() { stop(); }
  void stop() {
    if (!thread_.joinable()) return;
    loop_.stop();
    thread_.join();
    EXPECT_TRUE(result_.ok()) << result_.error().describe();
  }
  LoopStats stats() const { return loop_.stats(); }
  EventLoop& loop() { return loop_; }

 private:
  EventLoop loop_;
  Result<void> result_;
  std::thread thread_;
};

// Waits (bounded) until `cond` holds; true if it did. Not a timing check:
// the bound only keeps a broken build from hanging.
inline bool eventually(const std::function<bool()>& cond, int max_ms = 20000) {
  for (int waited = 0; waited < max_ms; waited += 5) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return cond();
}

struct LoopPki {
  Pki pki = make_pki();
  std::shared_ptr<ServerConfig> server = std::make_shared<ServerConfig>();
  std::shared_ptr<ClientConfig> client = std::make_shared<ClientConfig>();
  LoopPki() {
    server->certificates.push_back(server_cert(pki, crypto::KeyType::ec_p256));
    client->trust = pki.anchors;
  }
};

}  // namespace tls13::test
