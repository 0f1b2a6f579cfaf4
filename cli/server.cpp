// `tls13 server`: echo, serve a page, or just complete handshakes. By
// default on event loops (server_loop.cpp); --blocking accepts connections
// one after another here.
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/exporter.h"
#include "cli/keylog.h"
#include "cli/net.h"
#include "cli/server_common.h"
#include "cli/trace.h"
#include "tls13/socket.h"

namespace tls13::cli {

std::string page(const HandshakeInfo& info) {
  const std::string body =
      "<!doctype html><html><head><title>tls13</title></head><body><h1>tls13</h1>"
      "<table><tr><td>version</td><td>TLSv1.3</td></tr><tr><td>cipher suite</td><td>" +
      std::string(to_string(*info.cipher_suite)) + "</td></tr><tr><td>group</td><td>" +
      (info.group ? std::string(to_string(*info.group)) : "none (psk_ke)") +
      "</td></tr><tr><td>signature</td><td>" +
      (info.signature_scheme ? std::string(to_string(*info.signature_scheme)) : "-") +
      "</td></tr><tr><td>ALPN</td><td>" + (info.alpn.empty() ? "-" : info.alpn) +
      "</td></tr><tr><td>SNI</td><td>" + (info.server_name.empty() ? "-" : info.server_name) +
      "</td></tr><tr><td>HelloRetryRequest</td><td>" + (info.hello_retry_request ? "yes" : "no") +
      "</td></tr></table></body></html>\n";
  return "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

void log_handshake(const HandshakeInfo& info) {
  // One line per connection, grepped by tests/interop: suite, group, then what was
  // negotiated on top (SNI, ALPN, HelloRetryRequest).
  std::fprintf(stderr, "tls13 server: handshake complete: %s %s%s%s%s%s%s%s%s%s%s\n",
               std::string(to_string(*info.cipher_suite)).c_str(),
               info.group ? std::string(to_string(*info.group)).c_str() : "psk_ke",
               info.server_name.empty() ? "" : " sni=", info.server_name.c_str(),
               info.alpn.empty() ? "" : " alpn=", info.alpn.c_str(),
               info.hello_retry_request ? " hello_retry_request" : "",
               info.resumed ? " resumed" : "", info.psk == PskType::external ? " psk=external" : "",
               info.early_data == EarlyDataStatus::not_offered
                   ? ""
                   : (std::string(" early_data=") + to_string(info.early_data)).c_str(),
               info.client_auth ? " client_auth" : "");
}

void log_post_handshake_auth(const HandshakeInfo& info) {
  if (info.client_auth)
    std::fprintf(stderr,
                 "tls13 server: post-handshake authentication: client certificate verified "
                 "(%zu in chain)\n",
                 info.peer_chain.size());
  else
    std::fprintf(stderr, "tls13 server: post-handshake authentication: client declined\n");
}

namespace {

// Post-handshake authentication completes inside read(): report each one.
void report_events(Connection& conn) {
  while (auto e = conn.next_event()) {
    if (e->kind == EventKind::post_handshake_auth) log_post_handshake_auth(conn.info());
  }
}

// Reads through the stream, reporting events and a failure.
Result<std::size_t> read_some(SocketStream& stream, std::span<std::uint8_t> buf,
                              StderrTrace* trace) {
  auto n = stream.read(buf);
  report_events(stream.connection());
  if (!n) std::fprintf(stderr, "tls13 server: %s\n", n.error().describe().c_str());
  if (n && *n > 0 && trace) trace->application_data(false, *n);
  return n;
}

Result<void> write_all(SocketStream& stream, std::span<const std::uint8_t> data,
                       StderrTrace* trace) {
  auto w = stream.write(data);
  if (w && trace) trace->application_data(true, data.size());
  return w;
}

void serve(int fd, const std::shared_ptr<const ServerConfig>& cfg, const ServerOptions& o) {
  SocketStream stream(fd, Connection::server(cfg));
  StderrTrace sink;
  StderrTrace* trace = o.trace ? &sink : nullptr;
  if (trace) stream.connection().set_trace(trace);
  auto hs = stream.handshake();
  if (!hs) {
    std::fprintf(stderr, "tls13 server: handshake failed: %s\n", hs.error().describe().c_str());
    return;
  }
  const auto& info = stream.connection().info();
  log_handshake(info);
  // 0-RTT data arrived before the handshake completed; it may be a replay.
  std::vector<std::uint8_t> early(stream.connection().early_data_readable());
  early.resize(stream.connection().read_early_data(early));
  if (!early.empty())
    std::fprintf(stderr, "tls13 server: early data (%zu bytes, may be replayed): %s\n",
                 early.size(), printable(early).c_str());
  if (o.post_handshake_auth) {
    // §4.6.2: only a client that offered post_handshake_auth can be asked.
    auto r = stream.connection().request_client_auth();
    if (r) r = stream.flush();
    if (!r)
      std::fprintf(stderr, "tls13 server: post-handshake authentication not requested: %s\n",
                   r.error().describe().c_str());
  }
  if (!o.export_spec.empty()) {
    std::string err;
    auto km = exporter_hex(stream.connection(), o.export_spec, err);
    std::fprintf(stderr, "tls13 server: exporter: %s\n", km ? km->c_str() : err.c_str());
  }
  std::uint8_t buf[16384];
  if (o.www) {
    std::string request(early.begin(), early.end());  // a request may come as 0-RTT
    while (request.find("\r\n\r\n") == std::string::npos) {
      auto n = read_some(stream, buf, trace);
      if (!n || *n == 0) return;
      request.append(reinterpret_cast<char*>(buf), *n);
    }
    const std::string resp = page(info);
    (void)write_all(
        stream, std::span(reinterpret_cast<const std::uint8_t*>(resp.data()), resp.size()), trace);
  } else if (o.echo) {
    if (!early.empty() && !write_all(stream, early, trace)) return;
    for (;;) {
      auto n = read_some(stream, buf, trace);
      if (!n || *n == 0) break;
      if (!write_all(stream, std::span(buf, *n), trace)) break;
    }
  }
  (void)stream.close();
  report_events(stream.connection());
}

}  // namespace

int run_server(const ServerOptions& o) {
  auto cfg = std::make_shared<ServerConfig>();
  std::string err;
  if (!apply_lists(*cfg, o.suites, o.groups, err)) {
    std::fprintf(stderr, "tls13 server: %s\n", err.c_str());
    return 2;
  }
  cfg->alpn = split(o.alpn);
  cfg->key_log = make_key_log(o.keylog);
  if (!apply_psk_options(o.psk, cfg->external_psks, cfg->psk_modes, err)) {
    std::fprintf(stderr, "tls13 server: %s\n", err.c_str());
    return 2;
  }
  if (o.early_data) {
    if (o.tickets == 0) {
      std::fprintf(stderr, "tls13 server: --early-data needs session tickets (--tickets > 0)\n");
      return 2;
    }
    cfg->max_early_data_size = o.max_early_data;
  }
  if (o.tickets > 0) {
    cfg->ticket_keys = std::make_shared<RotatingTicketKeys>(std::chrono::hours(24));
    cfg->tickets = o.tickets;
  }
  if (!o.cafile.empty()) {
    auto t = TrustAnchors::from_file(o.cafile);
    if (!t) {
      std::fprintf(stderr, "tls13 server: %s\n", t.error().describe().c_str());
      return 2;
    }
    cfg->client_trust = *t;
  }
  if (o.verify_client_given) {
    if (o.verify_client.empty() || o.verify_client == "required") {
      cfg->client_auth = ClientAuth::required;
    } else if (o.verify_client == "optional") {
      cfg->client_auth = ClientAuth::optional;
    } else {
      std::fprintf(stderr, "tls13 server: --verify-client takes required or optional, not %s\n",
                   o.verify_client.c_str());
      return 2;
    }
  }
  if (o.certs.size() != o.keys.size()) {
    std::fprintf(stderr, "tls13 server: each --cert needs a --key\n");
    return 2;
  }
  for (std::size_t i = 0; i < o.certs.size(); ++i) {
    auto ck = CertifiedKey::from_files(o.certs[i], o.keys[i]);
    if (!ck) {
      std::fprintf(stderr, "tls13 server: %s: %s\n", o.certs[i].c_str(),
                   ck.error().describe().c_str());
      return 2;
    }
    cfg->certificates.push_back(*ck);
  }
  if (cfg->certificates.empty()) {
    auto ck = CertifiedKey::self_signed({"localhost", "127.0.0.1"});
    if (!ck) {
      std::fprintf(stderr, "tls13 server: %s\n", ck.error().describe().c_str());
      return 1;
    }
    cfg->certificates.push_back(*ck);
    std::printf(
        "ephemeral self-signed ECDSA P-256 certificate for localhost, 127.0.0.1\n"
        "SHA-256 fingerprint %s\n",
        (*ck)->fingerprint_sha256().c_str());
  }
  // Traces of interleaved connections would be unreadable: --trace serves
  // one connection at a time.
  if (!o.blocking && !o.trace) return run_loop_server(cfg, o);
  const int lfd = listen_on(o.host, o.port, err);
  if (lfd < 0) {
    std::fprintf(stderr, "tls13 server: %s\n", err.c_str());
    return 1;
  }
  std::printf("listening on %s:%d\n", o.host.c_str(), o.port);
  std::fflush(stdout);
  for (long served = 0; o.count == 0 || served < o.count; ++served) {
    const int fd = ::accept(lfd, nullptr, nullptr);
    if (fd < 0) continue;
    serve(fd, cfg, o);
    ::close(fd);
  }
  ::close(lfd);
  return 0;
}

}  // namespace tls13::cli
