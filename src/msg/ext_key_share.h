// key_share (RFC 8446 §4.2.8): a list of shares in ClientHello, one share in
// ServerHello, only the selected group in HelloRetryRequest.
#pragma once

#include <vector>

#include "base/result.h"
#include "msg/decode_guard.h"
#include "msg/extension.h"
#include "tls13/types.h"
#include "wire/reader.h"
#include "wire/writer.h"

namespace tls13::msg {

// struct { NamedGroup group; opaque key_exchange<1..2^16-1>; }
// key_exchange is a view. Its contents (point format, length per group) are
// checked by the key exchange, not here.
struct KeyShareEntry {
  NamedGroup group{};
  wire::Bytes key_exchange;

  // Reads one entry from `r` (no end-of-input check).
  [[nodiscard]] static bool read(wire::Reader& r, KeyShareEntry& out);
  void encode(wire::Writer& w) const;
};

// KeyShareClientHello: KeyShareEntry client_shares<0..2^16-1>. An empty list
// asks for a HelloRetryRequest. Two shares for one group are illegal_parameter
// (§4.2.8 "Clients MUST NOT offer multiple KeyShareEntry values for the same
// group").
struct KeyShareClientHello {
  static constexpr ExtensionType kType = ExtensionType::key_share;
  std::vector<KeyShareEntry> client_shares;

  const KeyShareEntry* find(NamedGroup g) const noexcept;

  static Result<KeyShareClientHello> decode(wire::Bytes body);
  TLS13_MSG_NO_DECODE_FROM_TEMPORARY(KeyShareClientHello);
  void encode(wire::Writer& w) const;
};

// KeyShareServerHello: KeyShareEntry server_share.
struct KeyShareServerHello {
  static constexpr ExtensionType kType = ExtensionType::key_share;
  KeyShareEntry server_share;

  static Result<KeyShareServerHello> decode(wire::Bytes body);
  TLS13_MSG_NO_DECODE_FROM_TEMPORARY(KeyShareServerHello);
  void encode(wire::Writer& w) const { server_share.encode(w); }
};

// KeyShareHelloRetryRequest: NamedGroup selected_group.
struct KeyShareHelloRetryRequest {
  static constexpr ExtensionType kType = ExtensionType::key_share;
  NamedGroup selected_group{};

  static Result<KeyShareHelloRetryRequest> decode(wire::Bytes body);
  void encode(wire::Writer& w) const { w.u16(static_cast<std::uint16_t>(selected_group)); }
};

}  // namespace tls13::msg
