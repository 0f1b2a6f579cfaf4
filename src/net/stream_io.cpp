// Moving bytes between a non-blocking socket and its Connection: reads fed
// to the connection, its output flushed, callbacks, backpressure and the
// close_notify exchange. The Stream methods handlers call are here too.
#if defined(__linux__)

#include <sys/epoll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "net/loop_impl.h"

namespace tls13 {

using net::StreamImpl;
using State = StreamImpl::State;

namespace {
// One receive buffer per loop; per stream a turn reads at most this many
// times before the other ready streams get theirs.
constexpr std::size_t kReadSize = 32 * 1024;
constexpr int kReadsPerTurn = 4;
// on_writable() rounds per turn (each may queue more).
constexpr int kFlushRounds = 8;
}  // namespace

std::string_view to_string(CloseReason r) noexcept {
  switch (r) {
    case CloseReason::closed:
      return "closed";
    case CloseReason::peer_eof:
      return "peer_eof";
    case CloseReason::tls_error:
      return "tls_error";
    case CloseReason::io_error:
      return "io_error";
    case CloseReason::handshake_timeout:
      return "handshake_timeout";
    case CloseReason::idle_timeout:
      return "idle_timeout";
    case CloseReason::close_timeout:
      return "close_timeout";
    case CloseReason::aborted:
      return "aborted";
  }
  return "unknown";
}

// ----------------------------------------------------------- Stream API --

Connection& Stream::connection() noexcept {
  return net::impl_of(*this).conn;
}

int Stream::fd() const noexcept {
  return net::impl_of(*this).fd;
}

int Stream::io_errno() const noexcept {
  return net::impl_of(*this).err;
}

std::size_t Stream::readable() const noexcept {
  return net::impl_of(*this).conn.readable();
}

std::size_t Stream::read(std::span<std::uint8_t> out) noexcept {
  auto& s = net::impl_of(*this);
  const std::size_t n = s.conn.read(out);
  if (s.conn.readable() == 0 && s.in_growth > 0) {
    const bool was_paused = s.loop.paused(s);
    s.in_growth = 0;
    if (was_paused) s.loop.reschedule(s);
  }
  return n;
}

std::size_t Stream::queued() const noexcept {
  return net::impl_of(*this).queued();
}

std::size_t Stream::write_room() const noexcept {
  const auto& s = net::impl_of(*this);
  const std::size_t bound = s.loop.options.max_queued;
  if (s.state != State::open || s.out_growth >= bound) return 0;
  return bound - s.out_growth;
}

Result<std::size_t> Stream::write(std::span<const std::uint8_t> data) {
  auto& s = net::impl_of(*this);
  if (s.state != State::open)
    return Error(Alert::internal_error,
                 s.state == State::connecting || s.state == State::handshaking
                     ? "write before the handshake completed"
                     : "write after close");
  const std::size_t n = std::min(write_room(), data.size());
  if (n < data.size()) s.want_writable = true;
  if (n == 0) return std::size_t{0};
  const std::size_t before = s.queued();
  auto r = s.conn.write(data.first(n));
  s.loop.grew_out(s, before);
  s.loop.reschedule(s);  // flush (or notice the failure) soon
  return r;
}

void Stream::close() noexcept {
  auto& s = net::impl_of(*this);
  s.loop.begin_close(s);
}

void Stream::abort() noexcept {
  auto& s = net::impl_of(*this);
  s.loop.finish(s, CloseReason::aborted);
}

// ------------------------------------------------------------- the loop --

bool EventLoop::Impl::paused(const StreamImpl& s) const noexcept {
  // While closing, unread input is dropped (feed) so close_notify still
  // gets through.
  return s.out_growth >= options.max_queued ||
         (s.state != State::closing && s.in_growth >= options.max_unread);
}

void EventLoop::Impl::grew_out(StreamImpl& s, std::size_t before) noexcept {
  const std::size_t after = s.queued();
  if (after > before) s.out_growth += after - before;
  peak_queued.raise_to(s.out_growth);
}

void EventLoop::Impl::reschedule(StreamImpl& s) noexcept {
  if (s.dead() || s.in_ready || current == &s) return;
  s.in_ready = true;
  ready.push_back(s);
}

void EventLoop::Impl::begin_close(StreamImpl& s) {
  if (s.state == State::closing || s.dead()) return;
  if (s.state == State::connecting) {  // nothing was said yet
    finish(s, CloseReason::aborted);
    return;
  }
  const std::size_t before = s.queued();
  s.conn.close();  // queues close_notify (nothing if the connection failed)
  grew_out(s, before);
  s.state = State::closing;
  set_timer(s, &close_timers);
  reschedule(s);
}

void EventLoop::Impl::on_io(StreamImpl& s, std::uint32_t events) {
  if (events & (EPOLLERR | EPOLLHUP)) s.can_read = s.can_write = true;
  if (events & (EPOLLIN | EPOLLRDHUP)) s.can_read = true;
  if (events & EPOLLOUT) s.can_write = true;
  drive(s);
}

void EventLoop::Impl::drive(StreamImpl& s) {
  if (s.dead()) return;
  if (s.state == State::connecting) {
    if (!s.can_write) return;
    int e = 0;
    socklen_t len = sizeof e;
    if (::getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &e, &len) != 0) e = errno;
    if (e != 0) {
      s.err = e;
      finish(s, CloseReason::io_error);
      return;
    }
    s.state = State::handshaking;
  }
  current = &s;
  flush(s);
  if (!s.dead()) pump_in(s);
  if (!s.dead()) flush(s);
  // A write() may have failed the connection: its alert went out above.
  if (!s.dead() && s.conn.failed()) finish(s, CloseReason::tls_error);
  current = nullptr;
  // Input left after a full turn: come back after the other streams.
  if (!s.dead() && s.can_read && !paused(s)) reschedule(s);
}

void EventLoop::Impl::flush(StreamImpl& s) {
  for (int round = 0; round < kFlushRounds && !s.dead(); ++round) {
    const auto out = s.conn.pending_output();
    if (!out.empty()) {
      if (!s.can_write) return;
      const ssize_t n = ::send(s.fd, out.data(), out.size(), MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          s.can_write = false;
          return;
        }
        s.err = errno;
        finish(s, CloseReason::io_error);
        return;
      }
      s.conn.consume_output(static_cast<std::size_t>(n));
      // A short send means the send buffer is full: EPOLLOUT will say
      // when it has room (saves the EAGAIN call).
      if (static_cast<std::size_t>(n) < out.size()) {
        s.can_write = false;
        return;
      }
    }
    // Drained: the queue's memory is back to its capacity.
    const bool was_paused = paused(s);
    const bool was_full = s.out_growth >= options.max_queued;  // write_room() was 0
    s.out_growth = 0;
    if (s.state == State::closing) {
      if (!s.shut_wr) {
        ::shutdown(s.fd, SHUT_WR);  // after close_notify, the FIN
        s.shut_wr = true;
      }
      if (s.peer_done) finish(s, CloseReason::closed);
      return;
    }
    if ((s.want_writable || was_full) && s.state == State::open) {
      s.want_writable = false;
      s.handler->on_writable(s);
      continue;  // it may have queued more
    }
    if (was_paused) reschedule(s);
    return;
  }
  if (!s.dead()) reschedule(s);  // rounds used up: more next turn
}

void EventLoop::Impl::pump_in(StreamImpl& s) {
  for (int i = 0; i < kReadsPerTurn; ++i) {
    if (s.dead() || !s.can_read || paused(s)) return;
    const ssize_t n = ::recv(s.fd, rbuf.get(), kReadSize, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        s.can_read = false;
        return;
      }
      s.err = errno;
      finish(s, CloseReason::io_error);
      return;
    }
    if (n == 0) {
      on_eof(s);
      return;
    }
    // TCP returns all it has up to the size asked: a short read drained
    // the socket, and new input raises a new edge.
    if (static_cast<std::size_t>(n) < kReadSize) s.can_read = false;
    if (s.timer == &idle_timers) set_timer(s, &idle_timers);
    feed(s, std::span<const std::uint8_t>(rbuf.get(), static_cast<std::size_t>(n)));
    if (!s.dead()) flush(s);
  }
}

void EventLoop::Impl::feed(StreamImpl& s, std::span<const std::uint8_t> data) {
  const std::size_t out_before = s.queued();
  const std::size_t in_before = s.conn.readable();
  auto r = s.conn.feed(data);
  grew_out(s, out_before);
  if (s.conn.readable() > in_before) s.in_growth += s.conn.readable() - in_before;
  while (auto e = s.conn.next_event()) {
    switch (e->kind) {
      case EventKind::handshake_complete:
        if (s.state == State::handshaking) {
          s.state = State::open;
          set_timer(s, &idle_timers);
          handshakes.add();
        }
        s.handler->on_handshake(s);
        break;
      case EventKind::peer_closed:
        s.peer_done = true;
        break;
      case EventKind::alert_received:
      case EventKind::post_handshake_auth:
        s.handler->on_event(s, *e);
        break;
      case EventKind::failed:
        break;
    }
    if (s.dead()) return;
  }
  if (!r) {
    // The alert is queued: send what the socket takes, then close.
    flush(s);
    finish(s, CloseReason::tls_error);
    return;
  }
  if (s.conn.readable() > 0) {
    s.handler->on_data(s);
    if (s.dead()) return;
    if (s.state == State::closing && s.conn.readable() > 0) {
      std::uint8_t sink[512];  // closing: input the handler left is dropped
      while (s.conn.readable() > 0) (void)s.conn.read(sink);
      s.in_growth = 0;
    }
  }
  if (s.peer_done && !s.peer_close_told) {
    s.peer_close_told = true;
    if (s.state == State::closing) {
      flush(s);
      if (!s.dead() && s.queued() == 0) finish(s, CloseReason::closed);
      return;
    }
    s.handler->on_peer_closed(s);
  }
}

void EventLoop::Impl::on_eof(StreamImpl& s) {
  s.can_read = false;
  const bool had_close_notify = s.peer_done;
  s.peer_done = true;
  if (s.state == State::closing) {
    flush(s);  // our close_notify, if the socket still takes it
    if (!s.dead()) finish(s, CloseReason::closed);
  } else if (had_close_notify) {
    // The handler kept its side open after the peer's close_notify; the
    // peer is gone now.
    finish(s, CloseReason::closed);
  } else {
    finish(s, CloseReason::peer_eof);
  }
}

}  // namespace tls13

#endif  // __linux__
