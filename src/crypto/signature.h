// Keys and signatures for the TLS 1.3 signature schemes (RFC 8446 §4.2.3).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "crypto/algorithms.h"
#include "tls13/types.h"

// libcrypto's EVP_PKEY, forward-declared so that this header stays free of
// OpenSSL includes.
struct evp_pkey_st;

namespace tls13::crypto {

enum class KeyType : std::uint8_t {
  rsa,
  rsa_pss,
  ec_p256,
  ec_p384,
  ec_p521,
  ed25519,
  ed448,
  other
};

std::string_view to_string(KeyType t) noexcept;

// The key type a scheme needs (rsa_pss_rsae_* and rsa_pkcs1_* -> rsa,
// rsa_pss_pss_* -> rsa_pss, ecdsa_secp256r1_sha256 -> ec_p256, ...); `other`
// for schemes we do not implement.
KeyType key_type_for(SignatureScheme s) noexcept;

// The hash a scheme signs with; nullopt for EdDSA (which hashes internally)
// and for unknown schemes.
std::optional<HashId> scheme_hash(SignatureScheme s) noexcept;

// Whether `s` may sign a TLS 1.3 handshake (CertificateVerify). False for
// RSASSA-PKCS1-v1_5, which TLS 1.3 allows only in certificates (§4.4.3).
bool handshake_scheme(SignatureScheme s) noexcept;

// The input that a CertificateVerify signature covers (RFC 8446 §4.4.3):
// 64 x 0x20 || "TLS 1.3, server CertificateVerify" (or client) || 0x00 ||
// transcript_hash.
enum class CertificateVerifySide : std::uint8_t { server, client };
// Held inline (no allocation) for transcript hashes up to kMaxHashLength.
class CertificateVerifyInput {
 public:
  CertificateVerifyInput(CertificateVerifySide side, std::span<const std::uint8_t> transcript_hash);
  const std::uint8_t* data() const noexcept { return big_.empty() ? buf_.data() : big_.data(); }
  std::size_t size() const noexcept { return len_; }
  const std::uint8_t* begin() const noexcept { return data(); }
  const std::uint8_t* end() const noexcept { return data() + len_; }
  std::span<const std::uint8_t> span() const noexcept { return {data(), len_}; }
  operator std::span<const std::uint8_t>() const noexcept { return span(); }

 private:
  static constexpr std::size_t kPrefix = 64 + 33 + 1;  // spaces, context string, 0x00
  std::array<std::uint8_t, kPrefix + kMaxHashLength> buf_;
  std::vector<std::uint8_t> big_;  // only for a longer "hash" (never in TLS)
  std::size_t len_ = 0;
};
CertificateVerifyInput certificate_verify_input(CertificateVerifySide side,
                                                std::span<const std::uint8_t> transcript_hash);

// A public key. Copies share the underlying libcrypto key (reference
// counted, immutable), so a PublicKey may be copied across connections and
// used from several threads.
class PublicKey {
 public:
  // DER SubjectPublicKeyInfo; bad_certificate when it does not parse.
  static Result<PublicKey> from_spki_der(std::span<const std::uint8_t> spki);
  ~PublicKey();
  PublicKey(const PublicKey& o) noexcept;
  PublicKey& operator=(const PublicKey& o) noexcept;
  PublicKey(PublicKey&& o) noexcept;
  PublicKey& operator=(PublicKey&& o) noexcept;

  KeyType type() const noexcept { return type_; }
  // Modulus size for RSA, field size for EC, 253/456 for EdDSA.
  int bits() const noexcept;
  // Whether `s` can be used with this key in TLS 1.3: the scheme's key type,
  // curve (ECDSA) and any RSASSA-PSS key restrictions must fit, and an RSA
  // modulus must be large enough for PSS with that hash. RSA keys also accept
  // rsa_pkcs1_* here (certificate signatures).
  bool compatible(SignatureScheme s) const noexcept;

  // decrypt_error when the signature does not verify; illegal_parameter when
  // the scheme does not fit the key.
  Result<void> verify(SignatureScheme s, std::span<const std::uint8_t> message,
                      std::span<const std::uint8_t> signature) const;

  // DER SubjectPublicKeyInfo.
  std::vector<std::uint8_t> spki_der() const;

  // libcrypto handle for crypto/*.cpp; other layers have no use for it.
  evp_pkey_st* native() const noexcept { return pkey_; }
  // Takes ownership of an EVP_PKEY (crypto/ only).
  static PublicKey adopt(evp_pkey_st* pkey) noexcept;

 private:
  PublicKey(evp_pkey_st* pkey, KeyType t) noexcept : pkey_(pkey), type_(t) {}
  evp_pkey_st* pkey_ = nullptr;
  KeyType type_ = KeyType::other;
};

// A private key. Move-only; signing does not modify it, so one PrivateKey may
// sign for many connections at once.
class PrivateKey {
 public:
  // PEM: PKCS#8 ("PRIVATE KEY") or the traditional RSA/EC forms; other PEM
  // blocks (e.g. a certificate) before the key are skipped. Encrypted keys
  // are refused.
  static Result<PrivateKey> from_pem(std::string_view pem);
  // DER PKCS#8 or traditional.
  static Result<PrivateKey> from_der(std::span<const std::uint8_t> der);
  // Fresh key of the given type (tests, ephemeral certificates). RSA and
  // RSA-PSS keys are 2048 bits; RSA-PSS keys carry no parameter restrictions.
  static Result<PrivateKey> generate(KeyType t);
  ~PrivateKey();
  PrivateKey(PrivateKey&& o) noexcept;
  PrivateKey& operator=(PrivateKey&& o) noexcept;
  PrivateKey(const PrivateKey&) = delete;
  PrivateKey& operator=(const PrivateKey&) = delete;

  KeyType type() const noexcept { return type_; }
  int bits() const noexcept;
  // Schemes usable to sign TLS 1.3 handshakes with this key, in our order of
  // preference (RSA keys: PSS only; PKCS#1 v1.5 is never used to sign).
  std::vector<SignatureScheme> schemes() const;
  // As PublicKey::compatible, but false for every rsa_pkcs1_* scheme.
  bool compatible(SignatureScheme s) const noexcept;

  // illegal_parameter when the scheme does not fit the key (including
  // rsa_pkcs1_*); internal_error when libcrypto fails.
  Result<std::vector<std::uint8_t>> sign(SignatureScheme s,
                                         std::span<const std::uint8_t> message) const;

  PublicKey public_key() const;
  // The matching public key's DER SubjectPublicKeyInfo.
  std::vector<std::uint8_t> public_spki_der() const;
  // Unencrypted PKCS#8 PEM (for the CLI's ephemeral certificate). Holds the
  // secret key: the caller decides where it may go.
  std::string to_pem() const;

  evp_pkey_st* native() const noexcept { return pkey_; }

 private:
  PrivateKey(evp_pkey_st* pkey, KeyType t) noexcept : pkey_(pkey), type_(t) {}
  evp_pkey_st* pkey_ = nullptr;
  KeyType type_ = KeyType::other;
};

}  // namespace tls13::crypto
