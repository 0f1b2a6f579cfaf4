// An event-loop adapter (Linux, epoll): one thread drives thousands of TLS
// connections on non-blocking sockets over the sans-I/O Connection.
//
//   struct Echo : tls13::StreamHandler {
//     void on_data(tls13::Stream& s) override {
//       std::uint8_t buf[4096];
//       while (s.readable() && s.write_room() > 0) {
//         const auto n = s.read(std::span(buf).first(std::min(sizeof buf, s.write_room())));
//         (void)s.write(std::span(buf, n));
//       }
//     }
//     void on_writable(tls13::Stream& s) override { on_data(s); }
//   };
//   auto loop = tls13::EventLoop::create();
//   (void)loop->listen(listen_fd, config, [] { return std::make_unique<Echo>(); });
//   (void)loop->run();  // until loop->stop()
//
// Sockets are edge-triggered: each is registered once (in, out, peer hang
// up) and never modified, so a connection costs one epoll_ctl for its whole
// life. The loop remembers which sockets may still hold input (it stops
// reading before EAGAIN to bound memory or to be fair) and comes back to
// them itself. Listening sockets are level-triggered with EPOLLEXCLUSIVE so
// that several loops can share one.
//
// A Stream and its handler belong to the loop's thread: call Stream methods
// only from the handler's callbacks (or elsewhere on that thread).
#pragma once

#if defined(__linux__)

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "tls13/config.h"
#include "tls13/connection.h"
#include "tls13/result.h"

namespace tls13 {

// Why a stream ended (StreamHandler::on_closed).
enum class CloseReason : std::uint8_t {
  closed,             // close_notify exchanged, or ours sent and the peer's socket closed
  peer_eof,           // the peer closed its socket without close_notify (possible truncation)
  tls_error,          // connection().error() names the alert, sent or received
  io_error,           // the socket failed: Stream::io_errno()
  handshake_timeout,  // LoopOptions::handshake_timeout passed
  idle_timeout,       // LoopOptions::idle_timeout passed without input
  close_timeout,      // our close_notify went out; the peer did not finish in time
  aborted,            // Stream::abort(), or the loop was destroyed with the stream open
};
std::string_view to_string(CloseReason r) noexcept;

struct LoopOptions {
  // Bytes a stream may add to its output queue before the queue has
  // drained to the socket. write() takes no more past it and the stream
  // stops reading its socket meanwhile, so a peer that does not read costs
  // at most this much (plus one record's overhead) however much it sends.
  std::size_t max_queued = 64 * 1024;
  // Decrypted bytes the handler may leave unread before the stream stops
  // reading its socket.
  std::size_t max_unread = 64 * 1024;
  // From accept (or connect) to a complete handshake; then the socket is
  // closed. Keeps half-open handshakes from holding memory.
  std::chrono::milliseconds handshake_timeout{10'000};
  // Closes an established stream after this long without input; 0: never.
  std::chrono::milliseconds idle_timeout{0};
  // After our close_notify: how long to wait for the peer's.
  std::chrono::milliseconds close_timeout{5'000};
  // Accepted streams open at once per loop; further clients wait in the
  // listen backlog until one closes.
  std::size_t max_connections = 100'000;
};

// Counters of one loop (or summed over an EventLoopServer's loops).
struct LoopStats {
  std::uint64_t accepted = 0;    // server streams
  std::uint64_t connected = 0;   // client streams added with connect()
  std::uint64_t handshakes = 0;  // completed
  std::uint64_t open = 0;        // streams open now
  std::uint64_t closed[8] = {};  // by CloseReason
  // The most bytes any stream added to its output queue between drains:
  // the queue's memory high-water mark, bounded by max_queued plus one
  // write's record overhead.
  std::uint64_t peak_queued = 0;
};

// One TLS connection on a non-blocking socket, owned by an EventLoop. The
// loop closes the socket; the Stream lives until on_closed() returns.
class Stream {
 public:
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  Connection& connection() noexcept;
  int fd() const noexcept;

  // Decrypted application data: copies up to out.size() bytes.
  std::size_t read(std::span<std::uint8_t> out) noexcept;
  std::size_t readable() const noexcept;

  // Seals as much of `data` as the output bound allows (write_room()) and
  // queues it; it goes out when the callback returns. Returns how much was
  // taken; once write_room() is 0 on_writable() follows when the queue has
  // drained. Needs a complete handshake and a stream not closing.
  Result<std::size_t> write(std::span<const std::uint8_t> data);
  std::size_t write_room() const noexcept;
  std::size_t queued() const noexcept;  // bytes waiting for the socket

  // Sends close_notify after what is queued, then waits (close_timeout)
  // for the peer's close_notify or end of stream. Input still arrives
  // through on_data() meanwhile.
  void close() noexcept;
  // Closes the socket now, without close_notify (on_closed: aborted).
  void abort() noexcept;

  int io_errno() const noexcept;  // the socket error behind CloseReason::io_error

 protected:
  Stream() = default;
  ~Stream() = default;
};

// Callbacks of one stream; the loop owns it and destroys it after
// on_closed(). Each callback may use the stream freely (read, write,
// close).
class StreamHandler {
 public:
  virtual ~StreamHandler() = default;
  // The handshake completed; write() works from now on. A server finds
  // accepted 0-RTT data in connection().read_early_data().
  virtual void on_handshake(Stream&) {}
  // readable() > 0.
  virtual void on_data(Stream&) {}
  // write_room() reached 0 (or a write() was short) and the queue has
  // drained since: write again, e.g. the input left unread meanwhile.
  virtual void on_writable(Stream&) {}
  // A non-fatal alert or a post-handshake authentication (Event::kind).
  virtual void on_event(Stream&, const Event&) {}
  // The peer sent close_notify (after all its data was delivered); by
  // default we answer with ours and the stream ends.
  virtual void on_peer_closed(Stream& s) { s.close(); }
  // The last call: the socket is closed.
  virtual void on_closed(Stream&, CloseReason) {}
};

// Makes the handler of each accepted stream; nullptr refuses the
// connection. An EventLoopServer calls it from each of its threads.
using HandlerFactory = std::function<std::unique_ptr<StreamHandler>()>;

// One epoll instance driven by one thread. Move-only.
class EventLoop {
 public:
  static Result<EventLoop> create(LoopOptions options = {});
  EventLoop(EventLoop&&) noexcept;
  EventLoop& operator=(EventLoop&&) noexcept;
  // Aborts the streams still open (their on_closed() runs: aborted).
  ~EventLoop();

  // Serves a listening socket (made non-blocking; not owned, not closed):
  // each accepted connection becomes a server stream under `config` with a
  // handler from `make_handler`. Several loops may serve one socket.
  Result<void> listen(int fd, std::shared_ptr<const ServerConfig> config,
                      HandlerFactory make_handler);
  // Drives a client connection on `fd`, a stream socket that is connected
  // or connecting (non-blocking connect() in progress); the loop owns it
  // from now on. The stream stays valid until its on_closed() returns.
  Result<Stream*> connect(int fd, Connection conn, std::unique_ptr<StreamHandler> handler);

  // Runs until stop().
  Result<void> run();
  // One round: waits up to `timeout` for I/O, then handles it and the
  // timeouts that are due.
  Result<void> run_once(std::chrono::milliseconds timeout);
  // Makes run() return soon; callable from any thread.
  void stop() noexcept;

  LoopStats stats() const noexcept;  // callable from any thread

  struct Impl;  // internal

 private:
  explicit EventLoop(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// `threads` event loops on as many threads behind the same listening
// sockets. With one socket per thread (e.g. SO_REUSEPORT sockets, which the
// kernel balances by connection hash) loop i serves socket i; otherwise
// every loop serves every socket and one loop wakes per connection.
class EventLoopServer {
 public:
  static Result<EventLoopServer> create(std::shared_ptr<const ServerConfig> config,
                                        HandlerFactory make_handler, std::vector<int> listen_fds,
                                        unsigned threads = 1, LoopOptions options = {});
  EventLoopServer(EventLoopServer&&) noexcept;
  EventLoopServer& operator=(EventLoopServer&&) noexcept;
  ~EventLoopServer();

  // Runs the loops (the first on the calling thread) until stop(); the
  // first loop error stops them all and is returned.
  Result<void> run();
  void stop() noexcept;              // from any thread, a handler included
  LoopStats stats() const noexcept;  // summed over the loops

 private:
  struct State;
  explicit EventLoopServer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace tls13

#endif  // __linux__
