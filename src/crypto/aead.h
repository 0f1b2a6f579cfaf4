// AEAD for the five TLS 1.3 suites, sealing and opening in place on caller
// buffers. A key is bound to one direction and set up once; each record only
// sets its nonce, so there is no allocation and no key expansion per record.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "base/result.h"
#include "crypto/algorithms.h"

// libcrypto's EVP_CIPHER_CTX, forward-declared (no OpenSSL includes here).
struct evp_cipher_ctx_st;

namespace tls13::crypto {

enum class AeadDirection : std::uint8_t { seal, open };

class AeadKey {
 public:
  // `key` must be aead_key_length(id) bytes; internal_error otherwise.
  static Result<AeadKey> create(AeadId id, AeadDirection dir, std::span<const std::uint8_t> key);
  ~AeadKey();
  AeadKey(AeadKey&&) noexcept;
  AeadKey& operator=(AeadKey&&) noexcept;
  AeadKey(const AeadKey&) = delete;
  AeadKey& operator=(const AeadKey&) = delete;

  // Replaces the key in place, keeping the cipher context: a key change
  // (handshake to application traffic, KeyUpdate) then costs no allocation,
  // and the new key schedule overwrites the old one. `key` must be
  // aead_key_length(id()) bytes. On failure the key is left unusable (seal
  // and open refuse), never half-changed.
  Result<void> rekey(std::span<const std::uint8_t> key);

  AeadId id() const noexcept { return id_; }
  std::size_t tag_length() const noexcept { return aead_tag_length(id_); }

  // Encrypts `inout` in place and writes the tag (tag_length() bytes) into
  // `tag`. `tag` may directly follow `inout` in the same buffer.
  Result<void> seal(std::span<const std::uint8_t, kAeadNonceLength> nonce,
                    std::span<const std::uint8_t> aad, std::span<std::uint8_t> inout,
                    std::span<std::uint8_t> tag);

  // Decrypts `inout` in place after checking `tag`. Authentication failure
  // gives bad_record_mac; `inout` contents are then unspecified.
  Result<void> open(std::span<const std::uint8_t, kAeadNonceLength> nonce,
                    std::span<const std::uint8_t> aad, std::span<std::uint8_t> inout,
                    std::span<const std::uint8_t> tag);

  // The same without a copy of the data first: seal encrypts `in` into the
  // first in.size() bytes of `out` and then the rest of `out` in place, as
  // one message (a record's content straight from the caller's buffer, then
  // its type byte and padding); open decrypts `in` into `out` (the same
  // size). `in` and `out` may be the same memory but must not otherwise
  // overlap.
  Result<void> seal(std::span<const std::uint8_t, kAeadNonceLength> nonce,
                    std::span<const std::uint8_t> aad, std::span<const std::uint8_t> in,
                    std::span<std::uint8_t> out, std::span<std::uint8_t> tag);
  Result<void> open(std::span<const std::uint8_t, kAeadNonceLength> nonce,
                    std::span<const std::uint8_t> aad, std::span<const std::uint8_t> in,
                    std::span<std::uint8_t> out, std::span<const std::uint8_t> tag);

 private:
  // Held directly (no wrapper object): one allocation less per key.
  struct CtxFree {
    void operator()(evp_cipher_ctx_st* c) const noexcept;
  };
  using CtxPtr = std::unique_ptr<evp_cipher_ctx_st, CtxFree>;
  AeadKey(AeadId id, AeadDirection dir, CtxPtr ctx) noexcept;
  Result<void> begin(std::span<const std::uint8_t, kAeadNonceLength> nonce,
                     std::span<const std::uint8_t> aad, std::size_t length,
                     const std::uint8_t* expected_tag);
  AeadId id_;
  AeadDirection dir_;
  CtxPtr ctx_;
};

}  // namespace tls13::crypto
