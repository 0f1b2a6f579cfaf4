// Secure defaults for the configuration's preference lists.
#include "tls13/config.h"

namespace tls13 {

std::vector<CipherSuite> default_cipher_suites() {
  // CCM suites are rarely deployed; CCM_8 has a short tag and stays off
  // unless configured explicitly.
  return {CipherSuite::aes_128_gcm_sha256, CipherSuite::chacha20_poly1305_sha256,
          CipherSuite::aes_256_gcm_sha384};
}

std::vector<NamedGroup> default_groups() {
  return {NamedGroup::x25519, NamedGroup::secp256r1, NamedGroup::x448, NamedGroup::secp384r1,
          NamedGroup::secp521r1};
}

std::vector<SignatureScheme> default_signature_schemes() {
  using S = SignatureScheme;
  return {S::ecdsa_secp256r1_sha256, S::ed25519,
          S::rsa_pss_rsae_sha256,    S::rsa_pss_pss_sha256,
          S::ecdsa_secp384r1_sha384, S::ed448,
          S::rsa_pss_rsae_sha384,    S::rsa_pss_pss_sha384,
          S::ecdsa_secp521r1_sha512, S::rsa_pss_rsae_sha512,
          S::rsa_pss_pss_sha512,     S::rsa_pkcs1_sha256,
          S::rsa_pkcs1_sha384,       S::rsa_pkcs1_sha512};
}

}  // namespace tls13
