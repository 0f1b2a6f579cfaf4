#include "bogo/shim_io.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace bogo {

Transport::~Transport() {
  if (fd_ >= 0) ::close(fd_);
}

bool Transport::connect(int port, bool ipv6, std::uint64_t shim_id) {
  sockaddr_storage addr{};
  socklen_t len = 0;
  if (ipv6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&addr);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(static_cast<std::uint16_t>(port));
    a->sin6_addr = in6addr_loopback;
    len = sizeof(*a);
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&addr);
    a->sin_family = AF_INET;
    a->sin_port = htons(static_cast<std::uint16_t>(port));
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = sizeof(*a);
  }
  fd_ = ::socket(addr.ss_family, SOCK_STREAM, 0);
  if (fd_ < 0) {
    std::perror("socket");
    return false;
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0) {
    std::perror("connect");
    return false;
  }
  std::array<std::uint8_t, 8> id{};
  for (int i = 0; i < 8; ++i) id[i] = static_cast<std::uint8_t>(shim_id >> (8 * i));
  return send_all(id);
}

bool Transport::send_all(std::span<const std::uint8_t> data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data = data.subspan(static_cast<std::size_t>(n));
  }
  return true;
}

long Transport::recv_some(std::span<std::uint8_t> out) {
  for (;;) {
    const ssize_t n = ::recv(fd_, out.data(), out.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    return static_cast<long>(n);
  }
}

void Transport::drain_and_close() {
  if (fd_ < 0) return;
  ::shutdown(fd_, SHUT_WR);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  std::array<std::uint8_t, 4096> buf{};
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 500) <= 0) continue;
    if (::recv(fd_, buf.data(), buf.size(), 0) <= 0) break;
  }
  ::close(fd_);
  fd_ = -1;
}

void Driver::flush() {
  auto out = conn_.pending_output();
  if (!out.empty() && !broken_ && !t_.send_all(out)) broken_ = true;
  conn_.consume_output(out.size());
}

bool Driver::pull() {
  std::array<std::uint8_t, 16384> buf{};
  const long n = t_.recv_some(buf);
  if (n < 0) {
    local_error_ = "socket read failed: " + std::string(std::strerror(errno));
    return false;
  }
  if (n == 0) {
    local_error_ = "unexpected end of stream (the peer closed the connection)";
    return false;
  }
  (void)conn_.feed(std::span(buf.data(), static_cast<std::size_t>(n)));
  while (conn_.next_event()) {
  }
  return true;
}

bool Driver::handshake(bool until_early_data) {
  for (;;) {
    flush();
    if (conn_.failed()) return false;
    if (conn_.handshake_complete()) return true;
    if (until_early_data && conn_.info().early_data == tls13::EarlyDataStatus::accepted)
      return true;
    if (!pull()) return false;
  }
}

std::optional<std::size_t> Driver::read(std::span<std::uint8_t> out) {
  for (;;) {
    if (conn_.early_data_readable() > 0) return conn_.read_early_data(out);
    if (conn_.readable() > 0) return conn_.read(out);
    flush();
    if (conn_.failed()) return std::nullopt;
    if (conn_.peer_closed()) return 0;
    if (!pull()) {
      if (conn_.failed()) return std::nullopt;
      // BoGo's shim stops on a clean or an unclean end of stream alike.
      if (local_error_.rfind("unexpected end", 0) == 0) return 0;
      return std::nullopt;
    }
  }
}

bool Driver::write(std::span<const std::uint8_t> data) {
  auto r = conn_.write(data);
  flush();
  if (!r) return false;
  if (broken_) {
    local_error_ = "socket write failed";
    return false;
  }
  return true;
}

bool Driver::wait_close_notify() {
  std::array<std::uint8_t, 4096> discard{};
  for (;;) {
    while (conn_.readable() > 0) conn_.read(discard);
    if (conn_.failed()) return false;
    if (conn_.peer_closed()) return true;
    if (!pull()) return false;
  }
}

int Driver::report_failure() {
  flush();  // the alert, if any
  t_.drain_and_close();
  if (conn_.failed() && conn_.error()) return report(*conn_.error());
  std::fprintf(stderr, "%s\n", local_error_.empty() ? "failure" : local_error_.c_str());
  return 1;
}

int report(const tls13::Error& e) {
  std::fprintf(stderr, "tls13 error: %s\n", e.describe().c_str());
  return 1;
}

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

namespace {
int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}
}  // namespace

std::vector<std::vector<std::uint8_t>> pem_certificates(const std::string& pem) {
  static const std::string kBegin = "-----BEGIN CERTIFICATE-----";
  static const std::string kEnd = "-----END CERTIFICATE-----";
  std::vector<std::vector<std::uint8_t>> out;
  std::size_t pos = 0;
  while ((pos = pem.find(kBegin, pos)) != std::string::npos) {
    const std::size_t body = pos + kBegin.size();
    const std::size_t end = pem.find(kEnd, body);
    if (end == std::string::npos) break;
    std::vector<std::uint8_t> der;
    unsigned acc = 0;
    int bits = 0;
    for (std::size_t i = body; i < end; ++i) {
      const int v = b64_value(pem[i]);
      if (v < 0) continue;  // whitespace and '=' padding
      acc = (acc << 6) | static_cast<unsigned>(v);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        der.push_back(static_cast<std::uint8_t>(acc >> bits));
        acc &= (1u << bits) - 1;
      }
    }
    out.push_back(std::move(der));
    pos = end + kEnd.size();
  }
  return out;
}

}  // namespace bogo
