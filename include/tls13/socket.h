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

  // Runs the handshake to completion.
  Result<void> handshake();
  // Reads application data; 0 when the peer closed the connection.
  Result<std::size_t> read(std::span<std::uint8_t> out);
  Result<void> write(std::span<const std::uint8_t> data);
  // Sends close_notify.
  Result<void> close();

  Connection& connection() noexcept { return conn_; }

 private:
  Result<void> flush();
  Result<bool> pull();  // false on end of stream

  int fd_;
  Connection conn_;
};

}  // namespace tls13
