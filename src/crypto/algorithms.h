// Algorithm identifiers used across the library, and the cipher suite table
// (RFC 8446 §B.4). No OpenSSL types: the fetched implementations live in
// crypto/fetched.h, which only crypto/*.cpp include.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "tls13/types.h"

namespace tls13::crypto {

enum class HashId : std::uint8_t { sha256, sha384, sha512 };

constexpr std::size_t hash_length(HashId h) noexcept {
  switch (h) {
    case HashId::sha256:
      return 32;
    case HashId::sha384:
      return 48;
    case HashId::sha512:
      return 64;
  }
  return 0;
}

constexpr std::size_t kMaxHashLength = 64;

enum class AeadId : std::uint8_t {
  aes_128_gcm,
  aes_256_gcm,
  chacha20_poly1305,
  aes_128_ccm,
  aes_128_ccm_8
};

constexpr std::size_t aead_key_length(AeadId a) noexcept {
  return (a == AeadId::aes_256_gcm || a == AeadId::chacha20_poly1305) ? 32 : 16;
}
constexpr std::size_t aead_tag_length(AeadId a) noexcept {
  return a == AeadId::aes_128_ccm_8 ? 8 : 16;
}
constexpr std::size_t kAeadNonceLength = 12;  // every TLS 1.3 AEAD (RFC 8446 §5.3)
constexpr std::size_t kMaxAeadTagLength = 16;

struct SuiteInfo {
  CipherSuite suite;
  HashId hash;
  AeadId aead;
};

constexpr std::optional<SuiteInfo> suite_info(CipherSuite s) noexcept {
  switch (s) {
    case CipherSuite::aes_128_gcm_sha256:
      return SuiteInfo{s, HashId::sha256, AeadId::aes_128_gcm};
    case CipherSuite::aes_256_gcm_sha384:
      return SuiteInfo{s, HashId::sha384, AeadId::aes_256_gcm};
    case CipherSuite::chacha20_poly1305_sha256:
      return SuiteInfo{s, HashId::sha256, AeadId::chacha20_poly1305};
    case CipherSuite::aes_128_ccm_sha256:
      return SuiteInfo{s, HashId::sha256, AeadId::aes_128_ccm};
    case CipherSuite::aes_128_ccm_8_sha256:
      return SuiteInfo{s, HashId::sha256, AeadId::aes_128_ccm_8};
  }
  return std::nullopt;
}

}  // namespace tls13::crypto
