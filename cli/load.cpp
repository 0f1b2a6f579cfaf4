// `tls13 load`: configuration, the generator threads, and the samples
// around the run.
#include <netdb.h>

#include <cstdio>
#include <cstring>
#include <thread>

#include "cli/fd_limit.h"
#include "cli/load.h"
#include "cli/load_driver.h"
#include "cli/load_report.h"
#include "cli/net.h"

namespace tls13::cli {

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kMaxRamp = std::chrono::seconds(600);  // --idle: to open every connection

bool resolve(const std::string& target, Target& out, std::string& err) {
  const auto colon = target.rfind(':');
  if (colon == std::string::npos) {
    err = "expected HOST:PORT, got " + target;
    return false;
  }
  std::string host = target.substr(0, colon);
  const std::string port = target.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &res); rc != 0) {
    err = "cannot resolve " + host + ": " + ::gai_strerror(rc);
    return false;
  }
  std::memcpy(&out.addr, res->ai_addr, res->ai_addrlen);
  out.len = res->ai_addrlen;
  ::freeaddrinfo(res);
  if (out.sni.empty()) out.sni = host;
  return true;
}

Result<std::shared_ptr<const ClientConfig>> client_config(const LoadOptions& o) {
  auto cfg = std::make_shared<ClientConfig>();
  std::string err;
  if (!apply_lists(*cfg, o.suites, o.groups, err)) return Error(Alert::internal_error, err);
  if (!o.groups.empty()) cfg->key_share_groups = {cfg->groups.front()};
  cfg->verify_peer = !o.insecure;
  if (!o.cafile.empty()) {
    auto t = TrustAnchors::from_file(o.cafile);
    if (!t) return std::move(t).error();
    cfg->trust = *t;
  }
  // Each connection stores the server's tickets; the next ones take them.
  if (o.resume)
    cfg->session_cache =
        std::make_shared<InMemorySessionCache>(std::size_t{o.connections} * 4 + 16);
  return std::shared_ptr<const ClientConfig>(std::move(cfg));
}

}  // namespace

int run_load(const LoadOptions& o) {
  Target target;
  target.sni = o.servername;
  std::string err;
  if (!resolve(o.target, target, err)) {
    std::fprintf(stderr, "tls13 load: %s\n", err.c_str());
    return 2;
  }
  auto cfg = client_config(o);
  if (!cfg) {
    std::fprintf(stderr, "tls13 load: %s\n", cfg.error().describe().c_str());
    return 2;
  }
  LoadReport report;
  report.options = &o;
  report.fd_limit = raise_fd_limit();
  if (report.fd_limit < static_cast<long>(o.connections) + 64)
    std::fprintf(stderr,
                 "tls13 load: warning: %u connections but only %ld descriptors (ulimit -n)\n",
                 o.connections, report.fd_limit);

  LoopOptions lo;
  lo.handshake_timeout = std::chrono::milliseconds(static_cast<long long>(o.timeout * 1000));
  std::vector<std::unique_ptr<LoadDriver>> drivers;
  for (unsigned i = 0; i < o.threads; ++i) {
    auto loop = EventLoop::create(lo);
    if (!loop) {
      std::fprintf(stderr, "tls13 load: %s\n", loop.error().describe().c_str());
      return 1;
    }
    // Connections split as evenly as they go.
    const unsigned share = o.connections / o.threads + (i < o.connections % o.threads ? 1 : 0);
    drivers.push_back(std::make_unique<LoadDriver>(std::move(*loop), o, *cfg, target, share));
  }

  report.server_before = o.server_pid ? sample_process(o.server_pid) : std::nullopt;
  report.self_before = sample_process(0);
  report.tcp_before_kib = tcp_memory_kib();
  if (o.server_pid && !report.server_before)
    std::fprintf(stderr, "tls13 load: no process %ld in /proc\n", o.server_pid);

  const auto start = Clock::now();
  const auto end =
      o.idle ? start + kMaxRamp
             : start + std::chrono::milliseconds(static_cast<long long>(o.duration * 1000));
  std::vector<std::thread> threads;
  std::vector<std::string> failures(drivers.size());
  for (std::size_t i = 0; i < drivers.size(); ++i)
    threads.emplace_back([&, i] {
      if (auto r = drivers[i]->run(end); !r) failures[i] = r.error().describe();
    });
  for (auto& t : threads) t.join();
  for (const auto& f : failures)
    if (!f.empty()) std::fprintf(stderr, "tls13 load: %s\n", f.c_str());
  report.seconds = std::chrono::duration<double>(Clock::now() - start).count();

  if (o.idle) {
    // Every connection is open (or failed): hold them, then measure.
    std::this_thread::sleep_for(
        std::chrono::milliseconds(static_cast<long long>(o.duration * 1000)));
    report.seconds = o.duration;
  }
  report.server_after = o.server_pid ? sample_process(o.server_pid) : std::nullopt;
  report.self_after = sample_process(0);
  report.tcp_after_kib = tcp_memory_kib();
  for (auto& d : drivers) {
    report.tally.merge(d->tally());
    d->end_run();
  }
  return print_report(report);
}

}  // namespace tls13::cli
