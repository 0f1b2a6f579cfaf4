// Hex encoding for diagnostics, tests and the CLI.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tls13 {

std::string to_hex(std::span<const std::uint8_t> bytes);
// Accepts upper or lower case; ignores whitespace. nullopt on odd length or a
// non-hex character.
std::optional<std::vector<std::uint8_t>> from_hex(std::string_view hex);

}  // namespace tls13
