#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "tls13/socket.h"

namespace tls13 {

namespace {
Error io_error(const char* what) {
  return Error(Alert::internal_error, std::string(what) + ": " + std::strerror(errno));
}
}  // namespace

Result<void> SocketStream::flush() {
  for (auto out = conn_.pending_output(); !out.empty(); out = conn_.pending_output()) {
    const ssize_t n = ::send(fd_, out.data(), out.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("send");
    }
    conn_.consume_output(static_cast<std::size_t>(n));
  }
  return ok();
}

Result<bool> SocketStream::pull() {
  std::uint8_t buf[16 * 1024 + 512];
  for (;;) {
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("recv");
    if (n == 0) return false;
    auto r = conn_.feed(std::span(buf, static_cast<std::size_t>(n)));
    (void)flush();  // an alert, a KeyUpdate answer, or the next flight
    if (!r) return std::move(r).error();
    return true;
  }
}

Result<void> SocketStream::handshake() {
  TLS13_TRY(flush());
  while (!conn_.handshake_complete()) {
    auto more = pull();
    if (!more) return std::move(more).error();
    if (!*more)
      return Error(Alert::handshake_failure, "the peer closed the connection during the handshake");
  }
  return flush();
}

Result<std::size_t> SocketStream::read(std::span<std::uint8_t> out) {
  while (conn_.readable() == 0) {
    if (conn_.peer_closed()) return std::size_t{0};
    auto more = pull();
    if (!more) return std::move(more).error();
    if (!*more) return std::size_t{0};
  }
  return conn_.read(out);
}

Result<void> SocketStream::write(std::span<const std::uint8_t> data) {
  auto n = conn_.write(data);
  if (!n) return std::move(n).error();
  return flush();
}

Result<void> SocketStream::close() {
  conn_.close();
  return flush();
}

}  // namespace tls13
