#include "tls13/types.h"

#include <array>
#include <utility>

namespace tls13 {

namespace {

constexpr std::pair<CipherSuite, std::string_view> kSuites[] = {
    {CipherSuite::aes_128_gcm_sha256, "TLS_AES_128_GCM_SHA256"},
    {CipherSuite::aes_256_gcm_sha384, "TLS_AES_256_GCM_SHA384"},
    {CipherSuite::chacha20_poly1305_sha256, "TLS_CHACHA20_POLY1305_SHA256"},
    {CipherSuite::aes_128_ccm_sha256, "TLS_AES_128_CCM_SHA256"},
    {CipherSuite::aes_128_ccm_8_sha256, "TLS_AES_128_CCM_8_SHA256"},
};

constexpr std::pair<NamedGroup, std::string_view> kGroups[] = {
    {NamedGroup::secp256r1, "secp256r1"}, {NamedGroup::secp384r1, "secp384r1"},
    {NamedGroup::secp521r1, "secp521r1"}, {NamedGroup::x25519, "x25519"},
    {NamedGroup::x448, "x448"},           {NamedGroup::ffdhe2048, "ffdhe2048"},
    {NamedGroup::ffdhe3072, "ffdhe3072"},
};

constexpr std::pair<NamedGroup, std::string_view> kGroupAliases[] = {
    {NamedGroup::secp256r1, "P-256"}, {NamedGroup::secp384r1, "P-384"},
    {NamedGroup::secp521r1, "P-521"}, {NamedGroup::x25519, "X25519"},
    {NamedGroup::x448, "X448"},       {NamedGroup::secp256r1, "prime256v1"},
};

constexpr std::pair<SignatureScheme, std::string_view> kSchemes[] = {
    {SignatureScheme::rsa_pkcs1_sha256, "rsa_pkcs1_sha256"},
    {SignatureScheme::rsa_pkcs1_sha384, "rsa_pkcs1_sha384"},
    {SignatureScheme::rsa_pkcs1_sha512, "rsa_pkcs1_sha512"},
    {SignatureScheme::ecdsa_secp256r1_sha256, "ecdsa_secp256r1_sha256"},
    {SignatureScheme::ecdsa_secp384r1_sha384, "ecdsa_secp384r1_sha384"},
    {SignatureScheme::ecdsa_secp521r1_sha512, "ecdsa_secp521r1_sha512"},
    {SignatureScheme::rsa_pss_rsae_sha256, "rsa_pss_rsae_sha256"},
    {SignatureScheme::rsa_pss_rsae_sha384, "rsa_pss_rsae_sha384"},
    {SignatureScheme::rsa_pss_rsae_sha512, "rsa_pss_rsae_sha512"},
    {SignatureScheme::ed25519, "ed25519"},
    {SignatureScheme::ed448, "ed448"},
    {SignatureScheme::rsa_pss_pss_sha256, "rsa_pss_pss_sha256"},
    {SignatureScheme::rsa_pss_pss_sha384, "rsa_pss_pss_sha384"},
    {SignatureScheme::rsa_pss_pss_sha512, "rsa_pss_pss_sha512"},
};

template <class E, std::size_t N>
std::string_view name_of(const std::pair<E, std::string_view> (&table)[N], E v) noexcept {
  for (const auto& [e, n] : table)
    if (e == v) return n;
  return "unknown";
}

bool iequal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

template <class E, std::size_t N>
std::optional<E> value_of(const std::pair<E, std::string_view> (&table)[N],
                          std::string_view name) noexcept {
  for (const auto& [e, n] : table)
    if (iequal(n, name)) return e;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(CipherSuite s) noexcept {
  return name_of(kSuites, s);
}
std::string_view to_string(NamedGroup g) noexcept {
  return name_of(kGroups, g);
}
std::string_view to_string(SignatureScheme s) noexcept {
  return name_of(kSchemes, s);
}

std::optional<CipherSuite> cipher_suite_from_string(std::string_view name) noexcept {
  return value_of(kSuites, name);
}
std::optional<NamedGroup> named_group_from_string(std::string_view name) noexcept {
  if (auto g = value_of(kGroups, name)) return g;
  return value_of(kGroupAliases, name);
}
std::optional<SignatureScheme> signature_scheme_from_string(std::string_view name) noexcept {
  return value_of(kSchemes, name);
}

}  // namespace tls13
