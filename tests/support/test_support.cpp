#include "support/test_support.h"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "base/hex.h"

namespace tls13::test {

std::filesystem::path shared_dir() {
  std::filesystem::path p = TLS13_SHARED_DIR;
  if (const char* env = std::getenv("TLS13_SHARED_DIR"); env && *env) p = env;
  if (!std::filesystem::is_directory(p / "spec")) {
    // A missing ../shared must fail loudly: these tests are the proof.
    ADD_FAILURE() << "shared/ not found at " << p << " (set TLS13_SHARED_DIR)";
    throw std::runtime_error("shared/ directory missing: " + p.string());
  }
  return p;
}

const nlohmann::json& rfc8448() {
  static const nlohmann::json doc = [] {
    auto path = shared_dir() / "spec" / "rfc8448-vectors.json";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path.string());
    return nlohmann::json::parse(in);
  }();
  return doc;
}

const nlohmann::json& rfc8448_section(std::string_view section) {
  for (const auto& s : rfc8448().at("sections")) {
    if (s.at("section").get<std::string>() == section) return s;
  }
  throw std::runtime_error("RFC 8448 section not in vectors: " + std::string(section));
}

std::vector<std::uint8_t> rfc8448_named(std::string_view section, std::string_view name) {
  const auto& named = rfc8448_section(section).at("named");
  auto it = named.find(std::string(name));
  if (it == named.end() || !it->is_string()) {
    throw std::runtime_error("RFC 8448 §" + std::string(section) + ": no value named " +
                             std::string(name));
  }
  return hex(it->get<std::string>());
}

std::vector<std::uint8_t> hex(std::string_view h) {
  auto v = from_hex(h);
  if (!v) throw std::runtime_error("bad hex in test data");
  return *v;
}

std::string hex(std::span<const std::uint8_t> b) {
  return to_hex(b);
}

}  // namespace tls13::test
