#include "msg/ext_key_share.h"

#include <algorithm>
#include <cstdint>

#include "msg/codec_util.h"

namespace tls13::msg {

bool KeyShareEntry::read(wire::Reader& r, KeyShareEntry& out) {
  std::uint16_t g;
  if (!r.read_u16(g) || !r.read_vector(2, 1, 0xffff, out.key_exchange)) return false;
  out.group = static_cast<NamedGroup>(g);
  return true;
}

void KeyShareEntry::encode(wire::Writer& w) const {
  w.u16(static_cast<std::uint16_t>(group));
  w.vector(2, key_exchange);
}

const KeyShareEntry* KeyShareClientHello::find(NamedGroup g) const noexcept {
  for (const auto& e : client_shares)
    if (e.group == g) return &e;
  return nullptr;
}

Result<KeyShareClientHello> KeyShareClientHello::decode(wire::Bytes body) {
  wire::Reader r(body);
  wire::Reader list;
  if (!r.read_prefixed(2, 0, 0xffff, list) || !r.empty()) {
    return detail::decode_error("key_share: malformed client_shares");
  }
  KeyShareClientHello out;
  std::vector<std::uint16_t> groups;
  while (!list.empty()) {
    KeyShareEntry e;
    if (!KeyShareEntry::read(list, e)) return detail::decode_error("key_share: malformed entry");
    groups.push_back(static_cast<std::uint16_t>(e.group));
    out.client_shares.push_back(e);
  }
  // Sorted copy: the list may hold thousands of tiny entries.
  std::ranges::sort(groups);
  if (std::ranges::adjacent_find(groups) != groups.end()) {
    return detail::illegal_parameter("key_share: two shares for one group");
  }
  return out;
}

void KeyShareClientHello::encode(wire::Writer& w) const {
  w.prefixed(2, [&](wire::Writer& b) {
    for (const auto& e : client_shares) e.encode(b);
  });
}

Result<KeyShareServerHello> KeyShareServerHello::decode(wire::Bytes body) {
  wire::Reader r(body);
  KeyShareServerHello out;
  if (!KeyShareEntry::read(r, out.server_share) || !r.empty()) {
    return detail::decode_error("key_share: malformed server_share");
  }
  return out;
}

Result<KeyShareHelloRetryRequest> KeyShareHelloRetryRequest::decode(wire::Bytes body) {
  wire::Reader r(body);
  std::uint16_t g;
  if (!r.read_u16(g) || !r.empty()) {
    return detail::decode_error("key_share: malformed selected_group");
  }
  return KeyShareHelloRetryRequest{static_cast<NamedGroup>(g)};
}

}  // namespace tls13::msg
