// One load-generator thread: an event loop keeping its share of the
// connections going (or, --idle, opening them once and holding them).
#pragma once

#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/load.h"
#include "tls13/config.h"
#include "tls13/event_loop.h"

namespace tls13::cli {

// What one thread saw; merged over threads for the report.
struct LoadTally {
  std::uint64_t started = 0;     // connections begun
  std::uint64_t handshakes = 0;  // completed
  std::uint64_t resumed = 0;
  std::uint64_t completed = 0;  // ended cleanly with everything echoed
  std::uint64_t bytes_sent = 0, bytes_received = 0;
  std::uint64_t established = 0;                // --idle: open after the handshake
  std::vector<std::uint32_t> latency_us;        // connect to handshake complete
  std::map<std::string, std::uint64_t> errors;  // by alert or cause

  void merge(const LoadTally& o);
};

struct Target {
  sockaddr_storage addr{};
  socklen_t len = 0;
  std::string sni;
};

class LoadDriver {
 public:
  LoadDriver(EventLoop loop, const LoadOptions& o, std::shared_ptr<const ClientConfig> cfg,
             const Target& target, unsigned connections);
  // Runs until `end`, or with --idle until every connection is open or
  // failed (the caller then holds them).
  Result<void> run(std::chrono::steady_clock::time_point end);
  // --idle: every connection has been tried (established or failed).
  bool ramp_done() const noexcept;
  // The run is over: nothing new starts and endings are not counted.
  void end_run() noexcept { starting_ = counting_ = false; }
  EventLoop& loop() noexcept { return loop_; }
  const LoadTally& tally() const noexcept { return tally_; }

  // For the per-connection handler.
  void on_handshake(std::chrono::steady_clock::time_point t0, bool resumed);
  void on_end(bool handshake_done, bool ok, const std::string& error);
  void count_bytes(std::uint64_t sent, std::uint64_t received);
  const LoadOptions& options() const noexcept { return o_; }
  std::uint64_t bytes_per_connection() const noexcept { return bytes_; }

 private:
  void fill();
  void start_one();

  const LoadOptions& o_;
  std::shared_ptr<const ClientConfig> cfg_;
  const Target& target_;
  unsigned connections_;
  std::uint64_t bytes_;
  LoadTally tally_;
  unsigned active_ = 0;       // connections open
  unsigned handshaking_ = 0;  // of which still in the handshake
  bool starting_ = true;      // replace connections that end
  bool counting_ = true;      // false once the run is over: aborts are not errors
  EventLoop loop_;            // last: destroyed first, its handlers still see the rest
};

}  // namespace tls13::cli
