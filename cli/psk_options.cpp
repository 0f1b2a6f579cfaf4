#include "cli/psk_options.h"

#include <cstdio>

#include "base/hex.h"
#include "cli/net.h"

namespace tls13::cli {

bool apply_psk_options(const PskOptions& o, std::vector<ExternalPsk>& psks,
                       std::vector<PskKeyExchangeMode>& modes, std::string& err) {
  if (o.identity.empty() != o.key_hex.empty()) {
    err = "--psk-identity and --psk go together";
    return false;
  }
  if (!o.identity.empty()) {
    auto key = from_hex(o.key_hex);
    if (!key || key->empty()) {
      err = "--psk: not a hex string";
      return false;
    }
    if (o.hash != "sha256" && o.hash != "sha384") {
      err = "--psk-hash: sha256 or sha384, not " + o.hash;
      return false;
    }
    psks.emplace_back(std::vector<std::uint8_t>(o.identity.begin(), o.identity.end()),
                      std::move(*key), o.hash == "sha384" ? PskHash::sha384 : PskHash::sha256);
  }
  if (!o.modes.empty()) {
    modes.clear();
    for (const auto& m : split(o.modes)) {
      if (m == "psk_dhe_ke") {
        modes.push_back(PskKeyExchangeMode::psk_dhe_ke);
      } else if (m == "psk_ke") {
        modes.push_back(PskKeyExchangeMode::psk_ke);
      } else {
        err = "--psk-modes: psk_dhe_ke or psk_ke, not " + m;
        return false;
      }
    }
  }
  return true;
}

const char* to_string(EarlyDataStatus s) {
  switch (s) {
    case EarlyDataStatus::accepted:
      return "accepted";
    case EarlyDataStatus::rejected:
      return "rejected";
    case EarlyDataStatus::not_offered:
      break;
  }
  return "not_offered";
}

const char* to_string(PskType t) {
  switch (t) {
    case PskType::resumption:
      return "resumption";
    case PskType::external:
      return "external";
    case PskType::none:
      break;
  }
  return "none";
}

std::string printable(const std::vector<std::uint8_t>& data, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < data.size() && i < max; ++i) {
    const std::uint8_t b = data[i];
    if (b >= 0x20 && b < 0x7f && b != '\\') {
      out += static_cast<char>(b);
    } else {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", b);
      out += buf;
    }
  }
  if (data.size() > max) out += "...";
  return out;
}

}  // namespace tls13::cli
