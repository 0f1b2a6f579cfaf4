#include "msg/end_of_early_data.h"

#include "msg/codec_util.h"

namespace tls13::msg {

Result<EndOfEarlyData> EndOfEarlyData::decode(wire::Bytes body) {
  if (!body.empty()) return detail::decode_error("EndOfEarlyData: body must be empty");
  return EndOfEarlyData{};
}

}  // namespace tls13::msg
