// Protocol code points (RFC 8446 §4, IANA registries) and their IANA names.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tls13 {

// TLS 1.3 cipher suites (AEAD + hash), RFC 8446 §B.4.
enum class CipherSuite : std::uint16_t {
  aes_128_gcm_sha256 = 0x1301,
  aes_256_gcm_sha384 = 0x1302,
  chacha20_poly1305_sha256 = 0x1303,
  aes_128_ccm_sha256 = 0x1304,
  aes_128_ccm_8_sha256 = 0x1305,
};

// Key exchange groups (supported_groups / key_share), RFC 8446 §4.2.7.
// The ffdhe groups are not in default_groups().
enum class NamedGroup : std::uint16_t {
  secp256r1 = 0x0017,
  secp384r1 = 0x0018,
  secp521r1 = 0x0019,
  x25519 = 0x001d,
  x448 = 0x001e,
  ffdhe2048 = 0x0100,
  ffdhe3072 = 0x0101,
};

// Handshake signature algorithms (signature_algorithms), RFC 8446 §4.2.3.
enum class SignatureScheme : std::uint16_t {
  rsa_pkcs1_sha256 = 0x0401,
  rsa_pkcs1_sha384 = 0x0501,
  rsa_pkcs1_sha512 = 0x0601,
  ecdsa_secp256r1_sha256 = 0x0403,
  ecdsa_secp384r1_sha384 = 0x0503,
  ecdsa_secp521r1_sha512 = 0x0603,
  rsa_pss_rsae_sha256 = 0x0804,
  rsa_pss_rsae_sha384 = 0x0805,
  rsa_pss_rsae_sha512 = 0x0806,
  ed25519 = 0x0807,
  ed448 = 0x0808,
  rsa_pss_pss_sha256 = 0x0809,
  rsa_pss_pss_sha384 = 0x080a,
  rsa_pss_pss_sha512 = 0x080b,
};

// IANA names: "TLS_AES_128_GCM_SHA256", "x25519", "ecdsa_secp256r1_sha256".
// Unknown values give "unknown".
std::string_view to_string(CipherSuite s) noexcept;
std::string_view to_string(NamedGroup g) noexcept;
std::string_view to_string(SignatureScheme s) noexcept;

// Parse an IANA name (also accepts common aliases such as "P-256").
std::optional<CipherSuite> cipher_suite_from_string(std::string_view name) noexcept;
std::optional<NamedGroup> named_group_from_string(std::string_view name) noexcept;
std::optional<SignatureScheme> signature_scheme_from_string(std::string_view name) noexcept;

}  // namespace tls13
