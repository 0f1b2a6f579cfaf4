// `tls13 server` on event loops: every connection at once in one thread
// per --threads, with the blocking server's behaviour per connection (echo,
// --www page, early data, post-handshake authentication, exporter) and
// its log lines.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/exporter.h"
#include "cli/fd_limit.h"
#include "cli/net.h"
#include "cli/server_common.h"
#include "tls13/event_loop.h"

namespace tls13::cli {

namespace {

constexpr std::size_t kMaxRequest = 64 * 1024;  // --www: a request header larger is refused

struct Shared {
  const ServerOptions& o;
  std::atomic<long> ended{0};
  EventLoopServer* server = nullptr;
};

class ServeHandler final : public StreamHandler {
 public:
  explicit ServeHandler(Shared& sh) : sh_(sh) {}

  void on_handshake(Stream& s) override {
    done_ = true;
    Connection& c = s.connection();
    log_handshake(c.info());
    // 0-RTT data arrived before the handshake completed; it may be a replay.
    std::vector<std::uint8_t> early(c.early_data_readable());
    early.resize(c.read_early_data(early));
    if (!early.empty())
      std::fprintf(stderr, "tls13 server: early data (%zu bytes, may be replayed): %s\n",
                   early.size(), printable(early).c_str());
    if (sh_.o.post_handshake_auth) {
      // §4.6.2: only a client that offered post_handshake_auth can be asked.
      if (auto r = c.request_client_auth(); !r)
        std::fprintf(stderr, "tls13 server: post-handshake authentication not requested: %s\n",
                     r.error().describe().c_str());
    }
    if (!sh_.o.export_spec.empty()) {
      std::string err;
      auto km = exporter_hex(c, sh_.o.export_spec, err);
      std::fprintf(stderr, "tls13 server: exporter: %s\n", km ? km->c_str() : err.c_str());
    }
    if (sh_.o.www) {
      request_.assign(early.begin(), early.end());  // a request may come as 0-RTT
      answer(s);
    } else if (sh_.o.echo) {
      backlog_ = std::move(early);
      echo(s);
    } else {
      s.close();
    }
  }

  void on_data(Stream& s) override {
    if (sh_.o.echo) return echo(s);
    std::uint8_t buf[4096];
    while (s.readable() > 0) {
      const std::size_t n = s.read(buf);
      if (sh_.o.www && !answered_) request_.append(reinterpret_cast<char*>(buf), n);
    }
    if (sh_.o.www) answer(s);
  }

  void on_writable(Stream& s) override {
    if (sh_.o.echo) echo(s);
  }

  void on_event(Stream& s, const Event& e) override {
    if (e.kind == EventKind::post_handshake_auth) log_post_handshake_auth(s.connection().info());
  }

  void on_closed(Stream& s, CloseReason why) override {
    const auto& err = s.connection().error();
    if (!done_) {
      std::fprintf(stderr, "tls13 server: handshake failed: %s\n",
                   err ? err->describe().c_str()
                   : why == CloseReason::peer_eof
                       ? "the peer closed the connection during the handshake"
                       : std::string(to_string(why)).c_str());
    } else if (err && why == CloseReason::tls_error) {
      std::fprintf(stderr, "tls13 server: %s\n", err->describe().c_str());
    }
    const long n = sh_.ended.fetch_add(1) + 1;
    if (sh_.o.count > 0 && n >= sh_.o.count) sh_.server->stop();
  }

 private:
  // Echo within the output bound; what does not fit waits for on_writable.
  void echo(Stream& s) {
    if (!backlog_.empty()) {
      auto w = s.write(backlog_);
      if (!w) return;
      backlog_.erase(backlog_.begin(), backlog_.begin() + static_cast<std::ptrdiff_t>(*w));
      if (!backlog_.empty()) return;
    }
    std::uint8_t buf[16384];
    while (s.readable() > 0 && s.write_room() > 0) {
      const std::size_t n = s.read(std::span(buf, std::min(sizeof buf, s.write_room())));
      if (!s.write(std::span(buf, n))) return;
    }
  }

  void answer(Stream& s) {
    if (answered_) return;
    if (request_.size() > kMaxRequest) return s.abort();
    if (request_.find("\r\n\r\n") == std::string::npos) return;
    answered_ = true;
    request_.clear();
    const std::string resp = page(s.connection().info());
    (void)s.write(std::span(reinterpret_cast<const std::uint8_t*>(resp.data()), resp.size()));
    s.close();
  }

  Shared& sh_;
  bool done_ = false;
  bool answered_ = false;
  std::string request_;
  std::vector<std::uint8_t> backlog_;
};

std::chrono::milliseconds ms(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

}  // namespace

int run_loop_server(std::shared_ptr<const ServerConfig> cfg, const ServerOptions& o) {
  raise_fd_limit();
  // One SO_REUSEPORT socket per loop: the kernel spreads connections.
  std::vector<int> fds;
  std::string err;
  for (unsigned i = 0; i < o.threads; ++i) {
    const int fd = listen_on(o.host, o.port, err, 4096, o.threads > 1);
    if (fd < 0) {
      std::fprintf(stderr, "tls13 server: %s\n", err.c_str());
      for (int f : fds) ::close(f);
      return 1;
    }
    fds.push_back(fd);
  }
  LoopOptions lo;
  lo.max_connections = static_cast<std::size_t>(o.max_connections);
  lo.handshake_timeout = ms(o.handshake_timeout);
  lo.idle_timeout = ms(o.idle_timeout);
  Shared shared{o};
  const int rc = [&] {
    auto server = EventLoopServer::create(
        std::move(cfg), [&shared] { return std::make_unique<ServeHandler>(shared); }, fds,
        o.threads, lo);
    if (!server) {
      std::fprintf(stderr, "tls13 server: %s\n", server.error().describe().c_str());
      return 1;
    }
    shared.server = &*server;
    std::printf("listening on %s:%d\n", o.host.c_str(), o.port);
    std::fflush(stdout);
    auto r = server->run();
    if (!r) std::fprintf(stderr, "tls13 server: %s\n", r.error().describe().c_str());
    return r ? 0 : 1;
  }();  // the loops are gone before their sockets close
  for (int f : fds) ::close(f);
  return rc;
}

}  // namespace tls13::cli
