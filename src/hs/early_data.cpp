// 0-RTT acceptance and anti-replay (early_data.h), and the public
// InMemoryReplayStore of tls13/config.h.
#include "hs/early_data.h"

#include <algorithm>
#include <cstdlib>

#include "crypto/hash.h"

namespace tls13 {

bool InMemoryReplayStore::insert_once(std::span<const std::uint8_t> key, std::int64_t expires,
                                      std::int64_t now) {
  std::vector<std::uint8_t> k(key.begin(), key.end());
  std::lock_guard lock(mu_);
  // Forget what can no longer be replayed successfully: past its window a
  // replay fails the freshness check anyway.
  while (!by_expiry_.empty() && by_expiry_.begin()->first <= now) {
    keys_.erase(by_expiry_.begin()->second);
    by_expiry_.erase(by_expiry_.begin());
  }
  if (keys_.count(k)) return false;
  if (keys_.size() >= capacity_) return false;  // full: refuse rather than forget
  keys_.insert(k);
  by_expiry_.emplace(expires, std::move(k));
  return true;
}

std::size_t InMemoryReplayStore::size() const {
  std::lock_guard lock(mu_);
  return keys_.size();
}

}  // namespace tls13

namespace tls13::hs {

std::uint32_t accept_early_data(const ServerConfig& cfg, const ServerPsk& psk, CipherSuite suite,
                                std::string_view alpn, std::int64_t now) {
  if (cfg.max_early_data_size == 0 || !cfg.replay_store) return 0;
  // §4.2.10: only the first PSK, with the ticket's version (always 1.3
  // here), cipher suite and ALPN.
  if (psk.index != 0 || !psk.ticket || psk.ticket->max_early_data_size == 0) return 0;
  if (psk.ticket->suite != suite || psk.ticket->alpn != alpn) return 0;
  // §8.3: the age the client reports against the age we know. Both are
  // whole seconds on our side, hence the extra second.
  const std::int64_t client_age_ms =
      static_cast<std::uint32_t>(psk.obfuscated_age - psk.ticket->age_add);
  const std::int64_t our_age_ms = (now - psk.ticket->created) * 1000;
  const std::int64_t window_ms = static_cast<std::int64_t>(cfg.early_data_window_ms) + 1000;
  if (std::abs(client_age_ms - our_age_ms) > window_ms) return 0;
  // §8.1: single use. A replay of this ClientHello stays fresh for at most
  // 2 x window after now, so the entry need not outlive that.
  const auto key = crypto::Hash::oneshot(crypto::HashId::sha256, psk.identity);
  const std::int64_t expires = now + (2 * window_ms + 999) / 1000 + 1;
  if (!cfg.replay_store->insert_once(key.span(), expires, now)) return 0;
  return psk.ticket->max_early_data_size;
}

std::size_t rejected_early_data_limit(const ServerConfig& cfg, const ServerPsk* psk) {
  std::size_t limit = std::max<std::size_t>(kMinSkippedEarlyData, cfg.max_early_data_size);
  if (psk && psk->ticket) limit = std::max<std::size_t>(limit, psk->ticket->max_early_data_size);
  return limit;
}

}  // namespace tls13::hs
