// Constant-time compare and secure wipe over libcrypto.
#include <openssl/crypto.h>

#include "base/ct.h"
#include "base/secret.h"

namespace tls13 {

bool ct_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void secure_wipe(void* p, std::size_t n) noexcept {
  OPENSSL_cleanse(p, n);
}

}  // namespace tls13
