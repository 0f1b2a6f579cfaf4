#include "cli/net.h"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace tls13::cli {

int connect_to(const std::string& host, const std::string& port, std::string& err) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &res); rc != 0) {
    err = std::string("cannot resolve ") + host + ": " + gai_strerror(rc);
    return -1;
  }
  int fd = -1;
  for (auto* a = res; a; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
    ::close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0) err = "cannot connect to " + host + ":" + port + ": " + std::strerror(errno);
  return fd;
}

int listen_on(const std::string& host, int port, std::string& err, int backlog, bool reuse_port) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* res = nullptr;
  const std::string p = std::to_string(port);
  if (int rc = getaddrinfo(host.c_str(), p.c_str(), &hints, &res); rc != 0) {
    err = std::string("cannot resolve ") + host + ": " + gai_strerror(rc);
    return -1;
  }
  int fd = ::socket(res->ai_family, res->ai_socktype, res->ai_protocol);
  int one = 1;
  if (fd >= 0) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (fd >= 0 && reuse_port) setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  if (fd < 0 || ::bind(fd, res->ai_addr, res->ai_addrlen) != 0 || ::listen(fd, backlog) != 0) {
    err = "cannot listen on " + host + ":" + p + ": " + std::strerror(errno);
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  return fd;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

bool apply_lists(CommonConfig& cfg, const std::string& suites, const std::string& groups,
                 std::string& err) {
  if (!suites.empty()) {
    cfg.cipher_suites.clear();
    for (const auto& n : split(suites)) {
      auto s = cipher_suite_from_string(n);
      if (!s) {
        err = "unknown cipher suite " + n;
        return false;
      }
      cfg.cipher_suites.push_back(*s);
    }
  }
  if (!groups.empty()) {
    cfg.groups.clear();
    for (const auto& n : split(groups)) {
      auto g = named_group_from_string(n);
      if (!g) {
        err = "unknown group " + n;
        return false;
      }
      cfg.groups.push_back(*g);
    }
  }
  return true;
}

}  // namespace tls13::cli
