// Figures for `tls13 load`: /proc samples of a process and of the kernel's
// TCP memory, latency percentiles, and the report (text lines or JSON).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cli/load.h"
#include "cli/load_driver.h"

namespace tls13::cli {

struct ProcSample {
  double cpu_s = 0;           // user + system
  std::uint64_t rss_kib = 0;  // VmRSS
};
// pid 0: this process. nullopt if /proc has no such process.
std::optional<ProcSample> sample_process(long pid);
// Kernel memory in TCP socket buffers (/proc/net/sockstat "TCP: ... mem"), KiB.
std::optional<std::uint64_t> tcp_memory_kib();

struct LoadReport {
  const LoadOptions* options = nullptr;
  LoadTally tally;
  double seconds = 0;  // measured run (or, --idle, the hold)
  std::optional<ProcSample> server_before, server_after, self_before, self_after;
  std::optional<std::uint64_t> tcp_before_kib, tcp_after_kib;
  long fd_limit = 0;
};

// Prints the report on stdout; returns the exit code (1 if nothing worked).
int print_report(LoadReport& r);

}  // namespace tls13::cli
