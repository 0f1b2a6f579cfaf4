// A thin blocking adapter: drives a sans-I/O Connection over a connected
// stream socket (POSIX file descriptor).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "tls13/connection.h"

namespace tls13 {

class SocketStream {
 public:
  // Takes the connection; does not own or close `fd`.
  SocketStream(int fd, Connection conn) : fd_(fd), conn_(std::move(conn)) {}

  // Runs the handshake to completion. On failure the alert has been sent
  // (when the socket still works) and the connection is dead.
  Result<void> handshake();
  // Blocks until application data arrives and copies up to out.size()
  // bytes; 0 when the peer sent close_notify or closed the socket.
  Result<std::size_t> read(std::span<std::uint8_t> out);
  // Encrypts and sends all of `data`; needs a complete handshake.
  Result<void> write(std::span<const std::uint8_t> data);
  // Sends close_notify; the socket stays open (the caller owns it).
  Result<void> close();
  // Sends whatever the connection has queued, e.g. after
  // Connection::request_client_auth() or send_tickets().
  Result<void> flush();

  // The underlying connection, e.g. for info() after the handshake.
  Connection& connection() noexcept { return conn_; }

 private:
  Result<bool> pull();  // false on end of stream

  int fd_;
  Connection conn_;
};

}  // namespace tls13
