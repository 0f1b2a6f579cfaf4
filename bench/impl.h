// One TLS implementation under test, seen through the same small interface
// so that tls13 and OpenSSL's libssl are driven by the very same loops
// (driver.cpp): client and server in one thread, connected in memory.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <span>
#include <vector>

#include "common.h"

namespace bench {

// The bench's own transport: a byte queue on malloc directly (so the
// allocation counters see only what the library under test allocates) that
// appends with memcpy, as a socket buffer would.
class Queue {
 public:
  Queue() = default;
  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;
  ~Queue() { std::free(data_); }
  void append(std::span<const std::uint8_t> b) {
    if (b.empty()) return;
    std::memcpy(reserve(b.size()).data(), b.data(), b.size());
    size_ += b.size();
  }
  // Room for n more bytes at the end, written by the caller, then kept
  // with commit() (a transport the sender writes into directly).
  std::span<std::uint8_t> reserve(std::size_t n) {
    if (size_ + n > cap_) {
      cap_ = std::max(size_ + n, 2 * cap_);
      auto* p = static_cast<std::uint8_t*>(std::realloc(data_, cap_));
      if (!p) throw std::bad_alloc();
      data_ = p;
    }
    return {data_ + size_, n};
  }
  void commit(std::size_t n) { size_ += n; }
  void clear() { size_ = 0; }
  bool empty() const { return size_ == 0; }
  operator std::span<const std::uint8_t>() const { return {data_, size_}; }

 private:
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0, cap_ = 0;
};

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
  // send() and recv() for a library that can seal records straight into
  // the transport's buffer and hand out decrypted bytes where they lie (no
  // copy through its own buffers): recv_in_place returns how many bytes it
  // consumed, 0 = none. Only called when has_in_place_io().
  virtual bool has_in_place_io() const { return false; }
  virtual void send_in_place(bool, std::span<const std::uint8_t>) {}
  virtual std::size_t recv_in_place(bool) { return 0; }
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
// --profile N: just N handshakes or records, for perf and callgrind
// (--toggle-collect='bench::profile_*').
void profile_handshakes(Impl& impl, const Combo& c, Mode mode, int n);
void profile_records(Impl& impl, const Combo& c, int n);
Samples measure_memory(Impl& impl, const Combo& c, bool relbuf, const Budget& b);

}  // namespace bench
