#include "hs/common.h"

#include "base/hex.h"

namespace tls13::hs {

Result<void> check_solicited(const msg::ExtensionList& received,
                             std::span<const std::uint16_t> sent, std::string_view message) {
  for (const auto& e : received) {
    bool found = false;
    for (std::uint16_t s : sent) found = found || s == e.type;
    if (!found)
      return Error(Alert::unsupported_extension, std::string(message) + " carries extension " +
                                                     std::string(msg::to_string(e.kind())) +
                                                     " that was not offered");
  }
  return ok();
}

Error unexpected(std::uint8_t type, std::string_view state) {
  return Error(Alert::unexpected_message,
               std::string(msg::to_string(static_cast<msg::HandshakeType>(type))) +
                   " received while " + std::string(state));
}

std::string hex_prefix(std::span<const std::uint8_t> b, std::size_t n) {
  return to_hex(b.first(std::min(n, b.size()))) + (b.size() > n ? "…" : "");
}

}  // namespace tls13::hs
