#include "msg/ext_record_size_limit.h"

#include "msg/codec_util.h"

namespace tls13::msg {

Result<RecordSizeLimit> RecordSizeLimit::decode(wire::Bytes body) {
  wire::Reader r(body);
  RecordSizeLimit out;
  if (!r.read_u16(out.limit) || !r.empty()) {
    return detail::decode_error("record_size_limit: malformed value");
  }
  if (out.limit < kMinRecordSizeLimit) {
    return detail::illegal_parameter("record_size_limit: below 64");
  }
  return out;
}

}  // namespace tls13::msg
