// `tls13 load HOST:PORT`: a load generator on event loops. It keeps
// --connections connections going for --duration seconds (each: handshake,
// optionally --bytes echoed, close_notify) and reports handshakes/s, MiB/s,
// handshake latency percentiles and errors by alert; or, with --idle, it
// opens them, holds them idle and reports the memory they cost.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace tls13::cli {

struct LoadOptions {
  std::string target;  // HOST:PORT
  unsigned connections = 100;
  double duration = 5;      // seconds
  bool resume = false;      // offer session tickets from earlier connections
  std::uint64_t bytes = 0;  // per connection, echoed back; rounded up to 1 KiB lines
  bool json = false;
  bool idle = false;    // open, complete handshakes, hold, report memory
  long server_pid = 0;  // read its CPU time and VmRSS from /proc
  unsigned threads = 1;
  unsigned max_pending = 256;  // handshakes in progress at once per thread
  double timeout = 30;         // seconds per handshake
  std::string cafile, servername, groups, suites;
  bool insecure = false;
};

CLI::App* add_load_command(CLI::App& app, LoadOptions& o);
int run_load(const LoadOptions& o);

}  // namespace tls13::cli
