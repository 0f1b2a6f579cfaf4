// EventLoopServer: N event loops on N threads behind shared listening
// sockets. The loops share nothing but the ServerConfig (whose ticket keys
// and replay store are thread-safe) and the handler factory.
#if defined(__linux__)

#include <mutex>
#include <optional>
#include <thread>

#include "tls13/event_loop.h"

namespace tls13 {

struct EventLoopServer::State {
  std::vector<EventLoop> loops;
  std::mutex mu;
  std::optional<Error> first_error;
};

EventLoopServer::EventLoopServer(std::unique_ptr<State> state) : state_(std::move(state)) {}
EventLoopServer::EventLoopServer(EventLoopServer&&) noexcept = default;
EventLoopServer& EventLoopServer::operator=(EventLoopServer&&) noexcept = default;
EventLoopServer::~EventLoopServer() = default;

Result<EventLoopServer> EventLoopServer::create(std::shared_ptr<const ServerConfig> config,
                                                HandlerFactory make_handler,
                                                std::vector<int> listen_fds, unsigned threads,
                                                LoopOptions options) {
  if (threads == 0 || listen_fds.empty())
    return Error(Alert::internal_error, "EventLoopServer: needs a thread and a listening socket");
  auto state = std::make_unique<State>();
  // One socket per loop (SO_REUSEPORT: the kernel spreads connections);
  // otherwise each loop serves them all (EPOLLEXCLUSIVE wakes one).
  const bool one_each = listen_fds.size() == threads;
  for (unsigned i = 0; i < threads; ++i) {
    auto loop = EventLoop::create(options);
    if (!loop) return std::move(loop).error();
    for (std::size_t j = 0; j < listen_fds.size(); ++j) {
      if (one_each && j != i) continue;
      TLS13_TRY(loop->listen(listen_fds[j], config, make_handler));
    }
    state->loops.push_back(std::move(*loop));
  }
  return EventLoopServer(std::move(state));
}

Result<void> EventLoopServer::run() {
  auto run_one = [this](EventLoop& loop) {
    auto r = loop.run();
    if (r) return;
    {
      std::lock_guard<std::mutex> lock(state_->mu);
      if (!state_->first_error) state_->first_error = r.error();
    }
    stop();
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < state_->loops.size(); ++i)
    threads.emplace_back(run_one, std::ref(state_->loops[i]));
  run_one(state_->loops[0]);
  for (auto& t : threads) t.join();
  std::lock_guard<std::mutex> lock(state_->mu);
  if (state_->first_error) return *std::exchange(state_->first_error, std::nullopt);
  return ok();
}

void EventLoopServer::stop() noexcept {
  for (auto& loop : state_->loops) loop.stop();
}

LoopStats EventLoopServer::stats() const noexcept {
  LoopStats sum;
  for (const auto& loop : state_->loops) {
    const LoopStats s = loop.stats();
    sum.accepted += s.accepted;
    sum.connected += s.connected;
    sum.handshakes += s.handshakes;
    sum.open += s.open;
    for (int i = 0; i < 8; ++i) sum.closed[i] += s.closed[i];
    sum.peak_queued = std::max(sum.peak_queued, s.peak_queued);
  }
  return sum;
}

}  // namespace tls13

#endif  // __linux__
