// server_name (RFC 6066 §3) and application_layer_protocol_negotiation
// (RFC 7301 §3.1).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "base/result.h"
#include "msg/decode_guard.h"
#include "msg/extension.h"
#include "wire/writer.h"

namespace tls13::msg {

inline constexpr std::uint8_t kNameTypeHostName = 0;

// struct { NameType name_type; select (name_type) { case host_name: HostName; } }
// Every name type's data begins with a 16-bit length (RFC 6066 §3), so unknown
// types are read as opaque<0..2^16-1>; HostName is opaque<1..2^16-1>.
struct ServerName {
  std::uint8_t name_type = kNameTypeHostName;
  wire::Bytes name;
};

// ServerNameList (server_name in ClientHello): ServerName
// server_name_list<1..2^16-1>. Two names of one type are illegal_parameter
// ("MUST NOT contain more than one name of the same name_type"). The host
// name's syntax (ASCII, no trailing dot, no IP literal) is the server's
// policy and not checked here.
struct ServerNameList {
  static constexpr ExtensionType kType = ExtensionType::server_name;
  std::vector<ServerName> server_name_list;

  static ServerNameList for_host(wire::Bytes host_name) {
    return ServerNameList{{ServerName{kNameTypeHostName, host_name}}};
  }
  std::optional<wire::Bytes> host_name() const noexcept;

  static Result<ServerNameList> decode(wire::Bytes body);
  TLS13_MSG_NO_DECODE_FROM_TEMPORARY(ServerNameList);
  void encode(wire::Writer& w) const;
};

// server_name in EncryptedExtensions: empty (the server used the name).
using ServerNameAck = EmptyExtension<ExtensionType::server_name>;

// ProtocolNameList: ProtocolName protocol_name_list<2..2^16-1>, ProtocolName
// opaque<1..2^8-1>. The same shape in ClientHello and EncryptedExtensions;
// that the server's list holds exactly one name (RFC 7301 §3.1) is checked by
// the client state machine.
struct ProtocolNameList {
  static constexpr ExtensionType kType = ExtensionType::application_layer_protocol_negotiation;
  std::vector<wire::Bytes> protocol_name_list;

  static Result<ProtocolNameList> decode(wire::Bytes body);
  TLS13_MSG_NO_DECODE_FROM_TEMPORARY(ProtocolNameList);
  void encode(wire::Writer& w) const;
};

}  // namespace tls13::msg
