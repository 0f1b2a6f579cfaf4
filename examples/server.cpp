// A minimal TLS server that echoes: it answers each HTTP request with a
// 200 response whose body is the request itself.
//   usage: server PORT [CERT_FILE KEY_FILE]
// Without CERT_FILE/KEY_FILE it makes a self-signed certificate for
// localhost and 127.0.0.1 and prints it, for `client localhost PORT cert.pem`.
// PORT 0 picks a free port; the port in use is printed either way.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>

#include "tls13/config.h"
#include "tls13/connection.h"
#include "tls13/credentials.h"
#include "tls13/socket.h"

static void serve(int fd, const std::shared_ptr<const tls13::ServerConfig>& config) {
  tls13::SocketStream tls(fd, tls13::Connection::server(config));
  if (auto r = tls.handshake(); !r) {
    std::fprintf(stderr, "server: handshake: %s\n", r.error().describe().c_str());
    return;
  }
  std::string request;
  std::uint8_t buf[4096];
  while (request.find("\r\n\r\n") == std::string::npos) {  // read up to the blank line
    auto n = tls.read(buf);
    if (!n || *n == 0) return;
    request.append(reinterpret_cast<const char*>(buf), *n);
  }
  const std::string response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                               std::to_string(request.size()) + "\r\nConnection: close\r\n\r\n" +
                               request;
  (void)tls.write(
      std::span(reinterpret_cast<const std::uint8_t*>(response.data()), response.size()));
  (void)tls.close();
}

int main(int argc, char** argv) {
  if (argc != 2 && argc != 4) {
    std::fprintf(stderr, "usage: %s PORT [CERT_FILE KEY_FILE]\n", argv[0]);
    return 2;
  }
  auto key = argc == 4 ? tls13::CertifiedKey::from_files(argv[2], argv[3])
                       : tls13::CertifiedKey::self_signed({"localhost", "127.0.0.1"});
  if (!key) {
    std::fprintf(stderr, "server: %s\n", key.error().describe().c_str());
    return 1;
  }
  auto config = std::make_shared<tls13::ServerConfig>();  // secure defaults
  config->certificates.push_back(*key);
  if (argc == 2) std::printf("%s", (*key)->leaf_pem().c_str());

  const int lfd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(std::atoi(argv[1])));
  socklen_t len = sizeof addr;
  if (bind(lfd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(lfd, 16) != 0 ||
      getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::perror("server: listen");
    return 1;
  }
  std::printf("listening on port %d\n", ntohs(addr.sin_port));
  std::fflush(stdout);
  for (;;) {  // one connection at a time
    const int fd = accept(lfd, nullptr, nullptr);
    if (fd < 0) continue;
    serve(fd, config);
    close(fd);
  }
}
