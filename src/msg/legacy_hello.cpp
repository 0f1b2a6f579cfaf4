#include "msg/legacy_hello.h"

#include <algorithm>

namespace tls13::msg {
namespace {
// What follows the fixed fields of an extension-less hello: nothing, or an
// empty extensions block (TLS 1.2 servers send either).
bool no_extensions_follow(wire::Reader& r) noexcept {
  if (r.empty()) return true;
  std::uint16_t len;
  return r.read_u16(len) && len == 0 && r.empty();
}
}  // namespace

std::optional<std::uint16_t> peek_legacy_version(wire::Bytes body) noexcept {
  wire::Reader r(body);
  std::uint16_t v;
  if (!r.read_u16(v)) return std::nullopt;
  return v;
}

bool is_extensionless_client_hello(wire::Bytes body) noexcept {
  wire::Reader r(body);
  std::uint16_t version;
  wire::Bytes random, sid, suites, comp;
  return r.read_u16(version) && r.read_bytes(32, random) && r.read_vector(1, 0, 32, sid) &&
         r.read_vector(2, 2, 0xfffe, suites) && r.read_vector(1, 1, 0xff, comp) &&
         no_extensions_follow(r);
}

std::optional<Random> extensionless_server_hello_random(wire::Bytes body) noexcept {
  wire::Reader r(body);
  std::uint16_t version, suite;
  std::uint8_t comp;
  wire::Bytes random, sid;
  if (!(r.read_u16(version) && r.read_bytes(32, random) && r.read_vector(1, 0, 32, sid) &&
        r.read_u16(suite) && r.read_u8(comp) && no_extensions_follow(r)))
    return std::nullopt;
  Random out;
  std::copy(random.begin(), random.end(), out.begin());
  return out;
}

}  // namespace tls13::msg
