// Reassembles handshake messages from handshake-record payloads (RFC 8446
// §5.1): a message may span records and a record may carry several messages.
// Enforces the message size cap and the rule that a message preceding a key
// change ends at a record boundary.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/result.h"
#include "record/record_buffer.h"

namespace tls13::hs {

struct RawMessage {
  std::uint8_t type = 0;
  std::span<const std::uint8_t> body;  // without the 4-byte header
  std::span<const std::uint8_t> full;  // with the header: what the transcript hashes
};

class HandshakeReassembler {
 public:
  // `max_message` bounds the body length of any single message; the peer
  // controls it, so it is the largest buffer this class will ever hold.
  explicit HandshakeReassembler(std::size_t max_message) : max_message_(max_message) {}

  void set_max_message(std::size_t n) noexcept { max_message_ = n; }

  // Appends one handshake record's content. Views returned by next() before
  // this call become invalid.
  Result<void> add(std::span<const std::uint8_t> record_content);

  // The next complete message, if any. Fails on a message over the cap.
  Result<std::optional<RawMessage>> next();

  // True when no partial message is buffered (a record boundary).
  bool at_record_boundary() const noexcept { return pos_ == buf_.size(); }
  // Keys may change only at a record boundary (RFC 8446 §5.1).
  Result<void> check_key_change() const;

  std::size_t buffered() const noexcept { return buf_.size() - pos_; }

  // Once every message was taken (and the views next() gave are no longer
  // used), gives the buffer's memory back.
  void trim() noexcept {
    if (pos_ == buf_.size()) {
      buf_.clear();
      pos_ = 0;
    }
  }

 private:
  record::RecordBuffer buf_;
  std::size_t pos_ = 0;  // start of the first unreturned byte
  std::size_t max_message_;
};

}  // namespace tls13::hs
