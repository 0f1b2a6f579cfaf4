#include "cli/load_report.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace tls13::cli {

namespace {

double mib(std::uint64_t bytes) {
  return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

// The q-quantile (nearest rank) of sorted samples, in ms.
double quantile_ms(const std::vector<std::uint32_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  auto rank = static_cast<std::size_t>(q * static_cast<double>(sorted.size()) + 0.999999);
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1] / 1000.0;
}

}  // namespace

std::optional<ProcSample> sample_process(long pid) {
  const std::string dir = pid ? "/proc/" + std::to_string(pid) : std::string("/proc/self");
  std::ifstream stat(dir + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return std::nullopt;
  // The command name is in parentheses and may hold spaces: count from after it.
  const auto close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(close + 1));
  std::string f;
  ProcSample s;
  const double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
  for (int i = 3; fields >> f; ++i) {
    if (i == 14 || i == 15) s.cpu_s += std::stod(f) / tick;  // utime, stime
    if (i == 15) break;
  }
  std::ifstream status(dir + "/status");
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) s.rss_kib = std::stoull(line.substr(6));
  return s;
}

std::optional<std::uint64_t> tcp_memory_kib() {
  std::ifstream in("/proc/net/sockstat");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("TCP:", 0) != 0) continue;
    const auto at = line.find(" mem ");
    if (at == std::string::npos) return std::nullopt;
    const std::uint64_t pages = std::stoull(line.substr(at + 5));
    return pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE)) / 1024;
  }
  return std::nullopt;
}

int print_report(LoadReport& r) {
  const LoadOptions& o = *r.options;
  LoadTally& t = r.tally;
  std::sort(t.latency_us.begin(), t.latency_us.end());
  const double p50 = quantile_ms(t.latency_us, 0.50), p90 = quantile_ms(t.latency_us, 0.90),
               p99 = quantile_ms(t.latency_us, 0.99), pmax = quantile_ms(t.latency_us, 1.0);
  std::uint64_t errors = 0;
  for (const auto& [k, v] : t.errors) errors += v;
  const double secs = r.seconds > 0 ? r.seconds : 1;
  std::optional<double> server_cpu;
  if (r.server_before && r.server_after)
    server_cpu = r.server_after->cpu_s - r.server_before->cpu_s;
  const double self_cpu =
      r.self_before && r.self_after ? r.self_after->cpu_s - r.self_before->cpu_s : 0;
  // Memory per held connection: what the server (and we) grew by.
  auto per_conn = [&](const std::optional<ProcSample>& a, const std::optional<ProcSample>& b) {
    if (!a || !b || t.established == 0) return 0.0;
    return (static_cast<double>(b->rss_kib) - static_cast<double>(a->rss_kib)) * 1024.0 /
           static_cast<double>(t.established);
  };

  if (o.json) {
    nlohmann::json j;
    j["target"] = o.target;
    j["connections"] = o.connections;
    j["threads"] = o.threads;
    j["mode"] = o.idle ? "idle" : "load";
    j["seconds"] = r.seconds;
    j["resume"] = o.resume;
    j["bytes_per_connection"] = o.bytes;
    j["handshakes"] = t.handshakes;
    j["handshakes_per_s"] = o.idle ? 0.0 : static_cast<double>(t.handshakes) / secs;
    j["resumed"] = t.resumed;
    j["completed"] = t.completed;
    j["latency_ms"] = {{"p50", p50}, {"p90", p90}, {"p99", p99}, {"max", pmax}};
    j["bytes_sent"] = t.bytes_sent;
    j["bytes_received"] = t.bytes_received;
    j["mib_per_s_sent"] = mib(t.bytes_sent) / secs;
    j["mib_per_s_received"] = mib(t.bytes_received) / secs;
    j["errors"] = errors;
    j["errors_by_kind"] = t.errors;
    j["client_cpu_s"] = self_cpu;
    if (o.server_pid) {
      nlohmann::json s;
      s["pid"] = o.server_pid;
      if (server_cpu) {
        s["cpu_s"] = *server_cpu;
        s["handshakes_per_cpu_s"] =
            *server_cpu > 0 ? static_cast<double>(t.handshakes) / *server_cpu : 0.0;
      }
      if (r.server_before) s["rss_kib_before"] = r.server_before->rss_kib;
      if (r.server_after) s["rss_kib_after"] = r.server_after->rss_kib;
      if (o.idle) s["rss_bytes_per_connection"] = per_conn(r.server_before, r.server_after);
      j["server"] = s;
    }
    if (o.idle) {
      j["established"] = t.established;
      j["client_rss_bytes_per_connection"] = per_conn(r.self_before, r.self_after);
      if (r.tcp_before_kib && r.tcp_after_kib)
        j["kernel_tcp_kib"] = {{"before", *r.tcp_before_kib}, {"after", *r.tcp_after_kib}};
    }
    std::cout << j.dump() << std::endl;
  } else {
    char span[32];
    std::snprintf(span, sizeof span, "%.2f s", r.seconds);
    std::printf("tls13 load: %s, %u connections, %u thread%s, %s, %s, %llu bytes each\n",
                o.target.c_str(), o.connections, o.threads, o.threads == 1 ? "" : "s",
                o.idle ? "held idle" : span, o.resume ? "resumption" : "full handshakes",
                static_cast<unsigned long long>(o.idle ? 0 : (o.bytes + 1023) / 1024 * 1024));
    std::printf("handshakes: %llu in %.2f s = %.1f hs/s (resumed %llu)\n",
                static_cast<unsigned long long>(t.handshakes), r.seconds,
                o.idle ? 0.0 : static_cast<double>(t.handshakes) / secs,
                static_cast<unsigned long long>(t.resumed));
    std::printf("latency ms: p50 %.3f p90 %.3f p99 %.3f max %.3f\n", p50, p90, p99, pmax);
    std::printf("throughput: sent %.2f MiB/s, received %.2f MiB/s\n", mib(t.bytes_sent) / secs,
                mib(t.bytes_received) / secs);
    std::printf("connections: %llu completed, %llu errors\n",
                static_cast<unsigned long long>(t.completed),
                static_cast<unsigned long long>(errors));
    std::printf("errors by alert:");
    if (t.errors.empty()) std::printf(" none");
    bool first = true;
    for (const auto& [k, v] : t.errors) {
      std::printf("%s %s: %llu", first ? "" : ",", k.c_str(), static_cast<unsigned long long>(v));
      first = false;
    }
    std::printf("\n");
    std::printf("client: cpu %.2f s\n", self_cpu);
    if (o.server_pid) {
      std::printf("server: pid %ld", o.server_pid);
      if (server_cpu)
        std::printf(", cpu %.2f s, %.1f handshakes per server cpu-second", *server_cpu,
                    *server_cpu > 0 ? static_cast<double>(t.handshakes) / *server_cpu : 0.0);
      if (r.server_after)
        std::printf(", rss %llu KiB", static_cast<unsigned long long>(r.server_after->rss_kib));
      std::printf("\n");
    }
    if (o.idle) {
      std::printf("idle: %llu of %u connections established and held %.1f s\n",
                  static_cast<unsigned long long>(t.established), o.connections, r.seconds);
      if (o.server_pid && r.server_before && r.server_after)
        std::printf("server rss: before %llu KiB, after %llu KiB, %.0f bytes per connection\n",
                    static_cast<unsigned long long>(r.server_before->rss_kib),
                    static_cast<unsigned long long>(r.server_after->rss_kib),
                    per_conn(r.server_before, r.server_after));
      if (r.self_before && r.self_after)
        std::printf("client rss: before %llu KiB, after %llu KiB, %.0f bytes per connection\n",
                    static_cast<unsigned long long>(r.self_before->rss_kib),
                    static_cast<unsigned long long>(r.self_after->rss_kib),
                    per_conn(r.self_before, r.self_after));
      if (r.tcp_before_kib && r.tcp_after_kib)
        std::printf(
            "kernel tcp buffers (both ends, whole machine): before %llu KiB, after %llu KiB\n",
            static_cast<unsigned long long>(*r.tcp_before_kib),
            static_cast<unsigned long long>(*r.tcp_after_kib));
    }
  }
  std::fflush(stdout);
  const bool worked = o.idle ? t.established > 0 : t.handshakes > 0;
  return worked ? 0 : 1;
}

}  // namespace tls13::cli
