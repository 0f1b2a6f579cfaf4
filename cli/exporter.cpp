#include "cli/exporter.h"

#include <cstdlib>
#include <vector>

#include "base/hex.h"

namespace tls13::cli {

std::optional<std::string> exporter_hex(const Connection& c, const std::string& spec,
                                        std::string& err) {
  const auto colon = spec.rfind(':');
  const long len =
      colon == std::string::npos ? 0 : std::strtol(spec.c_str() + colon + 1, nullptr, 10);
  if (len <= 0 || len > 16320) {
    err = "--export needs LABEL:LENGTH with LENGTH in 1..16320";
    return std::nullopt;
  }
  std::vector<std::uint8_t> km(static_cast<std::size_t>(len));
  auto r = c.export_keying_material(spec.substr(0, colon), {}, km);
  if (!r) {
    err = r.error().describe();
    return std::nullopt;
  }
  return to_hex(km);
}

}  // namespace tls13::cli
