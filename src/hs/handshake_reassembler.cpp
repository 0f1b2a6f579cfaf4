#include "hs/handshake_reassembler.h"

#include <string>

namespace tls13::hs {

namespace {
constexpr std::size_t kHeader = 4;
}

Result<void> HandshakeReassembler::add(std::span<const std::uint8_t> content) {
  if (content.empty()) {
    // §5.1: zero-length fragments of handshake messages are forbidden.
    return Error(Alert::unexpected_message, "empty handshake record");
  }
  // Drop what next() already returned.
  if (pos_ > 0) {
    buf_.consume(pos_);
    pos_ = 0;
  }
  // Memory stays bounded: next() rejects a declared length over the cap as
  // soon as a header is complete, and callers drain next() after each add(),
  // so at most one partial message plus one record is ever held.
  buf_.append(content);
  return ok();
}

Result<std::optional<RawMessage>> HandshakeReassembler::next() {
  const std::size_t avail = buf_.size() - pos_;
  if (avail < kHeader) return std::optional<RawMessage>{};
  const std::uint8_t* p = buf_.data() + pos_;
  const std::size_t len = (std::size_t{p[1]} << 16) | (std::size_t{p[2]} << 8) | p[3];
  if (len > max_message_) {
    return Error(Alert::illegal_parameter, "handshake message of " + std::to_string(len) +
                                               " bytes exceeds the limit of " +
                                               std::to_string(max_message_));
  }
  if (avail < kHeader + len) return std::optional<RawMessage>{};
  RawMessage m;
  m.type = p[0];
  m.full = std::span<const std::uint8_t>(p, kHeader + len);
  m.body = m.full.subspan(kHeader);
  pos_ += kHeader + len;
  return std::optional<RawMessage>{m};
}

Result<void> HandshakeReassembler::check_key_change() const {
  if (!at_record_boundary()) {
    return Error(Alert::unexpected_message,
                 "handshake message before a key change does not end at a record boundary");
  }
  return ok();
}

}  // namespace tls13::hs
