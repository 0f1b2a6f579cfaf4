#include "record/protection.h"

#include <algorithm>
#include <array>

#include "record/record_header.h"

namespace tls13::record {

namespace {

using crypto::AeadId;
using crypto::kAeadNonceLength;
using Nonce = std::array<std::uint8_t, kAeadNonceLength>;

// The nonce is IV-derived, so it is wiped after each use.
struct NonceGuard {
  Nonce n{};
  ~NonceGuard() { secure_wipe(n.data(), n.size()); }
};

bool sealable(ContentType t) {
  return t == ContentType::handshake || t == ContentType::alert ||
         t == ContentType::application_data;
}

}  // namespace

std::uint64_t default_usage_limit(AeadId id) noexcept {
  switch (id) {
    case AeadId::aes_128_gcm:
    case AeadId::aes_256_gcm:
      return 23'726'566;  // floor(2^24.5)
    case AeadId::chacha20_poly1305:
      return std::numeric_limits<std::uint64_t>::max();
    case AeadId::aes_128_ccm:
    case AeadId::aes_128_ccm_8:
      return std::uint64_t{1} << 23;
  }
  return 0;
}

// ---------------------------------------------------------------- padding

PaddingPolicy PaddingPolicy::to_multiple_of(std::size_t block) {
  PaddingPolicy p;
  p.block_ = block;
  return p;
}

PaddingPolicy PaddingPolicy::custom(Callback cb) {
  PaddingPolicy p;
  p.callback_ = std::move(cb);
  return p;
}

std::size_t PaddingPolicy::padding_for(ContentType type, std::size_t content_len) const {
  const std::size_t inner = content_len + 1;
  if (inner >= kMaxInnerPlaintextLength) return 0;
  std::size_t want = 0;
  if (callback_) {
    want = callback_(type, content_len);
  } else if (block_ > 1) {
    want = (block_ - inner % block_) % block_;
  }
  return std::min(want, kMaxInnerPlaintextLength - inner);
}

// ------------------------------------------------------------ traffic key

TrafficKey::TrafficKey(crypto::AeadKey aead, Secret<kAeadNonceLength> iv) noexcept
    : aead_(std::move(aead)), iv_(std::move(iv)), limit_(default_usage_limit(aead_.id())) {}

Result<TrafficKey> TrafficKey::create(AeadId id, crypto::AeadDirection dir,
                                      std::span<const std::uint8_t> key,
                                      std::span<const std::uint8_t> iv) {
  if (iv.size() != kAeadNonceLength)
    return Error(Alert::internal_error, "record: IV must be 12 bytes");
  TLS13_ASSIGN_OR_RETURN(auto aead, crypto::AeadKey::create(id, dir, key));
  return TrafficKey(std::move(aead), Secret<kAeadNonceLength>(iv));
}

Result<void> TrafficKey::rekey(std::span<const std::uint8_t> key,
                               std::span<const std::uint8_t> iv) {
  if (iv.size() != kAeadNonceLength) {
    // Leave no usable key behind: the caller asked for a different one.
    (void)aead_.rekey({});
    return Error(Alert::internal_error, "record: IV must be 12 bytes");
  }
  TLS13_TRY(aead_.rekey(key));
  iv_.assign(iv);
  seq_ = 0;
  limit_ = default_usage_limit(aead_.id());
  return ok();
}

void TrafficKey::nonce(std::span<std::uint8_t, kAeadNonceLength> out) const noexcept {
  const std::uint8_t* iv = iv_.data();
  for (std::size_t i = 0; i < 4; ++i) out[i] = iv[i];
  for (std::size_t i = 0; i < 8; ++i) {
    out[4 + i] =
        static_cast<std::uint8_t>(iv[4 + i] ^ static_cast<std::uint8_t>(seq_ >> (56 - 8 * i)));
  }
}

// ----------------------------------------------------------------- sealer

Result<RecordSealer> RecordSealer::create(AeadId id, std::span<const std::uint8_t> key,
                                          std::span<const std::uint8_t> iv, PaddingPolicy padding) {
  TLS13_ASSIGN_OR_RETURN(auto k, TrafficKey::create(id, crypto::AeadDirection::seal, key, iv));
  return RecordSealer(std::move(k), std::move(padding));
}

std::size_t RecordSealer::tail_room(ContentType type, std::size_t content_len) const {
  return 1 + padding_.padding_for(type, content_len) + key_.tag_length();
}

Result<std::size_t> RecordSealer::seal(std::span<std::uint8_t> buf, std::size_t content_len,
                                       ContentType type) {
  return seal(buf, content_len, type, padding_.padding_for(type, content_len));
}

Result<std::size_t> RecordSealer::seal(std::span<std::uint8_t> buf, std::size_t content_len,
                                       ContentType type, std::size_t padding) {
  if (buf.size() < kRecordHeaderLength + content_len)
    return Error(Alert::internal_error, "record: buffer too small");
  return seal_impl(buf.subspan(kRecordHeaderLength, content_len), buf, type, padding);
}

Result<std::size_t> RecordSealer::seal_from(std::span<const std::uint8_t> content,
                                            std::span<std::uint8_t> buf, ContentType type) {
  return seal_impl(content, buf, type, padding_.padding_for(type, content.size()));
}

// `content` is either in place (buf + 5) or elsewhere; the AEAD reads it
// from there and writes the ciphertext into buf.
Result<std::size_t> RecordSealer::seal_impl(std::span<const std::uint8_t> content,
                                            std::span<std::uint8_t> buf, ContentType type,
                                            std::size_t padding) {
  const std::size_t content_len = content.size();
  if (!sealable(type)) return Error(Alert::internal_error, "record: type cannot be protected");
  if (content_len == 0 && type != ContentType::application_data) {
    return Error(Alert::internal_error, "record: empty handshake or alert record");
  }
  if (content_len >= kMaxInnerPlaintextLength ||
      padding > kMaxInnerPlaintextLength - 1 - content_len) {
    return Error(Alert::internal_error, "record: inner plaintext exceeds 2^14 + 1");
  }
  const std::size_t inner = content_len + 1 + padding;
  const std::size_t tag = key_.tag_length();
  const std::size_t total = kRecordHeaderLength + inner + tag;
  if (buf.size() < total) return Error(Alert::internal_error, "record: buffer too small");
  if (key_.exhausted()) {
    return Error(Alert::internal_error, "record: sequence number exhausted; key update required");
  }

  std::uint8_t* body = buf.data() + kRecordHeaderLength;
  body[content_len] = static_cast<std::uint8_t>(type);
  std::fill_n(body + content_len + 1, padding, std::uint8_t{0});
  write_header({ContentType::application_data, kLegacyRecordVersion,
                static_cast<std::uint16_t>(inner + tag)},
               buf);

  NonceGuard nonce;
  key_.nonce(nonce.n);
  TLS13_TRY(key_.aead_.seal(nonce.n, buf.first(kRecordHeaderLength), content,
                            buf.subspan(kRecordHeaderLength, inner),
                            buf.subspan(kRecordHeaderLength + inner, tag)));
  ++key_.seq_;
  return total;
}

// ----------------------------------------------------------------- opener

Result<RecordOpener> RecordOpener::create(AeadId id, std::span<const std::uint8_t> key,
                                          std::span<const std::uint8_t> iv) {
  TLS13_ASSIGN_OR_RETURN(auto k, TrafficKey::create(id, crypto::AeadDirection::open, key, iv));
  return RecordOpener(std::move(k));
}

Result<OpenedRecord> RecordOpener::open(std::span<std::uint8_t> record) {
  return open_impl(record, record.size() >= kRecordHeaderLength
                               ? record.subspan(kRecordHeaderLength)
                               : std::span<std::uint8_t>{});
}

Result<OpenedRecord> RecordOpener::open_to(std::span<const std::uint8_t> record,
                                           std::span<std::uint8_t> out) {
  return open_impl(record, out);
}

// Checks the header, then decrypts the encrypted_record's inner plaintext
// into `out` (in place when it is the record's own body).
Result<OpenedRecord> RecordOpener::open_impl(std::span<const std::uint8_t> record,
                                             std::span<std::uint8_t> out) {
  if (record.size() < kRecordHeaderLength) {
    return Error(Alert::decode_error, "record: truncated header");
  }
  if (record[0] != static_cast<std::uint8_t>(ContentType::application_data)) {
    return Error(Alert::unexpected_message, "record: protected record with opaque_type not 23");
  }
  const std::size_t length = static_cast<std::size_t>(record[3]) << 8 | record[4];
  if (length > kMaxCiphertextLength) {
    return Error(Alert::record_overflow, "record: length exceeds 2^14 + 256");
  }
  if (record.size() != kRecordHeaderLength + length) {
    return Error(Alert::decode_error, "record: length does not match the record");
  }
  const std::size_t tag = key_.tag_length();
  // Too short to hold a tag: cannot authenticate.
  if (length < tag) return Error(Alert::bad_record_mac, "record: shorter than the AEAD tag");
  const std::size_t inner = length - tag;
  // Known from the header alone, so no need to decrypt first.
  if (inner > kMaxInnerPlaintextLength) {
    return Error(Alert::record_overflow, "record: inner plaintext exceeds 2^14 + 1");
  }
  if (key_.exhausted()) {
    return Error(Alert::unexpected_message, "record: peer exhausted the sequence number");
  }
  if (out.size() < inner) return Error(Alert::internal_error, "record: output buffer too small");

  NonceGuard nonce;
  key_.nonce(nonce.n);
  auto body = out.first(inner);
  TLS13_TRY(key_.aead_.open(nonce.n, record.first(kRecordHeaderLength),
                            record.subspan(kRecordHeaderLength, inner), body,
                            record.subspan(kRecordHeaderLength + inner, tag)));

  // The content type is the last non-zero byte; everything after it is
  // padding (§5.4). The scan stays within the decrypted bytes.
  std::size_t end = inner;
  while (end > 0 && body[end - 1] == 0) --end;
  if (end == 0) return Error(Alert::unexpected_message, "record: no content type in plaintext");
  const auto type = static_cast<ContentType>(body[end - 1]);
  const std::size_t content_len = end - 1;
  if (!sealable(type)) {
    return Error(Alert::unexpected_message, "record: bad inner content type");
  }
  if (content_len == 0 && type != ContentType::application_data) {
    return Error(Alert::unexpected_message, "record: empty handshake or alert record");
  }
  ++key_.seq_;
  return OpenedRecord{type, body.first(content_len)};
}

}  // namespace tls13::record
