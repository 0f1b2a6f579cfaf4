// Shared pieces of tls13-bench: what is measured (combinations of key,
// suite and group), clocks, and the result lines (bench-method.md names).
#pragma once

#include <time.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace bench {

enum class Key { ecdsa_p256, rsa2048, ed25519 };
enum class Suite { aes128gcm, aes256gcm, chacha20 };
enum class Group { x25519, p256 };

const char* name_of(Key k);
const char* name_of(Suite s);
const char* name_of(Group g);

struct Combo {
  Key key = Key::ecdsa_p256;
  Suite suite = Suite::aes128gcm;
  Group group = Group::x25519;
  // "ecdsa_p256.aes128gcm.x25519"
  std::string tail() const;
};

// One result line: "<name> <value> <unit>".
struct Sample {
  std::string name;
  double value;
  std::string unit;
};
using Samples = std::vector<Sample>;

// How much work one measurement does.
struct Budget {
  double hs_seconds = 0.4;    // per handshake test and round
  int hs_min = 20;            // handshakes at least
  double bulk_seconds = 0.4;  // per bulk test and round
  std::uint64_t bulk_max_bytes = std::uint64_t{1} << 30;
  int mem_pairs = 1000;  // pairs handshaken in lockstep for mem.*
  int alloc_runs = 20;   // handshakes averaged for *.allocs
};

inline double clock_s(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
inline double wall_now() {
  return clock_s(CLOCK_MONOTONIC);
}
inline double cpu_now() {
  return clock_s(CLOCK_THREAD_CPUTIME_ID);
}

// Time charged to each side of a loop (bench-method.md): every library call
// is timed with CLOCK_MONOTONIC; the sums are scaled by the whole loop's
// thread-CPU / wall ratio so that time spent descheduled is not charged.
class SideTimer {
 public:
  void start() {
    wall0_ = wall_now();
    cpu0_ = cpu_now();
  }
  void stop() {
    wall_ = wall_now() - wall0_;
    cpu_ = cpu_now() - cpu0_;
  }
  template <class F>
  auto client(F&& f) {
    return timed(client_, f);
  }
  template <class F>
  auto server(F&& f) {
    return timed(server_, f);
  }
  double ratio() const { return wall_ > 0 ? std::min(1.0, cpu_ / wall_) : 1.0; }
  double client_s() const { return client_ * ratio(); }
  double server_s() const { return server_ * ratio(); }

 private:
  template <class F>
  static auto timed(double& acc, F& f) {
    struct Charge {
      double& acc;
      double t0 = wall_now();
      ~Charge() { acc += wall_now() - t0; }
    } charge{acc};
    return f();
  }
  double wall0_ = 0, cpu0_ = 0, wall_ = 0, cpu_ = 0;
  double client_ = 0, server_ = 0;
};

// A measurement's results plus the cpu/wall ratio of its loop.
struct Measured {
  Samples samples;
  double cpu_wall = 1.0;
};

[[noreturn]] void die(const std::string& what);

}  // namespace bench
