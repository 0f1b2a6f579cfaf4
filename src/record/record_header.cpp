#include "record/record_header.h"

namespace tls13::record {

std::string_view to_string(ContentType t) noexcept {
  switch (t) {
    case ContentType::invalid:
      return "invalid";
    case ContentType::change_cipher_spec:
      return "change_cipher_spec";
    case ContentType::alert:
      return "alert";
    case ContentType::handshake:
      return "handshake";
    case ContentType::application_data:
      return "application_data";
  }
  return "unknown";
}

void write_header(const RecordHeader& h, std::span<std::uint8_t> out) noexcept {
  out[0] = static_cast<std::uint8_t>(h.type);
  out[1] = static_cast<std::uint8_t>(h.legacy_version >> 8);
  out[2] = static_cast<std::uint8_t>(h.legacy_version);
  out[3] = static_cast<std::uint8_t>(h.length >> 8);
  out[4] = static_cast<std::uint8_t>(h.length);
}

Result<RecordHeader> parse_header(std::span<const std::uint8_t> in) {
  if (in.size() < kRecordHeaderLength) {
    return Error(Alert::decode_error, "record: truncated header");
  }
  RecordHeader h;
  h.type = static_cast<ContentType>(in[0]);
  h.legacy_version = static_cast<std::uint16_t>(in[1] << 8 | in[2]);
  h.length = static_cast<std::uint16_t>(in[3] << 8 | in[4]);
  if (!is_known(h.type)) return Error(Alert::unexpected_message, "record: unknown content type");
  if (h.length > kMaxCiphertextLength) {
    return Error(Alert::record_overflow, "record: length exceeds 2^14 + 256");
  }
  return h;
}

Result<PlaintextRecord> parse_plaintext(std::span<const std::uint8_t> record) {
  TLS13_ASSIGN_OR_RETURN(RecordHeader h, parse_header(record));
  if (record.size() != kRecordHeaderLength + h.length) {
    return Error(Alert::decode_error, "record: length does not match the record");
  }
  if (h.length > kMaxPlaintextLength) {
    return Error(Alert::record_overflow, "record: plaintext fragment exceeds 2^14");
  }
  if (h.type == ContentType::application_data) {
    return Error(Alert::unexpected_message, "record: unprotected application data");
  }
  if (h.length == 0 && h.type != ContentType::change_cipher_spec) {
    return Error(Alert::unexpected_message, "record: empty handshake or alert fragment");
  }
  return PlaintextRecord{h.type, record.subspan(kRecordHeaderLength)};
}

Result<std::size_t> frame_plaintext(std::span<std::uint8_t> buf, std::size_t fragment_len,
                                    ContentType type, std::uint16_t legacy_version) {
  if (!is_known(type) || type == ContentType::application_data) {
    return Error(Alert::internal_error, "record: type cannot be sent unprotected");
  }
  if (fragment_len > kMaxPlaintextLength) {
    return Error(Alert::internal_error, "record: plaintext fragment exceeds 2^14");
  }
  if (fragment_len == 0 && type != ContentType::change_cipher_spec) {
    return Error(Alert::internal_error, "record: empty handshake or alert fragment");
  }
  const std::size_t total = kRecordHeaderLength + fragment_len;
  if (buf.size() < total) return Error(Alert::internal_error, "record: buffer too small");
  write_header({type, legacy_version, static_cast<std::uint16_t>(fragment_len)}, buf);
  return total;
}

}  // namespace tls13::record
