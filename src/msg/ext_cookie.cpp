#include "msg/ext_cookie.h"

#include "msg/codec_util.h"

namespace tls13::msg {

Result<Cookie> Cookie::decode(wire::Bytes body) {
  wire::Reader r(body);
  Cookie out;
  if (!r.read_vector(2, 1, 0xffff, out.cookie) || !r.empty()) {
    return detail::decode_error("cookie: malformed cookie");
  }
  return out;
}

}  // namespace tls13::msg
