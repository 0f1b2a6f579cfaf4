// record_size_limit (RFC 8449 §4): uint16 RecordSizeLimit, in ClientHello and
// EncryptedExtensions.
#pragma once

#include <cstdint>

#include "base/result.h"
#include "msg/extension.h"
#include "wire/writer.h"

namespace tls13::msg {

inline constexpr std::uint16_t kMinRecordSizeLimit = 64;
// TLS 1.3's largest TLSInnerPlaintext: 2^14 + the content type byte.
inline constexpr std::uint16_t kMaxRecordSizeLimitTls13 = (1u << 14) + 1;

// A value below 64 is illegal_parameter (RFC 8449 §4 "MUST treat receipt of a
// smaller value as a fatal error"). Values above 2^14+1 are kept: a server
// must not reject them, a client may (its policy).
struct RecordSizeLimit {
  static constexpr ExtensionType kType = ExtensionType::record_size_limit;
  std::uint16_t limit = kMaxRecordSizeLimitTls13;

  static Result<RecordSizeLimit> decode(wire::Bytes body);
  void encode(wire::Writer& w) const { w.u16(limit); }
};

}  // namespace tls13::msg
