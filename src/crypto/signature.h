// Keys and signatures for the TLS 1.3 signature schemes (RFC 8446 §4.2.3).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "tls13/types.h"

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

// The key type a scheme needs (rsa_pss_rsae_* -> rsa, rsa_pss_pss_* ->
// rsa_pss, ecdsa_secp256r1_sha256 -> ec_p256, ...).
KeyType key_type_for(SignatureScheme s) noexcept;

class PublicKey {
 public:
  // DER SubjectPublicKeyInfo.
  static Result<PublicKey> from_spki_der(std::span<const std::uint8_t> spki);
  ~PublicKey();
  PublicKey(PublicKey&&) noexcept;
  PublicKey& operator=(PublicKey&&) noexcept;
  PublicKey(const PublicKey&) = delete;
  PublicKey& operator=(const PublicKey&) = delete;

  KeyType type() const noexcept { return type_; }
  // Whether `s` can be used with this key in TLS 1.3 (for RSA: the PSS
  // schemes, and PKCS#1 v1.5 only for certificate signatures).
  bool compatible(SignatureScheme s) const noexcept;

  // decrypt_error when the signature does not verify; illegal_parameter when
  // the scheme does not fit the key.
  Result<void> verify(SignatureScheme s, std::span<const std::uint8_t> message,
                      std::span<const std::uint8_t> signature) const;

  // Internal handle for crypto/ (an EVP_PKEY*), opaque elsewhere.
  void* native() const noexcept { return pkey_; }
  // Takes ownership of an EVP_PKEY* (crypto/ only).
  static PublicKey adopt(void* evp_pkey);

 private:
  PublicKey(void* pkey, KeyType t) noexcept : pkey_(pkey), type_(t) {}
  void* pkey_ = nullptr;
  KeyType type_ = KeyType::other;
};

class PrivateKey {
 public:
  // PEM: PKCS#8 ("PRIVATE KEY") or the traditional RSA/EC forms.
  static Result<PrivateKey> from_pem(std::string_view pem);
  // DER PKCS#8 or traditional.
  static Result<PrivateKey> from_der(std::span<const std::uint8_t> der);
  // Fresh key of the given type (tests, ephemeral certificates).
  static Result<PrivateKey> generate(KeyType t);
  ~PrivateKey();
  PrivateKey(PrivateKey&&) noexcept;
  PrivateKey& operator=(PrivateKey&&) noexcept;
  PrivateKey(const PrivateKey&) = delete;
  PrivateKey& operator=(const PrivateKey&) = delete;

  KeyType type() const noexcept { return type_; }
  // Schemes usable to sign TLS 1.3 handshakes with this key, in our order of
  // preference (RSA keys: PSS only; PKCS#1 v1.5 is never used to sign).
  std::vector<SignatureScheme> schemes() const;
  bool compatible(SignatureScheme s) const noexcept;

  Result<std::vector<std::uint8_t>> sign(SignatureScheme s,
                                         std::span<const std::uint8_t> message) const;

  // The matching public key's DER SubjectPublicKeyInfo.
  std::vector<std::uint8_t> public_spki_der() const;
  // PKCS#8 PEM (for the CLI's ephemeral certificate).
  std::string to_pem() const;

  void* native() const noexcept { return pkey_; }

 private:
  PrivateKey(void* pkey, KeyType t) noexcept : pkey_(pkey), type_(t) {}
  void* pkey_ = nullptr;
  KeyType type_ = KeyType::other;
};

}  // namespace tls13::crypto
