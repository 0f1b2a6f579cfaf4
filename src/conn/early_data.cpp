// 0-RTT in the record layer (RFC 8446 §4.2.10): the client seals early data
// under client_early_traffic_secret; the server keeps accepted early data
// apart from 1-RTT data, or skips rejected early data up to a limit.
#include <algorithm>

#include "conn/connection_impl.h"

namespace tls13 {

using record::ContentType;

Result<std::size_t> Connection::Impl::write_early_data(std::span<const std::uint8_t> data) {
  if (error) return *error;
  if (side != Side::client) return Error(Alert::internal_error, "write_early_data on a server");
  if (!started) {
    // The ClientHello offers early_data only when there is some to send.
    early_pending.assign(data.begin(), data.end());
    TLS13_TRY(ensure_started());
    const std::vector<std::uint8_t> queued = std::move(early_pending);
    early_pending.clear();
    return seal_early_data(queued);
  }
  return seal_early_data(data);
}

std::size_t Connection::Impl::seal_early_data(std::span<const std::uint8_t> data) {
  if (error || done || sent_close || write_epoch != hs::Epoch::early ||
      negotiated.early_data == EarlyDataStatus::rejected)
    return 0;
  flush_handshake();
  const std::size_t total = std::min(data.size(), early_budget);
  std::size_t written = 0;
  while (written < total) {
    const std::size_t n = std::min(total - written, max_send_fragment);
    if (auto r = write_record(ContentType::application_data, data.subspan(written, n)); !r) {
      fail(std::move(r).error());
      break;
    }
    written += n;
  }
  early_budget -= written;
  return written;
}

void Connection::Impl::expect_early_data(std::size_t limit, bool accepted) {
  early_in_mode = accepted ? EarlyIn::accept : EarlyIn::skip;
  early_limit = limit;
  early_seen = 0;
}

void Connection::Impl::reset_write_protection() {
  flush_handshake();
  sealer.reset();
  write_epoch = hs::Epoch::initial;
  early_budget = 0;
}

Result<void> Connection::Impl::skip_early_record(std::size_t fragment_size) {
  // §5.1: like any record, a skipped one may not split a handshake message.
  if (!reassembler.at_record_boundary())
    return Error(Alert::unexpected_message,
                 "record: 0-RTT record interleaved with a fragmented handshake message");
  // Count roughly the plaintext: the content type byte and the AEAD tag
  // (16 bytes but for CCM_8) are not early data.
  const std::size_t overhead = 1 + (opener ? opener->traffic_key().tag_length() : 16);
  early_seen += fragment_size > overhead ? fragment_size - overhead : 0;
  if (early_seen > early_limit)
    return Error(Alert::unexpected_message, "rejected early data exceeds max_early_data_size (" +
                                                std::to_string(early_limit) + " bytes)");
  return ok();
}

Result<void> Connection::Impl::on_early_data(std::span<const std::uint8_t> content) {
  early_seen += content.size();
  // §4.2.10: more 0-RTT data than max_early_data_size is unexpected_message.
  if (early_seen > early_limit)
    return Error(Alert::unexpected_message, "early data exceeds max_early_data_size (" +
                                                std::to_string(early_limit) + " bytes)");
  if (early_pos > 0 && early_pos == early_in.size()) {
    early_in.clear();
    early_pos = 0;
  }
  early_in.insert(early_in.end(), content.begin(), content.end());
  return ok();
}

}  // namespace tls13
