// `tls13 client HOST:PORT`: connect, print what was negotiated, send, print
// what comes back.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.h"
#include "cli/exporter.h"
#include "cli/keylog.h"
#include "cli/net.h"
#include "cli/trace.h"
#include "tls13/socket.h"

namespace tls13::cli {

namespace {

std::string or_null(std::string_view s) {
  return s == "unknown" ? "" : std::string(s);
}

// Post-handshake authentication happens inside read(): report each one.
void report_events(Connection& conn) {
  while (auto e = conn.next_event()) {
    if (e->kind != EventKind::post_handshake_auth) continue;
    std::fprintf(stderr, "tls13 client: post-handshake authentication: %s\n",
                 conn.info().client_auth ? "certificate sent" : "declined (no certificate fits)");
  }
}

}  // namespace

int run_client(const ClientOptions& o) {
  const auto colon = o.target.rfind(':');
  if (colon == std::string::npos) {
    std::fprintf(stderr, "tls13 client: expected HOST:PORT, got %s\n", o.target.c_str());
    return 2;
  }
  std::string host = o.target.substr(0, colon);
  const std::string port = o.target.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);

  auto cfg = std::make_shared<ClientConfig>();
  std::string err;
  if (!apply_lists(*cfg, o.suites, o.groups, err)) {
    std::fprintf(stderr, "tls13 client: %s\n", err.c_str());
    return 2;
  }
  if (!o.groups.empty()) cfg->key_share_groups = {cfg->groups.front()};
  cfg->alpn = split(o.alpn);
  cfg->verify_peer = !o.insecure;
  cfg->key_log = make_key_log(o.keylog);
  if (!o.cafile.empty() || !o.capath.empty()) {
    auto t =
        o.cafile.empty() ? TrustAnchors::from_dir(o.capath) : TrustAnchors::from_file(o.cafile);
    if (!t) {
      std::fprintf(stderr, "tls13 client: %s\n", t.error().describe().c_str());
      return 2;
    }
    cfg->trust = *t;
  }
  if (!apply_psk_options(o.psk, cfg->external_psks, cfg->psk_modes, err)) {
    std::fprintf(stderr, "tls13 client: %s\n", err.c_str());
    return 2;
  }
  std::vector<std::uint8_t> early;
  if (!o.early_data.empty()) {
    std::ifstream in(o.early_data, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "tls13 client: cannot read %s\n", o.early_data.c_str());
      return 2;
    }
    early.assign(std::istreambuf_iterator<char>(in), {});
  }
  if (!o.cert.empty()) {
    auto ck = CertifiedKey::from_files(o.cert, o.key);
    if (!ck) {
      std::fprintf(stderr, "tls13 client: %s: %s\n", o.cert.c_str(), ck.error().describe().c_str());
      return 2;
    }
    cfg->certificates.push_back(*ck);
  }
  cfg->post_handshake_auth = o.post_handshake_auth;
  const std::string sni = o.servername.empty() ? host : o.servername;
  std::shared_ptr<InMemorySessionCache> cache;
  if (!o.sess_in.empty() || !o.sess_out.empty()) {
    cache = std::make_shared<InMemorySessionCache>(16);
    cfg->session_cache = cache;
  }
  if (!o.sess_in.empty()) {
    std::ifstream in(o.sess_in, std::ios::binary);
    const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
    auto session = StoredSession::parse(bytes);
    if (!session) {
      std::fprintf(stderr, "tls13 client: %s: not a tls13 session file\n", o.sess_in.c_str());
      return 2;
    }
    cache->store(sni, std::move(*session));
  }
  const int fd = connect_to(host, port, err);
  if (fd < 0) {
    std::fprintf(stderr, "tls13 client: %s\n", err.c_str());
    return 1;
  }
  SocketStream stream(fd, Connection::client(cfg, sni));
  StderrTrace trace;
  if (o.trace) stream.connection().set_trace(&trace);
  if (!early.empty()) (void)stream.connection().write_early_data(early);  // 0 if not possible

  auto hs = stream.handshake();
  if (!hs) {
    std::fprintf(stderr, "tls13 client: handshake failed: %s\n", hs.error().describe().c_str());
    ::close(fd);
    return 1;
  }
  const auto& info = stream.connection().info();
  // The library resends nothing; this tool resends early data that was not
  // accepted as ordinary data.
  if (!early.empty() && info.early_data != EarlyDataStatus::accepted) {
    if (auto w = stream.write(early); !w) {
      std::fprintf(stderr, "tls13 client: %s\n", w.error().describe().c_str());
      ::close(fd);
      return 1;
    }
  }
  std::string exported;
  if (!o.export_spec.empty()) {
    std::string xerr;
    auto km = exporter_hex(stream.connection(), o.export_spec, xerr);
    if (!km) {
      std::fprintf(stderr, "tls13 client: %s\n", xerr.c_str());
      ::close(fd);
      return 2;
    }
    exported = *km;
  }
  if (o.json) {
    nlohmann::json j;
    j["version"] = "TLSv1.3";
    j["cipher_suite"] = info.cipher_suite ? or_null(to_string(*info.cipher_suite)) : "";
    j["group"] = info.group ? or_null(to_string(*info.group)) : "";
    j["signature_scheme"] = info.signature_scheme ? or_null(to_string(*info.signature_scheme)) : "";
    j["alpn"] = info.alpn.empty() ? nlohmann::json(nullptr) : nlohmann::json(info.alpn);
    j["hello_retry_request"] = info.hello_retry_request;
    j["resumed"] = info.resumed;
    j["psk"] = to_string(info.psk);
    j["early_data"] = to_string(info.early_data);
    j["peer_verified"] = info.peer_verified;
    j["client_auth"] = info.client_auth;
    j["server_name"] = info.server_name;
    if (!exported.empty()) j["exporter"] = exported;
    std::cout << j.dump() << std::endl;
  } else {
    std::printf(
        "connected: TLSv1.3 %s, group %s, server signature %s%s%s, %s%s%s%s\n",
        std::string(to_string(*info.cipher_suite)).c_str(),
        info.group ? std::string(to_string(*info.group)).c_str() : "none (psk_ke)",
        info.signature_scheme ? std::string(to_string(*info.signature_scheme)).c_str() : "-",
        info.alpn.empty() ? "" : ", alpn ", info.alpn.c_str(),
        info.resumed                    ? "resumed"
        : info.psk == PskType::external ? "authenticated by an external PSK"
        : info.peer_verified            ? "certificate verified"
                                        : "certificate NOT verified",
        info.resumed ? " (session ticket)" : "",
        (info.early_data == EarlyDataStatus::not_offered
             ? std::string()
             : std::string(", early data ") + std::string(to_string(info.early_data)))
            .c_str(),
        info.client_auth ? ", client certificate sent" : "");
    if (!exported.empty()) std::printf("exporter: %s\n", exported.c_str());
  }

  if (o.keyupdate) {
    if (auto r = stream.connection().update_keys(true); !r) {
      std::fprintf(stderr, "tls13 client: %s\n", r.error().describe().c_str());
      ::close(fd);
      return 1;
    }
  }
  std::string payload = o.send;
  if (!o.send_given && early.empty()) payload.assign(std::istreambuf_iterator<char>(std::cin), {});
  if (!payload.empty()) {
    auto w = stream.write(
        std::span(reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size()));
    if (!w) {
      std::fprintf(stderr, "tls13 client: %s\n", w.error().describe().c_str());
      ::close(fd);
      return 1;
    }
    if (o.trace) trace.application_data(true, payload.size());
  }
  std::uint8_t buf[16384];
  int rc = 0;
  for (;;) {
    auto n = stream.read(buf);
    report_events(stream.connection());
    if (!n) {
      std::fprintf(stderr, "tls13 client: %s\n", n.error().describe().c_str());
      rc = 1;
      break;
    }
    if (*n == 0) break;
    if (o.trace) trace.application_data(false, *n);
    if (!o.json) std::fwrite(buf, 1, *n, stdout);
    if (o.once) break;
  }
  std::fflush(stdout);
  (void)stream.close();
  ::close(fd);
  if (!o.sess_out.empty()) {
    // Tickets arrive after the handshake, so only what was read counts.
    auto session = cache->take(sni);
    if (!session) {
      std::fprintf(stderr, "tls13 client: no session ticket received for --sess-out\n");
      return rc ? rc : 1;
    }
    const auto bytes = session->serialize();
    std::ofstream out(o.sess_out, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      std::fprintf(stderr, "tls13 client: cannot write %s\n", o.sess_out.c_str());
      return 1;
    }
  }
  return rc;
}

}  // namespace tls13::cli
