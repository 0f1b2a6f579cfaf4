// The measurements of bench-method.md, written once over the Impl/Pair
// interface so that every implementation is measured the same way.
#include <algorithm>
#include <array>
#include <cstdio>
#include <string>

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define TLS13_BENCH_VALGRIND 1
#endif

#include <cstdlib>

#include "alloc_hook.h"
#include "impl.h"

namespace bench {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;
constexpr std::size_t kChunk = 16384;  // one full record
constexpr int kMaxSteps = 64;          // a handshake needs about 5

std::string base_name(const Impl& impl, const char* test, const Combo& c) {
  return std::string(impl.prefix()) + "." + test + "." + c.tail();
}

// Drives a created pair's handshake to completion, untimed.
void handshake(Pair& p) {
  for (int i = 0; !p.done(); ++i) {
    if (i > kMaxSteps) die("handshake does not complete");
    p.step_client();
    p.step_server();
  }
}

void full_cycle(Impl& impl, Mode mode) {
  auto p = impl.pair();
  p->make_client();
  p->make_server();
  handshake(*p);
  p->check(mode == Mode::resume);
  p->free_client();
  p->free_server();
}

std::unique_ptr<Pair> established(Impl& impl) {
  auto p = impl.pair();
  p->make_client();
  p->make_server();
  handshake(*p);
  p->check(false);
  return p;
}

// One record each way through an established pair; dies when it does not
// arrive whole.
void transfer(Pair& p, bool from_server, std::span<const std::uint8_t> data,
              std::span<std::uint8_t> buf) {
  p.send(from_server, data);
  std::size_t got = 0;
  while (got < data.size()) {
    const std::size_t n = p.recv(!from_server, buf);
    if (n == 0) die("application data did not arrive");
    got += n;
  }
}

}  // namespace

Measured measure_handshakes(Impl& impl, const Combo& c, Mode mode, const Budget& b) {
  impl.configure(c, mode, false);
  full_cycle(impl, mode);  // warm-up: lazily built library state
  SideTimer t;
  int n = 0;
  t.start();
  const double t0 = wall_now();
  while (n < b.hs_min || wall_now() - t0 < b.hs_seconds) {
    auto p = impl.pair();  // transport set-up is not charged
    t.client([&] { p->make_client(); });
    t.server([&] { p->make_server(); });
    for (int i = 0; !p->done(); ++i) {
      if (i > kMaxSteps) die("handshake does not complete");
      t.client([&] { p->step_client(); });
      t.server([&] { p->step_server(); });
    }
    p->check(mode == Mode::resume);
    t.client([&] { p->free_client(); });
    t.server([&] { p->free_server(); });
    ++n;
  }
  t.stop();
  const std::string name = base_name(impl, mode == Mode::full ? "hs_full" : "hs_resume", c);
  Measured m;
  m.cpu_wall = t.ratio();
  m.samples.push_back({name + ".pair", n / (t.server_s() + t.client_s()), "hs/s"});
  m.samples.push_back({name + ".server", n / t.server_s(), "hs/s"});
  m.samples.push_back({name + ".client", n / t.client_s(), "hs/s"});
  return m;
}

Measured measure_bulk(Impl& impl, const Combo& c, const Budget& b) {
  impl.configure(c, Mode::full, false);
  auto p = established(impl);
  std::vector<std::uint8_t> chunk(kChunk, 0x5a), buf(kChunk);
  for (int i = 0; i < 8; ++i) transfer(*p, true, chunk, buf);  // warm-up
  const std::string name = std::string(impl.prefix()) + ".bulk." + name_of(c.suite);
  Measured m;
  m.cpu_wall = 1.0;
  // One pass through send()/recv() (copied through the library's buffers,
  // as SSL_write/SSL_read do), one, if the library has them, through its
  // in-place calls (send_inplace, recv_inplace).
  for (const bool in_place : {false, true}) {
    if (in_place && !p->has_in_place_io()) break;
    SideTimer t;
    std::uint64_t bytes = 0;
    t.start();
    const double t0 = wall_now();
    while (bytes < b.bulk_max_bytes && (bytes < 64 * kChunk || wall_now() - t0 < b.bulk_seconds)) {
      t.server([&] {
        if (in_place)
          p->send_in_place(true, chunk);
        else
          p->send(true, chunk);
      });
      std::size_t got = 0;
      t.client([&] {
        while (got < kChunk) {
          const std::size_t n = in_place ? p->recv_in_place(false) : p->recv(false, buf);
          if (n == 0) break;
          got += n;
        }
      });
      if (got != kChunk) die("bulk data did not arrive");
      bytes += kChunk;
    }
    t.stop();
    const double mib = static_cast<double>(bytes) / kMiB;
    m.cpu_wall = std::min(m.cpu_wall, t.ratio());
    if (in_place) {
      m.samples.push_back({name + ".send_inplace", mib / t.server_s(), "MiB/s"});
      m.samples.push_back({name + ".recv_inplace", mib / t.client_s(), "MiB/s"});
      continue;
    }
    m.samples.push_back({name + ".send", mib / t.server_s(), "MiB/s"});
    m.samples.push_back({name + ".recv", mib / t.client_s(), "MiB/s"});
    m.samples.push_back({name + ".pair", mib / (t.server_s() + t.client_s()), "MiB/s"});
  }
  p->free_client();
  p->free_server();
  return m;
}

Samples count_handshake_allocs(Impl& impl, const Combo& c, Mode mode, const Budget& b) {
  impl.configure(c, mode, false);
  full_cycle(impl, mode);
  full_cycle(impl, mode);
  std::uint64_t total = 0;
  std::int64_t bytes = 0;
  const bool sites = std::getenv("BENCH_ALLOC_SITES") != nullptr;
  if (sites) trace_sites(true);
  for (int i = 0; i < b.alloc_runs; ++i) {
    auto p = impl.pair();
    const AllocStats s0 = alloc_stats();
    p->make_client();
    p->make_server();
    handshake(*p);
    p->free_client();
    p->free_server();
    const AllocStats s1 = alloc_stats();
    total += s1.allocs - s0.allocs;
    bytes += s1.live_bytes - s0.live_bytes;
  }
  if (sites) {
    std::fprintf(stderr, "# allocation sites per handshake pair, %s\n", impl.prefix());
    dump_sites(b.alloc_runs);
  }
  if (bytes != 0)
    std::fprintf(stderr, "# %s: %lld bytes not freed after %d handshakes\n", impl.prefix(),
                 static_cast<long long>(bytes), b.alloc_runs);
  const std::string name =
      base_name(impl, mode == Mode::full ? "hs_full" : "hs_resume", c) + ".allocs";
  return {{name, static_cast<double>(total) / b.alloc_runs, "allocs/hs"}};
}

void profile_handshakes(Impl& impl, const Combo& c, Mode mode, int n) {
  impl.configure(c, mode, false);
  full_cycle(impl, mode);
  for (int i = 0; i < n; ++i) full_cycle(impl, mode);
}

void profile_records(Impl& impl, const Combo& c, int n) {
  impl.configure(c, Mode::full, false);
  auto p = established(impl);
  std::vector<std::uint8_t> chunk(kChunk, 0x5a), buf(kChunk);
  for (int i = 0; i < n; ++i) transfer(*p, true, chunk, buf);
  p->free_client();
  p->free_server();
}

Samples count_record_allocs(Impl& impl, const Combo& c) {
  impl.configure(c, Mode::full, false);
  auto p = established(impl);
  std::vector<std::uint8_t> chunk(kChunk, 0x5a), buf(kChunk);
  for (int i = 0; i < 16; ++i) transfer(*p, true, chunk, buf);
  constexpr int kRecords = 256;
  const AllocStats s0 = alloc_stats();
  for (int i = 0; i < kRecords; ++i) transfer(*p, true, chunk, buf);
  const AllocStats s1 = alloc_stats();
  p->free_client();
  p->free_server();
  const std::string name = std::string(impl.prefix()) + ".bulk." + name_of(c.suite);
  return {{name + ".allocs_per_record", static_cast<double>(s1.allocs - s0.allocs) / kRecords,
           "allocs/record"}};
}

Samples measure_memory(Impl& impl, const Combo& c, bool relbuf, const Budget& b) {
  impl.configure(c, Mode::full, relbuf);
  full_cycle(impl, Mode::full);
  const int n = b.mem_pairs;
  std::vector<std::unique_ptr<Pair>> pairs;
  pairs.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) pairs.push_back(impl.pair());
  std::vector<std::uint8_t> kib(1024, 0x33), buf(1024);
  const std::int64_t base = alloc_stats().live_bytes;
  auto per_pair = [&](std::int64_t bytes) { return static_cast<double>(bytes - base) / n; };

  for (auto& p : pairs) {
    p->make_client();
    p->make_server();
  }
  const double pair_new = per_pair(alloc_stats().live_bytes);
  reset_peak();
  for (int step = 0;; ++step) {
    if (step > kMaxSteps) die("lockstep handshakes do not complete");
    bool all_done = true;
    for (auto& p : pairs)
      if (!p->done()) {
        all_done = false;
        p->step_client();
      }
    if (all_done) break;
    for (auto& p : pairs) p->step_server();
  }
  const double peak = per_pair(alloc_stats().peak_bytes);
  const double established_bytes = per_pair(alloc_stats().live_bytes);
  for (auto& p : pairs) p->check(false);

  for (auto& p : pairs) {
    transfer(*p, true, kib, buf);
    transfer(*p, false, kib, buf);
  }
  const double pair_idle = per_pair(alloc_stats().live_bytes);
#ifdef TLS13_BENCH_VALGRIND
  // Under valgrind --tool=massif: BENCH_MASSIF_IDLE=FILE writes a detailed
  // heap snapshot of the idle connections (what each byte is held for).
  if (const char* f = std::getenv("BENCH_MASSIF_IDLE"))
    VALGRIND_MONITOR_COMMAND((std::string("detailed_snapshot ") + f).c_str());
#endif
  for (auto& p : pairs) p->free_client();
  const double server_idle = per_pair(alloc_stats().live_bytes);
  for (auto& p : pairs) p->free_server();
  const std::int64_t leaked = alloc_stats().live_bytes - base;
  if (leaked != 0)
    std::fprintf(stderr, "# %s mem: %lld bytes still held after freeing every connection\n",
                 impl.prefix(), static_cast<long long>(leaked));
  pairs.clear();

  const std::string name =
      std::string(impl.prefix()) + ".mem." + c.tail() + (relbuf ? ".relbuf" : "");
  return {{name + ".pair_new", pair_new, "B"},
          {name + ".pair_peak_hs", peak, "B"},
          {name + ".pair_established", established_bytes, "B"},
          {name + ".pair_idle", pair_idle, "B"},
          {name + ".server_idle", server_idle, "B"},
          {name + ".client_idle", pair_idle - server_idle, "B"}};
}

}  // namespace bench
