#include "hs/negotiation.h"

#include "crypto/algorithms.h"
#include "crypto/key_exchange.h"

namespace tls13::hs {

std::optional<CipherSuite> select_cipher_suite(std::span<const CipherSuite> server_prefs,
                                               std::span<const CipherSuite> client_offer) {
  for (CipherSuite s : server_prefs)
    if (crypto::suite_info(s) && contains(client_offer, s)) return s;
  return std::nullopt;
}

std::optional<GroupChoice> select_group(std::span<const NamedGroup> server_prefs,
                                        std::span<const NamedGroup> client_supported,
                                        std::span<const NamedGroup> client_shares) {
  for (NamedGroup g : server_prefs) {
    if (!crypto::key_exchange_supported(g) || !contains(client_supported, g)) continue;
    return GroupChoice{g, !contains(client_shares, g)};
  }
  return std::nullopt;
}

Result<std::string> select_alpn(std::span<const std::string> server_prefs,
                                std::span<const std::string> client_offer, bool required) {
  if (server_prefs.empty() || client_offer.empty()) return std::string();
  for (const auto& p : server_prefs)
    if (contains(client_offer, p)) return p;
  if (required)
    return Error(Alert::no_application_protocol,
                 "the client offers none of the server's application protocols");
  return std::string();
}

}  // namespace tls13::hs
