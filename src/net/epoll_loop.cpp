// The epoll loop: waiting, accepting, registering sockets, timeouts and
// the end of streams.
#if defined(__linux__)

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>

#include "net/loop_impl.h"

namespace tls13 {

using net::StreamImpl;
using State = StreamImpl::State;

namespace {

constexpr int kEventsPerWait = 256;
constexpr int kAcceptsPerWake = 64;           // then the established streams get a turn
constexpr std::int64_t kAcceptRetryMs = 100;  // after running out of descriptors

std::int64_t steady_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

Error sys_error(const char* what) {
  return Error(Alert::internal_error, std::string(what) + ": " + std::strerror(errno));
}

bool set_nonblocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

// Every socket is registered once, edge-triggered, for both directions.
constexpr std::uint32_t kStreamEvents = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;

}  // namespace

EventLoop::Impl::Impl(const LoopOptions& o) : options(o) {
  handshake_timers.duration_ms = options.handshake_timeout.count();
  handshake_timers.reason = CloseReason::handshake_timeout;
  idle_timers.duration_ms = options.idle_timeout.count();
  idle_timers.reason = CloseReason::idle_timeout;
  close_timers.duration_ms = options.close_timeout.count();
  close_timers.reason = CloseReason::close_timeout;
  now = steady_ms();
}

EventLoop::Impl::~Impl() {
  shutting_down = true;  // on_closed() below may not add streams
  for (std::size_t i = 0; i < by_fd.size(); ++i)
    if (by_fd[i]) finish(*by_fd[i], CloseReason::aborted);
  graveyard.clear();
  for (auto& l : listeners) arm(*l, false);
  if (wakefd >= 0) ::close(wakefd);
  if (epfd >= 0) ::close(epfd);
}

void EventLoop::Impl::arm(net::Listener& l, bool on) {
  if (l.armed == on) return;
  if (on) {
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLEXCLUSIVE;  // level-triggered; one sharing loop wakes
    ev.data.ptr = static_cast<net::Source*>(&l);
    if (::epoll_ctl(epfd, EPOLL_CTL_ADD, l.fd, &ev) != 0) return;
  } else {
    ::epoll_ctl(epfd, EPOLL_CTL_DEL, l.fd, nullptr);
  }
  l.armed = on;
}

StreamImpl& EventLoop::Impl::add_stream(int fd, Connection conn,
                                        std::unique_ptr<StreamHandler> handler, State state,
                                        bool server) {
  const auto slot = static_cast<std::size_t>(fd);
  if (by_fd.size() <= slot) by_fd.resize(std::max(slot + 1, by_fd.size() * 2));
  by_fd[slot] =
      std::make_unique<StreamImpl>(*this, fd, std::move(conn), std::move(handler), state, server);
  StreamImpl& s = *by_fd[slot];
  open.add();
  if (server) {
    ++server_streams;
    accepted.add();
  } else {
    connected.add();
  }
  set_timer(s, &handshake_timers);
  return s;
}

void EventLoop::Impl::accept_from(net::Listener& l) {
  for (int i = 0; i < kAcceptsPerWake; ++i) {
    if (server_streams >= options.max_connections) {
      // The backlog holds further clients until a stream closes.
      for (auto& other : listeners) arm(*other, false);
      return;
    }
    const int fd = ::accept4(l.fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // The connection stays in the backlog and the listener stays
        // readable: pause rather than spin.
        for (auto& other : listeners) arm(*other, false);
        listen_retry_at = now + kAcceptRetryMs;
      }
      return;
    }
    auto handler = l.make_handler ? l.make_handler() : nullptr;
    if (!handler) {
      ::close(fd);
      continue;
    }
    const int one = 1;  // flights and small replies go out at once
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    epoll_event ev{};
    ev.events = kStreamEvents;
    StreamImpl& s =
        add_stream(fd, Connection::server(l.config), std::move(handler), State::handshaking, true);
    ev.data.ptr = static_cast<net::Source*>(&s);
    if (::epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
      s.err = errno;
      finish(s, CloseReason::io_error);
      continue;
    }
    // The ClientHello has usually arrived by now: read without waiting for
    // the edge (EAGAIN otherwise, and the edge comes later).
    s.can_read = s.can_write = true;
    drive(s);
  }
}

void EventLoop::Impl::set_timer(StreamImpl& s, net::TimerList* t) noexcept {
  if (s.timer) s.timer->list.erase(s);
  s.timer = nullptr;
  if (!t || t->duration_ms <= 0) return;
  s.timer = t;
  s.deadline = now + t->duration_ms;
  t->list.push_back(s);
}

void EventLoop::Impl::expire_timers() {
  for (auto* t : {&handshake_timers, &idle_timers, &close_timers}) {
    while (StreamImpl* s = t->list.front()) {
      if (s->deadline > now) break;
      finish(*s, t->reason);
    }
  }
}

std::int64_t EventLoop::Impl::wait_ms(std::int64_t limit) const noexcept {
  if (!ready.empty()) return 0;
  std::int64_t wait = limit;
  for (const auto* t : {&handshake_timers, &idle_timers, &close_timers})
    if (const StreamImpl* s = t->list.front()) wait = std::min(wait, s->deadline - now);
  if (listen_retry_at) wait = std::min(wait, listen_retry_at - now);
  return std::max<std::int64_t>(wait, 0);
}

void EventLoop::Impl::finish(StreamImpl& s, CloseReason why) {
  if (s.dead()) return;
  s.state = State::dead;
  set_timer(s, nullptr);
  if (s.in_ready) {
    ready.erase(s);
    s.in_ready = false;
  }
  ::close(s.fd);  // also leaves the epoll set
  open.add(-1);
  closed[static_cast<int>(why)].add();
  if (s.server && --server_streams < options.max_connections && listen_retry_at == 0)
    for (auto& l : listeners) arm(*l, true);
  // Freed at the end of the round: pending epoll events may still name it.
  graveyard.push_back(std::move(by_fd[static_cast<std::size_t>(s.fd)]));
  s.handler->on_closed(s, why);
}

Result<void> EventLoop::Impl::run_once(std::int64_t timeout_ms) {
  epoll_event events[kEventsPerWait];
  const int wait = static_cast<int>(std::min<std::int64_t>(wait_ms(timeout_ms), 1 << 30));
  const int n = ::epoll_wait(epfd, events, kEventsPerWait, wait);
  if (n < 0 && errno != EINTR) return sys_error("epoll_wait");
  now = steady_ms();
  for (int i = 0; i < n; ++i) {
    auto* src = static_cast<net::Source*>(events[i].data.ptr);
    if (!src) {
      std::uint64_t v;
      while (::read(wakefd, &v, sizeof v) > 0) {
      }
    } else if (src->kind == net::Source::Kind::listener) {
      accept_from(static_cast<net::Listener&>(*src));
    } else {
      on_io(static_cast<StreamImpl&>(*src), events[i].events);
    }
  }
  // Streams that stopped short of EAGAIN, or were written to: one turn
  // each; those rescheduled meanwhile wait for the next round.
  for (std::size_t todo = ready.size(); todo > 0; --todo) {
    StreamImpl* s = ready.pop_front();
    if (!s) break;
    s->in_ready = false;
    drive(*s);
  }
  expire_timers();
  if (listen_retry_at && now >= listen_retry_at) {
    listen_retry_at = 0;
    if (server_streams < options.max_connections)
      for (auto& l : listeners) arm(*l, true);
  }
  graveyard.clear();
  return ok();
}

// --------------------------------------------------------- public API --

EventLoop::EventLoop(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EventLoop::EventLoop(EventLoop&&) noexcept = default;
EventLoop& EventLoop::operator=(EventLoop&&) noexcept = default;
EventLoop::~EventLoop() = default;

Result<EventLoop> EventLoop::create(LoopOptions options) {
  auto impl = std::make_unique<Impl>(options);
  impl->epfd = ::epoll_create1(EPOLL_CLOEXEC);
  if (impl->epfd < 0) return sys_error("epoll_create1");
  impl->wakefd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (impl->wakefd < 0) return sys_error("eventfd");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;
  if (::epoll_ctl(impl->epfd, EPOLL_CTL_ADD, impl->wakefd, &ev) != 0) return sys_error("epoll_ctl");
  impl->rbuf = std::make_unique<std::uint8_t[]>(32 * 1024);
  return EventLoop(std::move(impl));
}

Result<void> EventLoop::listen(int fd, std::shared_ptr<const ServerConfig> config,
                               HandlerFactory make_handler) {
  if (!config || !make_handler)
    return Error(Alert::internal_error, "listen: a config and a handler factory are needed");
  if (!set_nonblocking(fd)) return sys_error("listen: fcntl");
  auto l = std::make_unique<net::Listener>(fd, std::move(config), std::move(make_handler));
  auto& ref = *l;
  impl_->listeners.push_back(std::move(l));
  impl_->arm(ref, true);
  if (!ref.armed) {
    impl_->listeners.pop_back();
    return sys_error("listen: epoll_ctl");
  }
  return ok();
}

Result<Stream*> EventLoop::connect(int fd, Connection conn,
                                   std::unique_ptr<StreamHandler> handler) {
  if (!handler || impl_->shutting_down) {
    ::close(fd);
    return Error(Alert::internal_error, "connect: no handler, or the loop is being destroyed");
  }
  if (!set_nonblocking(fd)) {
    auto e = sys_error("connect: fcntl");
    ::close(fd);
    return e;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  StreamImpl& s =
      impl_->add_stream(fd, std::move(conn), std::move(handler), State::connecting, false);
  epoll_event ev{};
  ev.events = kStreamEvents;
  ev.data.ptr = static_cast<net::Source*>(&s);
  if (::epoll_ctl(impl_->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
    auto e = sys_error("connect: epoll_ctl");
    // Never reported: the caller learns of it here.
    s.handler = std::make_unique<StreamHandler>();
    impl_->finish(s, CloseReason::io_error);
    return e;
  }
  return static_cast<Stream*>(&s);
}

Result<void> EventLoop::run() {
  while (!impl_->stop_requested.load(std::memory_order_acquire)) TLS13_TRY(impl_->run_once(60'000));
  impl_->stop_requested.store(false, std::memory_order_release);
  return ok();
}

Result<void> EventLoop::run_once(std::chrono::milliseconds timeout) {
  return impl_->run_once(timeout.count());
}

void EventLoop::stop() noexcept {
  impl_->stop_requested.store(true, std::memory_order_release);
  const std::uint64_t one = 1;
  (void)!::write(impl_->wakefd, &one, sizeof one);
}

LoopStats EventLoop::stats() const noexcept {
  LoopStats st;
  st.accepted = impl_->accepted.get();
  st.connected = impl_->connected.get();
  st.handshakes = impl_->handshakes.get();
  st.open = impl_->open.get();
  for (int i = 0; i < 8; ++i) st.closed[i] = impl_->closed[i].get();
  st.peak_queued = impl_->peak_queued.get();
  return st;
}

}  // namespace tls13

#endif  // __linux__
