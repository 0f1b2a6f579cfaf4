// The handshake transcript hash (RFC 8446 §4.4.1).
//
// The hash is only known once the server picks the cipher suite, and a client
// may offer suites with different hashes, so a Transcript can start without a
// hash: it then buffers the raw messages, and set_hash() hashes the buffer and
// continues incrementally from there on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/result.h"
#include "crypto/algorithms.h"
#include "crypto/hash.h"

namespace tls13::ks {

// HandshakeType message_hash (RFC 8446 §4).
inline constexpr std::uint8_t kMessageHashType = 254;

class Transcript {
 public:
  // Unhashed: messages are buffered until set_hash().
  Transcript() = default;
  // Hashing from the first message (the server knows its suite at once).
  explicit Transcript(crypto::HashId hash);

  Transcript(Transcript&&) noexcept = default;
  Transcript& operator=(Transcript&&) noexcept = default;
  Transcript(const Transcript&) = delete;
  Transcript& operator=(const Transcript&) = delete;
  // Independent copy (e.g. to branch off for post-handshake authentication).
  Transcript clone() const;

  // Fixes the hash: hashes the buffered messages and drops the buffer.
  // Calling it again with the same hash is a no-op; a different hash is an
  // internal_error (the suite cannot change after HelloRetryRequest).
  Result<void> set_hash(crypto::HashId hash);
  bool has_hash() const noexcept { return hash_.has_value(); }
  std::optional<crypto::HashId> hash_id() const noexcept;

  // Appends one complete handshake message, 4-byte header included.
  void add(std::span<const std::uint8_t> message);
  std::size_t message_count() const noexcept { return count_; }

  // Transcript-Hash of everything added so far. Requires has_hash(); without
  // one it returns an empty Digest.
  crypto::Digest current_hash() const;

  // Transcript-Hash(messages so far || extra), leaving the transcript as it
  // is. For PSK binders (RFC 8446 §4.2.11.2) `extra` is Truncate(ClientHello):
  // the ClientHello up to, not including, the binders list. Requires
  // has_hash(); without one it returns an empty Digest.
  crypto::Digest hash_with(std::span<const std::uint8_t> extra) const;
  // The same under an explicit hash, usable before set_hash(): a client
  // computes each offered PSK's binder under that PSK's hash. After
  // set_hash(), `hash` must be the chosen one (else an empty Digest).
  crypto::Digest hash_with(crypto::HashId hash, std::span<const std::uint8_t> extra) const;

  // HelloRetryRequest rule (RFC 8446 §4.4.1): replaces ClientHello1, which
  // must be the only message so far, by the synthetic message
  //   message_hash(254) || 00 00 Hash.length || Hash(ClientHello1).
  // Call after set_hash() and before adding the HelloRetryRequest.
  Result<void> replace_with_message_hash();

  // Starts an empty, hashed transcript with the message_hash message for a
  // ClientHello1 whose hash is known (a server restoring a stateless
  // HelloRetryRequest from its cookie).
  Result<void> start_with_message_hash(const crypto::Digest& client_hello1_hash);

 private:
  void add_message_hash(const crypto::Digest& ch1_hash);

  std::optional<crypto::Hash> hash_;
  std::vector<std::uint8_t> buffer_;  // used only while unhashed
  std::size_t count_ = 0;
};

}  // namespace tls13::ks
