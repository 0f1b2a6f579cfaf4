// The options of `tls13 load`.
#include "cli/load.h"

namespace tls13::cli {

CLI::App* add_load_command(CLI::App& app, LoadOptions& o) {
  auto* load = app.add_subcommand(
      "load", "Load a TLS server: handshakes/s, MiB/s, latency percentiles, errors by alert");
  load->add_option("target", o.target, "HOST:PORT")->required();
  load->add_option("--connections", o.connections, "Connections kept open at once")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000000u));
  load->add_option("--duration", o.duration, "Seconds to run (with --idle: to hold)")
      ->capture_default_str();
  load->add_flag("--resume", o.resume, "Resume with session tickets from earlier connections");
  load->add_option("--bytes", o.bytes,
                   "Bytes each connection sends and expects echoed (tls13 server --echo, "
                   "openssl s_server -rev), in 1 KiB lines")
      ->capture_default_str();
  load->add_flag("--json", o.json, "Print the report as one JSON line");
  load->add_flag("--idle", o.idle,
                 "Open the connections, complete their handshakes and hold them idle; "
                 "report memory per connection");
  load->add_option("--server-pid", o.server_pid,
                   "Report this process's CPU time and resident memory (from /proc)");
  load->add_option("--threads", o.threads, "Event loops, one thread each")
      ->capture_default_str()
      ->check(CLI::Range(1u, 256u));
  load->add_option("--max-pending", o.max_pending, "Handshakes in progress at once per thread")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000000u));
  load->add_option("--timeout", o.timeout, "Seconds a handshake may take")->capture_default_str();
  auto* cafile =
      load->add_option("--cafile", o.cafile, "Trust anchors (PEM); default: system store");
  load->add_flag("--insecure", o.insecure, "Do not verify the server's certificate")
      ->excludes(cafile);
  load->add_option("--servername", o.servername, "Server name to send and verify (SNI)");
  load->add_option("--groups", o.groups, "Comma-separated groups, first gets a key share");
  load->add_option("--suites", o.suites, "Comma-separated cipher suites (IANA names)");
  return load;
}

}  // namespace tls13::cli
