// Socket helpers and list parsing for the CLI.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tls13/config.h"

namespace tls13::cli {

int connect_to(const std::string& host, const std::string& port, std::string& err);
// `reuse_port`: SO_REUSEPORT, so several sockets can listen on one port.
int listen_on(const std::string& host, int port, std::string& err, int backlog = 64,
              bool reuse_port = false);

std::vector<std::string> split(const std::string& s, char sep = ',');
// Applies --suites / --groups to a config; false with a message on an
// unknown name.
bool apply_lists(CommonConfig& cfg, const std::string& suites, const std::string& groups,
                 std::string& err);

}  // namespace tls13::cli
