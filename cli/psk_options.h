// The CLI's PSK and 0-RTT options shared by client and server:
// --psk-identity ID --psk HEX [--psk-hash sha256|sha384], --psk-modes LIST.
#pragma once

#include <string>
#include <vector>

#include "tls13/config.h"
#include "tls13/connection.h"

namespace tls13::cli {

struct PskOptions {
  std::string identity, key_hex, hash = "sha256";
  std::string modes;  // comma list of psk_dhe_ke, psk_ke; empty: the default
};

// Adds the external PSK (if --psk-identity/--psk were given) and the modes
// to `psks` / `modes`; false with a message on bad input.
bool apply_psk_options(const PskOptions& o, std::vector<ExternalPsk>& psks,
                       std::vector<PskKeyExchangeMode>& modes, std::string& err);

const char* to_string(EarlyDataStatus s);
const char* to_string(PskType t);

// Early data as one printable line: bytes outside 0x20..0x7e as \xNN,
// at most `max` bytes shown.
std::string printable(const std::vector<std::uint8_t>& data, std::size_t max = 256);

}  // namespace tls13::cli
