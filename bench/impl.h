// One TLS implementation under test, seen through the same small interface
// so that tls13 and OpenSSL's libssl are driven by the very same loops
// (driver.cpp): client and server in one thread, connected in memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>
#include <vector>

#include "common.h"

namespace bench {

// The bench's own transport buffers come from malloc directly, so the
// allocation counters see only what the library under test allocates.
template <class T>
struct RawAlloc {
  using value_type = T;
  RawAlloc() = default;
  template <class U>
  RawAlloc(const RawAlloc<U>&) {}
  T* allocate(std::size_t n) {
    if (void* p = std::malloc(n * sizeof(T))) return static_cast<T*>(p);
    throw std::bad_alloc();
  }
  void deallocate(T* p, std::size_t) { std::free(p); }
  bool operator==(const RawAlloc&) const { return true; }
};
using Queue = std::vector<std::uint8_t, RawAlloc<std::uint8_t>>;

// A client and a server connected in memory. make_*/free_* create and
// destroy the connection objects; step_* lets a side process what has
// arrived and send what it has to.
class Pair {
 public:
  virtual ~Pair() = default;
  virtual void make_client() = 0;
  virtual void make_server() = 0;
  virtual void step_client() = 0;
  virtual void step_server() = 0;
  // Both handshakes complete (a resuming client has also taken its new
  // ticket) and nothing is in flight.
  virtual bool done() = 0;
  // Dies unless the handshake was what was asked for: the client verified
  // the server's chain and name (full) or resumed (resumption).
  virtual void check(bool resumed) = 0;
  virtual void free_client() = 0;
  virtual void free_server() = 0;
  // Application data after the handshake.
  virtual void send(bool from_server, std::span<const std::uint8_t> data) = 0;
  virtual std::size_t recv(bool at_server, std::span<std::uint8_t> out) = 0;
};

enum class Mode { full, resume };

class Impl {
 public:
  virtual ~Impl() = default;
  virtual const char* prefix() const = 0;  // "tls13", "ossl"
  // Contexts for a combination (not measured). `resume`: the server issues
  // one ticket per handshake and the client keeps resuming the first one
  // (taken here, in a priming handshake). `relbuf`: SSL_MODE_RELEASE_BUFFERS.
  virtual void configure(const Combo& c, Mode mode, bool relbuf) = 0;
  virtual std::unique_ptr<Pair> pair() = 0;
  virtual bool has_relbuf() const { return false; }
};

std::unique_ptr<Impl> make_tls13();
std::unique_ptr<Impl> make_ossl();

// driver.cpp: the measurements, identical for every Impl.
Measured measure_handshakes(Impl& impl, const Combo& c, Mode mode, const Budget& b);
Measured measure_bulk(Impl& impl, const Combo& c, const Budget& b);
Samples count_handshake_allocs(Impl& impl, const Combo& c, Mode mode, const Budget& b);
Samples count_record_allocs(Impl& impl, const Combo& c);
Samples measure_memory(Impl& impl, const Combo& c, bool relbuf, const Budget& b);

}  // namespace bench
