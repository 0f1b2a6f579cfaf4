// The second ClientHello after a HelloRetryRequest (RFC 8446 §4.1.2): the
// client "MUST respond with the same ClientHello" but for the key share,
// early_data, the cookie, the PSKs' ages and binders (and PSKs the chosen
// suite cannot use) and padding.
#pragma once

#include <cstdint>
#include <vector>

#include "base/result.h"
#include "msg/client_hello.h"
#include "msg/limits.h"

namespace tls13::hs {

// What the server keeps of the first ClientHello when it sends a
// HelloRetryRequest.
struct FirstClientHello {
  std::vector<std::uint8_t> body;          // the ClientHello message body
  std::vector<std::uint8_t> psk_identity;  // the PSK the server would have used, if any
};

// illegal_parameter when `second` differs from the first ClientHello in
// anything §4.1.2 does not allow, or no longer offers the PSK the server
// chose the first time. (The key share, cookie and early_data rules are
// the server's own checks.)
Result<void> check_second_client_hello(const FirstClientHello& first,
                                       const msg::ClientHello& second,
                                       const msg::DecodeLimits& limits);

}  // namespace tls13::hs
