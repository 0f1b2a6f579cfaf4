// The 5-byte record header and unprotected records (RFC 8446 §5.1):
//   struct { ContentType type; ProtocolVersion legacy_record_version;
//            uint16 length; opaque fragment[length]; } TLSPlaintext;
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "base/result.h"
#include "record/content_type.h"

namespace tls13::record {

struct RecordHeader {
  ContentType type = ContentType::invalid;
  std::uint16_t legacy_version = kLegacyRecordVersion;
  std::uint16_t length = 0;  // of the fragment that follows the header
};

// Writes `h` into the first 5 bytes of `out` (which must hold them).
void write_header(const RecordHeader& h, std::span<std::uint8_t> out) noexcept;

// Reads the header at the start of `in`, which a deframer uses to know how
// many bytes the record needs. decode_error when fewer than 5 bytes;
// unexpected_message for a type RFC 8446 does not define (§5);
// record_overflow when length > 2^14 + 256, which no record, protected or
// not, may exceed (§5.2). legacy_record_version is not checked (§5.1: "MUST
// be ignored for all purposes").
Result<RecordHeader> parse_header(std::span<const std::uint8_t> in);

struct PlaintextRecord {
  ContentType type = ContentType::invalid;
  std::span<const std::uint8_t> fragment;  // points into the parsed buffer
};

// Parses an unprotected record; `record` is exactly header + fragment
// (decode_error otherwise). Checks beyond parse_header: length <= 2^14
// (record_overflow, §5.1); application_data is never sent unprotected
// (unexpected_message, §5.1); an empty handshake or alert fragment gives
// unexpected_message (§5.1 forbids sending one; §5.4 names the alert).
// Whether change_cipher_spec is acceptable, and that it holds exactly 0x01,
// depends on the handshake phase and is the caller's check (§5).
Result<PlaintextRecord> parse_plaintext(std::span<const std::uint8_t> record);

// Frames an unprotected record in place. `buf` holds 5 bytes of header room
// followed by the fragment (fragment_len bytes); the header is written and
// the record length (5 + fragment_len) returned. internal_error for a
// fragment over 2^14, an empty handshake or alert fragment, the
// application_data or an unknown type, or a buffer that is too small.
Result<std::size_t> frame_plaintext(std::span<std::uint8_t> buf, std::size_t fragment_len,
                                    ContentType type,
                                    std::uint16_t legacy_version = kLegacyRecordVersion);

}  // namespace tls13::record
