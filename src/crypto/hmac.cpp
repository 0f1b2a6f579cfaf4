#include "crypto/hmac.h"

#include <openssl/evp.h>

#include <algorithm>
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

// HKDF is built on the HMAC template rather than EVP_KDF: OpenSSL 3.0's HKDF
// provider has no context dup (added in 3.1), so a dup of the prepared HKDF
// template comes back without its digest and every derive fails. A fresh KDF
// context per call would set the digest by name, i.e. fetch on the hot path.
// RFC 5869 over HMAC is short and needs one context dup per call.
namespace {

// One HMAC context dup'ed from the fetched template, keyed per use.
class Mac {
 public:
  explicit Mac(HashId id) : ctx_(EVP_MAC_CTX_dup(fetched().hmac_template[static_cast<int>(id)])) {
    if (!ctx_) mac_failure();
  }
  ~Mac() { EVP_MAC_CTX_free(ctx_); }
  Mac(const Mac&) = delete;
  Mac& operator=(const Mac&) = delete;

  void init(std::span<const std::uint8_t> key) {
    if (EVP_MAC_init(ctx_, nz(key), key.size(), nullptr) != 1) mac_failure();
  }
  void update(std::span<const std::uint8_t> data) {
    if (!data.empty() && EVP_MAC_update(ctx_, data.data(), data.size()) != 1) mac_failure();
  }
  void final(std::span<std::uint8_t> out) {
    std::size_t n = 0;
    if (EVP_MAC_final(ctx_, out.data(), &n, out.size()) != 1 || n != out.size()) mac_failure();
  }

 private:
  EVP_MAC_CTX* ctx_;
};

}  // namespace

// PRK = HMAC-Hash(salt, IKM) (RFC 5869 §2.2).
PrkSecret hkdf_extract(HashId id, std::span<const std::uint8_t> salt,
                       std::span<const std::uint8_t> ikm) {
  std::array<std::uint8_t, kMaxHashLength> zeros{};
  const std::size_t hl = hash_length(id);
  if (salt.empty()) salt = std::span<const std::uint8_t>(zeros.data(), hl);
  Mac mac(id);
  mac.init(salt);
  mac.update(ikm);
  PrkSecret prk;
  mac.final(prk.resize_for_write(hl));
  return prk;
}

// T(i) = HMAC-Hash(PRK, T(i-1) | info | i), OKM = first L octets of
// T(1) | T(2) | ... (RFC 5869 §2.3).
bool hkdf_expand(HashId id, std::span<const std::uint8_t> prk, std::span<const std::uint8_t> info,
                 std::span<std::uint8_t> out) {
  const std::size_t hl = hash_length(id);
  if (out.size() > 255 * hl || out.empty()) return false;
  Mac mac(id);
  Secret<kMaxHashLength> t;  // T(i), wiped on return
  auto block = t.resize_for_write(hl);
  std::size_t done = 0;
  for (std::uint8_t i = 1; done < out.size(); ++i) {
    mac.init(prk);
    if (i > 1) mac.update(block);
    mac.update(info);
    mac.update(std::span(&i, 1));
    mac.final(block);
    const std::size_t n = std::min(hl, out.size() - done);
    std::copy_n(block.begin(), n, out.begin() + static_cast<std::ptrdiff_t>(done));
    done += n;
  }
  return true;
}

}  // namespace tls13::crypto
