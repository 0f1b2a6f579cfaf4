// Helpers shared by the tests: locating ../shared, loading RFC 8448 vectors,
// hex conversion.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace tls13::test {

// ../shared beside the checkout (or $TLS13_SHARED_DIR). Fails the test
// (fatal) when missing; never skips.
std::filesystem::path shared_dir();

// Parsed ../shared/spec/rfc8448-vectors.json (loaded once per process).
const nlohmann::json& rfc8448();
// The section object for "3", "4", ... .
const nlohmann::json& rfc8448_section(std::string_view section);
// named[name] of a section as bytes; fails the test when absent.
std::vector<std::uint8_t> rfc8448_named(std::string_view section, std::string_view name);

std::vector<std::uint8_t> hex(std::string_view h);
std::string hex(std::span<const std::uint8_t> b);

inline std::vector<std::uint8_t> bytes(std::string_view s) {
  return std::vector<std::uint8_t>(s.begin(), s.end());
}

}  // namespace tls13::test
