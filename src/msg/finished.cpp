#include "msg/finished.h"

#include "msg/codec_util.h"

namespace tls13::msg {

Result<Finished> Finished::decode(wire::Bytes body, std::size_t hash_length) {
  if (body.size() != hash_length) {
    return detail::decode_error("Finished: verify_data length does not match the hash");
  }
  return Finished{body};
}

}  // namespace tls13::msg
