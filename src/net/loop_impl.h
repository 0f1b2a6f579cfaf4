// Internals of the epoll adapter (tls13/event_loop.h): the per-socket
// stream state and the loop that drives it. stream_io.cpp moves bytes
// between sockets and connections; epoll_loop.cpp waits, accepts and keeps
// time.
#pragma once

#if defined(__linux__)

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "net/intrusive_list.h"
#include "tls13/event_loop.h"

namespace tls13::net {

// What an epoll event's data.ptr points at.
struct Source {
  enum class Kind : std::uint8_t { stream, listener };
  explicit Source(Kind k) : kind(k) {}
  Kind kind;
};

struct TimerList;

struct StreamImpl final : Stream, Source {
  enum class State : std::uint8_t {
    connecting,   // client: non-blocking connect() in progress
    handshaking,  // TLS handshake under way
    open,         // application data both ways
    closing,      // close() called: close_notify queued, waiting for the peer
    dead,         // socket closed; freed at the end of the loop's round
  };

  StreamImpl(EventLoop::Impl& l, int f, Connection c, std::unique_ptr<StreamHandler> h, State s,
             bool server_side)
      : Source(Kind::stream),
        loop(l),
        conn(std::move(c)),
        handler(std::move(h)),
        fd(f),
        state(s),
        server(server_side) {}

  bool dead() const noexcept { return state == State::dead; }
  std::size_t queued() const noexcept { return conn.pending_output().size(); }

  EventLoop::Impl& loop;
  Connection conn;
  std::unique_ptr<StreamHandler> handler;
  Link<StreamImpl> timer_link, ready_link;
  TimerList* timer = nullptr;
  std::int64_t deadline = 0;  // ms on the loop's steady clock
  // Bytes added to the output queue since it was last empty, and decrypted
  // bytes added since readable() was last 0. Connection keeps consumed
  // bytes in its buffers until they are fully drained, so these (not the
  // unconsumed amounts) bound their memory.
  std::size_t out_growth = 0;
  std::size_t in_growth = 0;
  int fd;
  int err = 0;
  State state;
  bool server;
  bool can_read = false;   // edge-triggered: input may be waiting
  bool can_write = false;  // edge-triggered: the send buffer has room
  bool in_ready = false;
  bool want_writable = false;    // a write() was short
  bool peer_done = false;        // close_notify or end of stream seen
  bool shut_wr = false;          // FIN sent after our close_notify
  bool peer_close_told = false;  // on_peer_closed() called
};

inline StreamImpl& impl_of(Stream& s) noexcept {
  return static_cast<StreamImpl&>(s);
}
inline const StreamImpl& impl_of(const Stream& s) noexcept {
  return static_cast<const StreamImpl&>(s);
}

// Streams waiting for the same timeout, oldest first: every member got the
// same duration, so appending keeps the list sorted by deadline.
struct TimerList {
  std::int64_t duration_ms = 0;  // 0: this timeout is off
  CloseReason reason = CloseReason::aborted;
  IntrusiveList<StreamImpl, &StreamImpl::timer_link> list;
};

struct Listener final : Source {
  Listener(int f, std::shared_ptr<const ServerConfig> c, HandlerFactory m)
      : Source(Kind::listener), fd(f), config(std::move(c)), make_handler(std::move(m)) {}
  int fd;
  std::shared_ptr<const ServerConfig> config;
  HandlerFactory make_handler;
  bool armed = false;  // registered with epoll
};

// A counter written by the loop's thread only and read from any thread.
class Counter {
 public:
  void add(std::int64_t n = 1) noexcept {
    v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  void raise_to(std::uint64_t n) noexcept {
    if (n > v_.load(std::memory_order_relaxed)) v_.store(n, std::memory_order_relaxed);
  }
  std::uint64_t get() const noexcept { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> v_{0};
};

}  // namespace tls13::net

namespace tls13 {

struct EventLoop::Impl {
  explicit Impl(const LoopOptions& o);
  ~Impl();

  // --- epoll_loop.cpp ---
  Result<void> run_once(std::int64_t timeout_ms);
  void accept_from(net::Listener& l);
  void arm(net::Listener& l, bool on);
  net::StreamImpl& add_stream(int fd, Connection conn, std::unique_ptr<StreamHandler> handler,
                              net::StreamImpl::State state, bool server);
  void set_timer(net::StreamImpl& s, net::TimerList* t) noexcept;
  void expire_timers();
  std::int64_t wait_ms(std::int64_t limit) const noexcept;
  void finish(net::StreamImpl& s, CloseReason why);

  // --- stream_io.cpp ---
  void on_io(net::StreamImpl& s, std::uint32_t events);
  void drive(net::StreamImpl& s);
  void flush(net::StreamImpl& s);
  void pump_in(net::StreamImpl& s);
  void feed(net::StreamImpl& s, std::span<const std::uint8_t> data);
  void on_eof(net::StreamImpl& s);
  bool paused(const net::StreamImpl& s) const noexcept;
  void grew_out(net::StreamImpl& s, std::size_t before) noexcept;
  void reschedule(net::StreamImpl& s) noexcept;  // drive again this round if there is work
  void begin_close(net::StreamImpl& s);

  LoopOptions options;
  int epfd = -1;
  int wakefd = -1;  // eventfd: stop() from other threads
  std::atomic<bool> stop_requested{false};
  bool shutting_down = false;
  std::int64_t now = 0;  // ms, steady clock, updated once per round

  std::vector<std::unique_ptr<net::Listener>> listeners;
  std::size_t server_streams = 0;    // open accepted streams (max_connections)
  std::int64_t listen_retry_at = 0;  // after EMFILE: when to accept again (0: not waiting)

  std::vector<std::unique_ptr<net::StreamImpl>> by_fd;      // open streams, indexed by fd
  std::vector<std::unique_ptr<net::StreamImpl>> graveyard;  // closed this round
  net::IntrusiveList<net::StreamImpl, &net::StreamImpl::ready_link> ready;
  net::StreamImpl* current = nullptr;  // being driven: no need to queue it
  net::TimerList handshake_timers, idle_timers, close_timers;
  std::unique_ptr<std::uint8_t[]> rbuf;  // one receive buffer for every stream

  net::Counter accepted, connected, handshakes, open, peak_queued;
  net::Counter closed[8];
};

}  // namespace tls13

#endif  // __linux__
