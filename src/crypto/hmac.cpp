#include "crypto/hmac.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <array>
#include <cstdlib>

#include "crypto/fetched.h"

namespace tls13::crypto {

namespace {
[[noreturn]] void mac_failure() {
  std::abort();
}  // cannot fail with valid inputs

const std::uint8_t kNoBytes[1] = {0};
// libcrypto rejects a NULL pointer even for empty inputs.
const unsigned char* nz(std::span<const std::uint8_t> s) {
  return s.empty() ? kNoBytes : s.data();
}
}  // namespace

Digest hmac(HashId id, std::span<const std::uint8_t> key, std::span<const std::uint8_t> data) {
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_dup(fetched().hmac_template[static_cast<int>(id)]);
  if (!ctx || EVP_MAC_init(ctx, nz(key), key.size(), nullptr) != 1) mac_failure();
  if (!data.empty() && EVP_MAC_update(ctx, data.data(), data.size()) != 1) mac_failure();
  Digest d;
  auto out = d.resize_for_write(hash_length(id));
  std::size_t n = 0;
  if (EVP_MAC_final(ctx, out.data(), &n, out.size()) != 1 || n != out.size()) mac_failure();
  EVP_MAC_CTX_free(ctx);
  return d;
}

PrkSecret hkdf_extract(HashId id, std::span<const std::uint8_t> salt,
                       std::span<const std::uint8_t> ikm) {
  std::array<std::uint8_t, kMaxHashLength> zeros{};
  const std::size_t hl = hash_length(id);
  if (salt.empty()) salt = std::span<const std::uint8_t>(zeros.data(), hl);
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_dup(fetched().hkdf_template[static_cast<int>(id)]);
  if (!ctx) mac_failure();
  int mode = EVP_KDF_HKDF_MODE_EXTRACT_ONLY;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<unsigned char*>(nz(ikm)),
                                        ikm.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
                                        const_cast<unsigned char*>(salt.data()), salt.size()),
      OSSL_PARAM_construct_end()};
  PrkSecret prk;
  auto out = prk.resize_for_write(hl);
  if (EVP_KDF_derive(ctx, out.data(), out.size(), params) != 1) mac_failure();
  EVP_KDF_CTX_free(ctx);
  return prk;
}

bool hkdf_expand(HashId id, std::span<const std::uint8_t> prk, std::span<const std::uint8_t> info,
                 std::span<std::uint8_t> out) {
  if (out.size() > 255 * hash_length(id) || out.empty()) return false;
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_dup(fetched().hkdf_template[static_cast<int>(id)]);
  if (!ctx) mac_failure();
  int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<unsigned char*>(prk.data()),
                                        prk.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<unsigned char*>(nz(info)),
                                        info.size()),
      OSSL_PARAM_construct_end()};
  const bool ok = EVP_KDF_derive(ctx, out.data(), out.size(), params) == 1;
  EVP_KDF_CTX_free(ctx);
  if (!ok) mac_failure();
  return true;
}

}  // namespace tls13::crypto
