#include "keysched/transcript.h"

#include <array>

namespace tls13::ks {

using crypto::Digest;
using crypto::Hash;
using crypto::HashId;

Transcript::Transcript(HashId hash) : hash_(std::in_place, hash) {}

Transcript Transcript::clone() const {
  Transcript t;
  if (hash_) t.hash_.emplace(hash_->clone());
  t.buffer_ = buffer_;
  t.count_ = count_;
  return t;
}

Result<void> Transcript::set_hash(HashId hash) {
  if (hash_) {
    if (hash_->id() == hash) return ok();
    return make_error(Alert::internal_error, "transcript: hash already chosen");
  }
  hash_.emplace(hash);
  hash_->update(buffer_);
  buffer_.clear();
  buffer_.shrink_to_fit();
  return ok();
}

std::optional<HashId> Transcript::hash_id() const noexcept {
  if (!hash_) return std::nullopt;
  return hash_->id();
}

void Transcript::add(std::span<const std::uint8_t> message) {
  if (hash_) {
    hash_->update(message);
  } else {
    buffer_.insert(buffer_.end(), message.begin(), message.end());
  }
  ++count_;
}

Digest Transcript::current_hash() const {
  if (!hash_) return Digest();
  return hash_->snapshot();
}

Digest Transcript::hash_with(std::span<const std::uint8_t> extra) const {
  if (!hash_) return Digest();
  Hash h = hash_->clone();
  h.update(extra);
  return h.snapshot();
}

Digest Transcript::hash_with(HashId hash, std::span<const std::uint8_t> extra) const {
  if (hash_) {
    if (hash_->id() != hash) return Digest();
    return hash_with(extra);
  }
  Hash h(hash);
  h.update(buffer_);
  h.update(extra);
  return h.snapshot();
}

void Transcript::add_message_hash(const Digest& ch1_hash) {
  // Hash.length fits one octet for every TLS 1.3 hash, so the uint24 length
  // is 00 00 Hash.length.
  const std::array<std::uint8_t, 4> header = {kMessageHashType, 0, 0,
                                              static_cast<std::uint8_t>(ch1_hash.size())};
  hash_->update(header);
  hash_->update(ch1_hash.span());
  count_ = 1;
}

Result<void> Transcript::replace_with_message_hash() {
  if (!hash_) return make_error(Alert::internal_error, "transcript: no hash chosen");
  if (count_ != 1)
    return make_error(Alert::internal_error, "transcript: message_hash needs exactly ClientHello1");
  const Digest ch1 = hash_->snapshot();
  hash_.emplace(hash_->id());
  add_message_hash(ch1);
  return ok();
}

Result<void> Transcript::start_with_message_hash(const Digest& client_hello1_hash) {
  if (!hash_) return make_error(Alert::internal_error, "transcript: no hash chosen");
  if (count_ != 0) return make_error(Alert::internal_error, "transcript: not empty");
  if (client_hello1_hash.size() != hash_->length())
    return make_error(Alert::internal_error, "transcript: ClientHello1 hash has wrong length");
  add_message_hash(client_hello1_hash);
  return ok();
}

}  // namespace tls13::ks
