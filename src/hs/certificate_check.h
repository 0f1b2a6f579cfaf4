// The application's certificate checks: ClientConfig::certificate_check
// (and its recheck on resumption) and ServerConfig::client_certificate_check.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/result.h"
#include "hs/psk.h"
#include "tls13/config.h"
#include "tls13/connection.h"

namespace tls13::hs {

// Runs `check`, if set, on `chain`. Its Error is the handshake's; an alert
// that does not end a connection (close_notify, user_canceled) becomes
// certificate_unknown.
Result<void> run_certificate_check(const CertificateCheckFn& check,
                                   std::span<const std::vector<std::uint8_t>> chain);

// ClientConfig::recheck_on_resumption for the resumption PSK `psk`.
Result<void> recheck_resumption(const ClientConfig& cfg, const ClientPsk& psk);

// After EncryptedExtensions: the recheck of a session the server resumed,
// unless it already ran before 0-RTT data that the server accepted.
Result<void> recheck_resumed(const ClientConfig& cfg, std::span<const ClientPsk> psks,
                             std::optional<std::uint16_t> selected, EarlyDataStatus early);

}  // namespace tls13::hs
