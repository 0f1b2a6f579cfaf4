#include "cli/keylog.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>

#include "base/hex.h"

namespace tls13::cli {

KeyLogFn make_key_log(const std::string& path) {
  std::string file = path;
  if (file.empty()) {
    const char* env = std::getenv("SSLKEYLOGFILE");
    if (!env || !*env) return {};
    file = env;
  }
  struct Sink {
    std::mutex mu;
    std::FILE* f = nullptr;
    ~Sink() {
      if (f) std::fclose(f);
    }
  };
  auto sink = std::make_shared<Sink>();
  sink->f = std::fopen(file.c_str(), "a");
  if (!sink->f) {
    std::fprintf(stderr, "tls13: cannot open key log file %s\n", file.c_str());
    return {};
  }
  return [sink](std::string_view label, std::span<const std::uint8_t> client_random,
                std::span<const std::uint8_t> secret) {
    std::lock_guard<std::mutex> lock(sink->mu);
    std::fprintf(sink->f, "%.*s %s %s\n", static_cast<int>(label.size()), label.data(),
                 to_hex(client_random).c_str(), to_hex(secret).c_str());
    std::fflush(sink->f);
  };
}

}  // namespace tls13::cli
