#include "msg/ext_names.h"

#include "msg/codec_util.h"

namespace tls13::msg {

std::optional<wire::Bytes> ServerNameList::host_name() const noexcept {
  for (const auto& n : server_name_list)
    if (n.name_type == kNameTypeHostName) return n.name;
  return std::nullopt;
}

Result<ServerNameList> ServerNameList::decode(wire::Bytes body) {
  wire::Reader r(body);
  wire::Reader list;
  if (!r.read_prefixed(2, 1, 0xffff, list) || !r.empty()) {
    return detail::decode_error("server_name: malformed server_name_list");
  }
  ServerNameList out;
  while (!list.empty()) {
    ServerName n;
    const std::size_t min = 1;  // HostName<1..2^16-1>; other types may be empty
    if (!list.read_u8(n.name_type) ||
        !list.read_vector(2, n.name_type == kNameTypeHostName ? min : 0, 0xffff, n.name)) {
      return detail::decode_error("server_name: malformed name");
    }
    for (const auto& prev : out.server_name_list) {
      if (prev.name_type == n.name_type) {
        return detail::illegal_parameter("server_name: two names of one type");
      }
    }
    out.server_name_list.push_back(n);
  }
  return out;
}

void ServerNameList::encode(wire::Writer& w) const {
  w.prefixed(2, [&](wire::Writer& b) {
    for (const auto& n : server_name_list) {
      b.u8(n.name_type);
      b.vector(2, n.name);
    }
  });
}

Result<ProtocolNameList> ProtocolNameList::decode(wire::Bytes body) {
  wire::Reader r(body);
  wire::Reader list;
  if (!r.read_prefixed(2, 2, 0xffff, list) || !r.empty()) {
    return detail::decode_error("application_layer_protocol_negotiation: malformed list");
  }
  ProtocolNameList out;
  while (!list.empty()) {
    wire::Bytes name;
    if (!list.read_vector(1, 1, 255, name)) {
      return detail::decode_error("application_layer_protocol_negotiation: malformed name");
    }
    out.protocol_name_list.push_back(name);
  }
  return out;
}

void ProtocolNameList::encode(wire::Writer& w) const {
  w.prefixed(2, [&](wire::Writer& b) {
    for (const auto& n : protocol_name_list) b.vector(1, n);
  });
}

}  // namespace tls13::msg
