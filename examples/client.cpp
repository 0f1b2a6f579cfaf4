// A minimal HTTPS client: connect, verify the server, send a GET, print the
// response.   usage: client HOST PORT [CA_FILE [PATH]]
// The server's chain is verified against CA_FILE if given (a CA or a
// self-signed certificate, e.g. the one the example server prints), else
// against the system trust store; its name must match HOST.
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>

#include "tls13/config.h"
#include "tls13/connection.h"
#include "tls13/credentials.h"
#include "tls13/socket.h"

// A TCP connection to host:port, or -1.
static int tcp_connect(const char* host, const char* port) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(host, port, &hints, &res) != 0) return -1;
  int fd = -1;
  for (addrinfo* a = res; a != nullptr && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(res);
  return fd;
}

static int fail(const char* what, const tls13::Error& e) {
  std::fprintf(stderr, "client: %s: %s\n", what, e.describe().c_str());
  return 1;
}

int main(int argc, char** argv) {
  if (argc < 3 || argc > 5) {
    std::fprintf(stderr, "usage: %s HOST PORT [CA_FILE [PATH]]\n", argv[0]);
    return 2;
  }
  auto config = std::make_shared<tls13::ClientConfig>();  // secure defaults
  config->alpn = {"http/1.1"};
  if (argc > 3) {
    auto trust = tls13::TrustAnchors::from_file(argv[3]);
    if (!trust) return fail(argv[3], trust.error());
    config->trust = *trust;  // null (the default) means the system store
  }
  const int fd = tcp_connect(argv[1], argv[2]);
  if (fd < 0) {
    std::fprintf(stderr, "client: cannot connect to %s:%s\n", argv[1], argv[2]);
    return 1;
  }

  tls13::SocketStream tls(fd, tls13::Connection::client(config, argv[1]));
  if (auto r = tls.handshake(); !r) return fail("handshake", r.error());

  const std::string request = std::string("GET ") + (argc > 4 ? argv[4] : "/") +
                              " HTTP/1.1\r\nHost: " + argv[1] + "\r\nConnection: close\r\n\r\n";
  auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(request.data()), request.size());
  if (auto r = tls.write(bytes); !r) return fail("write", r.error());
  std::uint8_t buf[16384];
  for (;;) {
    auto n = tls.read(buf);  // 0: the server closed the connection
    if (!n) return fail("read", n.error());
    if (*n == 0) break;
    std::fwrite(buf, 1, *n, stdout);
  }
  (void)tls.close();
  close(fd);
  return 0;
}
