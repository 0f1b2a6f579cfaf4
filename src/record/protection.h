// Record protection (RFC 8446 §5.2-5.5): per-direction AEAD keys, sequence
// numbers and per-record nonces, TLSInnerPlaintext type/padding, and the
// record size limits. Sealing and opening work in place on a caller's buffer;
// nothing is allocated per record.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>

#include "base/result.h"
#include "base/secret.h"
#include "crypto/aead.h"
#include "crypto/algorithms.h"
#include "record/content_type.h"

namespace tls13::record {

// Records one key may protect before a KeyUpdate is due (§5.5):
//  - AES-GCM: 2^24.5 full-size records (§5.5);
//  - ChaCha20-Poly1305: no limit before the sequence number would wrap (§5.5);
//  - AES-CCM and AES-CCM-8: 2^23. RFC 8446 gives none; RFC 9001 App. B.2
//    bounds CCM use at v + q <= 2^34.5 / l blocks, i.e. 2^24.5 for 2^14-byte
//    records, or 2^23.5 when split evenly between sealing and forgeries; we
//    round down.
std::uint64_t default_usage_limit(crypto::AeadId id) noexcept;

// How many zero bytes to append after the content type (§5.4). The default
// is none (as in the RFC 8448 traces). Padding is always capped so that the
// TLSInnerPlaintext stays within 2^14 + 1 bytes.
class PaddingPolicy {
 public:
  // (type, content length) -> zero bytes wanted. Called for each record by
  // both tail_room() and seal(), so it should give the same answer for the
  // same arguments (or use RecordSealer::seal with explicit padding).
  using Callback = std::function<std::size_t(ContentType, std::size_t)>;

  PaddingPolicy() = default;  // no padding
  static PaddingPolicy none() { return {}; }
  // Pads the TLSInnerPlaintext (content + type byte + zeros) to a multiple
  // of `block` bytes; 0 or 1 means no padding.
  static PaddingPolicy to_multiple_of(std::size_t block);
  static PaddingPolicy custom(Callback cb);

  // Zero bytes for a record of `content_len` bytes, after the cap.
  std::size_t padding_for(ContentType type, std::size_t content_len) const;
  // Whether any record may be padded at all.
  bool pads() const noexcept { return block_ > 1 || callback_ != nullptr; }

 private:
  std::size_t block_ = 0;
  Callback callback_;
};

// One direction's traffic protection: the AEAD key, the static write IV
// (client_write_iv or server_write_iv, §7.3) and the 64-bit sequence number
// (§5.3), which starts at 0 for each new key.
class TrafficKey {
 public:
  // `key` is aead_key_length(id) bytes and `iv` 12 bytes (iv_length =
  // max(8, N_MIN) = 12 for every TLS 1.3 AEAD); internal_error otherwise.
  static Result<TrafficKey> create(crypto::AeadId id, crypto::AeadDirection dir,
                                   std::span<const std::uint8_t> key,
                                   std::span<const std::uint8_t> iv);

  // The next key of the same AEAD (§7.2 key change): as create(), but the
  // cipher context is kept and re-keyed, so nothing is allocated. The
  // sequence number restarts at 0 and the usage limit at its default. On
  // error the key is unusable (seal and open fail).
  Result<void> rekey(std::span<const std::uint8_t> key, std::span<const std::uint8_t> iv);

  crypto::AeadId aead() const noexcept { return aead_.id(); }
  std::size_t tag_length() const noexcept { return aead_.tag_length(); }

  // The number the next record will use.
  std::uint64_t sequence() const noexcept { return seq_; }
  // True once sequence() reaches the usage limit: time for a KeyUpdate
  // (§4.6.3) before sealing more.
  bool needs_key_update() const noexcept { return seq_ >= limit_; }
  std::uint64_t usage_limit() const noexcept { return limit_; }
  void set_usage_limit(std::uint64_t records) noexcept { limit_ = records; }
  // True when no sequence number is left. The number 2^64-1 is never used,
  // so the counter never wraps (§5.3); seal/open then refuse.
  bool exhausted() const noexcept { return seq_ == kLastSequence; }

  // For tests only (e.g. to reach the wrap guard or a trace's record
  // number). Real key changes make a new TrafficKey, which starts at 0.
  void set_sequence_for_testing(std::uint64_t seq) noexcept { seq_ = seq; }

 private:
  friend class RecordSealer;
  friend class RecordOpener;
  static constexpr std::uint64_t kLastSequence = std::numeric_limits<std::uint64_t>::max();

  TrafficKey(crypto::AeadKey aead, Secret<crypto::kAeadNonceLength> iv) noexcept;
  // Per-record nonce for sequence(): the sequence number, big-endian and
  // left-padded to 12 bytes, XOR the static IV (§5.3).
  void nonce(std::span<std::uint8_t, crypto::kAeadNonceLength> out) const noexcept;

  crypto::AeadKey aead_;
  Secret<crypto::kAeadNonceLength> iv_;
  std::uint64_t seq_ = 0;
  std::uint64_t limit_;
};

// Protects our outgoing records.
class RecordSealer {
 public:
  static Result<RecordSealer> create(crypto::AeadId id, std::span<const std::uint8_t> key,
                                     std::span<const std::uint8_t> iv, PaddingPolicy padding = {});

  // Bytes the buffer needs after the content: type byte + padding + tag.
  // A buffer of kMaxRecordLength bytes is always large enough.
  std::size_t tail_room(ContentType type, std::size_t content_len) const;

  // `buf` = [5 bytes header room][content_len bytes of content][tail room].
  // Builds TLSInnerPlaintext (content || type || zeros) in place, writes the
  // TLSCiphertext header (23, 0x0303, length), encrypts with the header as
  // additional data (§5.2), appends the tag and advances the sequence
  // number. Returns the record length (5 + content + 1 + padding + tag).
  // internal_error when `type` is not handshake, alert or application_data,
  // the content is empty for handshake or alert (§5.1, §5.4), the inner
  // plaintext would exceed 2^14 + 1 bytes, the buffer is short, or the
  // sequence number is exhausted.
  Result<std::size_t> seal(std::span<std::uint8_t> buf, std::size_t content_len, ContentType type);
  // As above with an explicit padding length instead of the policy's.
  Result<std::size_t> seal(std::span<std::uint8_t> buf, std::size_t content_len, ContentType type,
                           std::size_t padding);

  // As seal(), with the content taken from `content` instead of being in
  // `buf` already (`buf` = header room + room for content and tail): the
  // AEAD reads it where it is, so the record costs no extra copy.
  Result<std::size_t> seal_from(std::span<const std::uint8_t> content, std::span<std::uint8_t> buf,
                                ContentType type);

  // Moves to the next key of the same AEAD without allocating (see
  // TrafficKey::rekey); the padding policy stays.
  Result<void> rekey(std::span<const std::uint8_t> key, std::span<const std::uint8_t> iv) {
    return key_.rekey(key, iv);
  }

  void set_padding(PaddingPolicy p) { padding_ = std::move(p); }
  const PaddingPolicy& padding() const noexcept { return padding_; }
  std::uint64_t sequence() const noexcept { return key_.sequence(); }
  bool needs_key_update() const noexcept { return key_.needs_key_update(); }
  TrafficKey& traffic_key() noexcept { return key_; }
  const TrafficKey& traffic_key() const noexcept { return key_; }

 private:
  Result<std::size_t> seal_impl(std::span<const std::uint8_t> content, std::span<std::uint8_t> buf,
                                ContentType type, std::size_t padding);
  RecordSealer(TrafficKey key, PaddingPolicy padding) noexcept
      : key_(std::move(key)), padding_(std::move(padding)) {}
  TrafficKey key_;
  PaddingPolicy padding_;
};

struct OpenedRecord {
  ContentType type = ContentType::invalid;  // TLSInnerPlaintext.type
  std::span<const std::uint8_t> content;    // into the opened buffer
};

// Removes protection from the peer's records.
class RecordOpener {
 public:
  static Result<RecordOpener> create(crypto::AeadId id, std::span<const std::uint8_t> key,
                                     std::span<const std::uint8_t> iv);

  // `record` is exactly one TLSCiphertext (header + encrypted_record), which
  // is decrypted in place. Errors:
  //  - decode_error: shorter than a header, or length disagrees with the size;
  //  - unexpected_message: opaque_type is not application_data (23);
  //  - record_overflow: length > 2^14 + 256 (§5.2), or an inner plaintext
  //    over 2^14 + 1 bytes (§5.4);
  //  - bad_record_mac: authentication failed (§5.2);
  //  - unexpected_message: no non-zero byte in the inner plaintext, an inner
  //    type other than handshake, alert or application_data (§5), or empty
  //    handshake or alert content (§5.4);
  //  - unexpected_message: the peer ran out of sequence numbers (§5.3).
  // The sequence number advances only on success.
  Result<OpenedRecord> open(std::span<std::uint8_t> record);
  // As open(), leaving `record` untouched and decrypting into `out`, which
  // needs inner_length(record) bytes; the content then lies in `out`.
  Result<OpenedRecord> open_to(std::span<const std::uint8_t> record, std::span<std::uint8_t> out);
  // Bytes of TLSInnerPlaintext a well-formed record of this size holds.
  std::size_t inner_length(std::size_t record_size) const noexcept {
    const std::size_t over = kRecordHeaderLength + key_.tag_length();
    return record_size > over ? record_size - over : 0;
  }

  // Moves to the next key of the same AEAD without allocating (see
  // TrafficKey::rekey).
  Result<void> rekey(std::span<const std::uint8_t> key, std::span<const std::uint8_t> iv) {
    return key_.rekey(key, iv);
  }

  std::uint64_t sequence() const noexcept { return key_.sequence(); }
  TrafficKey& traffic_key() noexcept { return key_; }
  const TrafficKey& traffic_key() const noexcept { return key_; }

 private:
  Result<OpenedRecord> open_impl(std::span<const std::uint8_t> record, std::span<std::uint8_t> out);
  explicit RecordOpener(TrafficKey key) noexcept : key_(std::move(key)) {}
  TrafficKey key_;
};

}  // namespace tls13::record
