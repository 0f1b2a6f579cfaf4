// `tls13 demo`: a tls13 server and a tls13 client in one process, talking
// over a real loopback TCP connection, with the handshake annotated as it
// happens: each message with its key fields, each secret as it is derived
// (names only), then what was negotiated and an application-data round trip.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include "cli/commands.h"
#include "cli/net.h"
#include "tls13/socket.h"

namespace tls13::cli {

namespace {

// Prints lines from both threads without interleaving them.
class Console {
 public:
  template <class F>
  void print(F&& f) {
    std::lock_guard<std::mutex> lock(mu_);
    f();
    std::fflush(stdout);
  }
  void say(const std::string& s) {
    print([&] { std::printf("%s\n", s.c_str()); });
  }

 private:
  std::mutex mu_;
};

class Narrator final : public TraceSink {
 public:
  Narrator(Console& console, const char* who) : console_(console), who_(who) {}
  void message(bool sent, std::string_view name, std::string_view summary) override {
    console_.print([&] {
      std::printf("  %-7s %s %-20.*s %.*s\n", who_, sent ? "sends   " : "receives",
                  static_cast<int>(name.size()), name.data(), static_cast<int>(summary.size()),
                  summary.data());
    });
  }
  void secret(std::string_view name) override {
    console_.print([&] {
      std::printf("  %-7s derives  %.*s\n", who_, static_cast<int>(name.size()), name.data());
    });
  }

 private:
  Console& console_;
  const char* who_;
};

std::string name_or(const auto& opt) {
  return opt ? std::string(to_string(*opt)) : "-";
}

}  // namespace

int run_live_demo() {
  auto cert = CertifiedKey::self_signed({"localhost", "127.0.0.1"});
  if (!cert) {
    std::fprintf(stderr, "tls13 demo: %s\n", cert.error().describe().c_str());
    return 1;
  }
  auto anchors = TrustAnchors::from_pem((*cert)->leaf_pem());
  if (!anchors) {
    std::fprintf(stderr, "tls13 demo: %s\n", anchors.error().describe().c_str());
    return 1;
  }
  auto server_cfg = std::make_shared<ServerConfig>();
  server_cfg->certificates = {*cert};
  server_cfg->alpn = {"h2", "http/1.1"};
  auto client_cfg = std::make_shared<ClientConfig>();
  client_cfg->trust = *anchors;
  client_cfg->alpn = {"http/1.1"};
  // The client's first key share (P-256) is not the server's first choice
  // (x25519), so the demo shows a HelloRetryRequest too.
  client_cfg->key_share_groups = {NamedGroup::secp256r1};

  std::string err;
  const int lfd = listen_on("127.0.0.1", 0, err);
  if (lfd < 0) {
    std::fprintf(stderr, "tls13 demo: %s\n", err.c_str());
    return 1;
  }
  sockaddr_storage addr{};
  socklen_t alen = sizeof addr;
  getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &alen);
  const int port = ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);

  std::printf("tls13 demo: a TLS 1.3 server and client in one process over 127.0.0.1:%d\n", port);
  std::printf("server certificate: ephemeral self-signed ECDSA P-256 for localhost, SHA-256 %s…\n",
              (*cert)->fingerprint_sha256().substr(0, 32).c_str());
  std::printf(
      "client: trusts that certificate, offers ALPN http/1.1, key share for secp256r1 only\n");
  std::printf("server: prefers x25519, ALPN h2 then http/1.1\n\n");

  Console console;
  auto say = [&](const std::string& line) { console.say(line); };
  Narrator server_voice(console, "server"), client_voice(console, "client");
  int server_rc = 0;
  std::thread server([&] {
    const int fd = ::accept(lfd, nullptr, nullptr);
    if (fd < 0) {
      server_rc = 1;
      return;
    }
    SocketStream s(fd, Connection::server(server_cfg));
    s.connection().set_trace(&server_voice);
    if (auto r = s.handshake(); !r) {
      say("  server  handshake failed: " + r.error().describe());
      server_rc = 1;
    } else {
      std::uint8_t buf[256];
      auto n = s.read(buf);
      if (n && *n > 0) {
        say("  server  reads    " + std::to_string(*n) + " bytes of application data, echoes them");
        (void)s.write(std::span(buf, *n));
      }
      (void)s.close();
    }
    ::close(fd);
  });

  std::string cerr;
  const int fd = connect_to("127.0.0.1", std::to_string(port), cerr);
  int rc = 1;
  if (fd >= 0) {
    SocketStream c(fd, Connection::client(client_cfg, "localhost"));
    c.connection().set_trace(&client_voice);
    if (auto r = c.handshake(); !r) {
      say("  client  handshake failed: " + r.error().describe());
    } else {
      const auto& info = c.connection().info();
      say("\nhandshake complete:");
      say("  version            TLSv1.3");
      say("  cipher suite       " + name_or(info.cipher_suite));
      say("  group              " + name_or(info.group) +
          (info.hello_retry_request ? " (after a HelloRetryRequest)" : ""));
      say("  server signature   " + name_or(info.signature_scheme));
      say("  ALPN               " + (info.alpn.empty() ? std::string("-") : info.alpn));
      say("  server name        " + info.server_name);
      say(std::string("  certificate        ") +
          (info.peer_verified ? "chain and host name verified" : "NOT verified"));
      const std::string ping = "ping over tls13";
      (void)c.write(std::span(reinterpret_cast<const std::uint8_t*>(ping.data()), ping.size()));
      std::uint8_t buf[256];
      auto n = c.read(buf);
      std::string back = n ? std::string(reinterpret_cast<char*>(buf), *n) : "";
      say("\napplication data: client sent \"" + ping + "\", server echoed \"" + back + "\"");
      (void)c.close();
      rc = back == ping ? 0 : 1;
    }
    ::close(fd);
  } else {
    std::fprintf(stderr, "tls13 demo: %s\n", cerr.c_str());
  }
  server.join();
  ::close(lfd);
  say(rc == 0 && server_rc == 0 ? "\nresult: success, both sides closed with close_notify"
                                : "\nresult: FAILED");
  return rc | server_rc;
}

}  // namespace tls13::cli
