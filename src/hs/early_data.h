// 0-RTT on the server (RFC 8446 §4.2.10, §8): whether to accept the early
// data offered under a PSK (single-use tickets plus a freshness check), and
// how much rejected early data to skip.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hs/psk.h"
#include "tls13/config.h"

namespace tls13::hs {

// Bytes of rejected early data skipped at least (§4.2.10), when 0-RTT is
// off or the ticket promised less.
inline constexpr std::size_t kMinSkippedEarlyData = 16384;

// The early data that `psk` (just verified) may carry, or 0 to reject it.
// Accepted only when 0-RTT is on, `psk` is the client's first PSK, a ticket
// promising early data, the handshake keeps that ticket's suite and ALPN,
// the ticket age the client reports is within cfg.early_data_window_ms of
// ours (§8.3), and cfg.replay_store has not seen the ticket (§8.1); the
// store is asked last, so that only tickets otherwise accepted use it up.
std::uint32_t accept_early_data(const ServerConfig& cfg, const ServerPsk& psk, CipherSuite suite,
                                std::string_view alpn, std::int64_t now);

// How many bytes of early data to skip when not accepting it (§4.2.10:
// "up to the configured max_early_data_size").
std::size_t rejected_early_data_limit(const ServerConfig& cfg, const ServerPsk* psk);

}  // namespace tls13::hs
