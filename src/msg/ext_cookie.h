// cookie (RFC 8446 §4.2.2): sent by the server in HelloRetryRequest and
// echoed by the client in its second ClientHello.
#pragma once

#include "base/result.h"
#include "msg/decode_guard.h"
#include "msg/extension.h"
#include "wire/writer.h"

namespace tls13::msg {

// struct { opaque cookie<1..2^16-1>; } — a view.
struct Cookie {
  static constexpr ExtensionType kType = ExtensionType::cookie;
  wire::Bytes cookie;

  static Result<Cookie> decode(wire::Bytes body);
  TLS13_MSG_NO_DECODE_FROM_TEMPORARY(Cookie);
  void encode(wire::Writer& w) const { w.vector(2, cookie); }
};

}  // namespace tls13::msg
