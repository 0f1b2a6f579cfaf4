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

void reorder_extensions(msg::ExtensionList& list, std::span<const std::uint16_t> order) {
  if (order.empty()) return;
  msg::ExtensionList sorted;
  for (std::uint16_t t : order)
    if (auto e = list.find(t); e && !sorted.contains(t)) sorted.add(t, e->body);
  for (const auto& e : list)
    if (!sorted.contains(e.type)) sorted.add(e.type, e.body);
  list = std::move(sorted);
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
