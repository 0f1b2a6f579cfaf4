#include "hs/application_keys.h"

#include <vector>

#include "msg/handshake.h"
#include "msg/key_update.h"

namespace tls13::hs {

Result<void> ApplicationKeys::on_key_update(Io& io, const RawMessage& m) {
  auto ku = msg::KeyUpdate::decode(m.body);
  if (!ku) return std::move(ku).error();
  read_ = ks::next_application_traffic_secret(read_);
  TLS13_TRY(io.install_read_secret(suite_, read_, Epoch::application));
  if (io.tracing())
    io.trace_message(false, "KeyUpdate",
                     ku->request_update == msg::KeyUpdateRequest::update_requested
                         ? "update_requested"
                         : "update_not_requested");
  // §4.6.3: an endpoint that receives several update requests while it is
  // silent answers with a single update, so answer again only after we have
  // sent application data since the last answer.
  if (ku->request_update == msg::KeyUpdateRequest::update_requested &&
      answered_at_ != io.application_records_sent()) {
    answered_at_ = io.application_records_sent();
    return send_key_update(io, false);
  }
  return ok();
}

Result<void> ApplicationKeys::send_key_update(Io& io, bool request_peer_update) {
  msg::KeyUpdate ku;
  ku.request_update = request_peer_update ? msg::KeyUpdateRequest::update_requested
                                          : msg::KeyUpdateRequest::update_not_requested;
  std::vector<std::uint8_t> bytes;
  TLS13_TRY(msg::append_message(bytes, ku));
  io.send_handshake(bytes);  // goes out under the current key
  if (io.tracing())
    io.trace_message(true, "KeyUpdate",
                     request_peer_update ? "update_requested" : "update_not_requested");
  write_ = ks::next_application_traffic_secret(write_);
  return io.install_write_secret(suite_, write_, Epoch::application);
}

}  // namespace tls13::hs
