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

// An HMAC context duplicated from the fetched template (digest already set).
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

Digest hmac(HashId id, std::span<const std::uint8_t> key, std::span<const std::uint8_t> data) {
  Mac mac(id);
  mac.init(key);
  mac.update(data);
  Digest d;
  mac.final(d.resize_for_write(hash_length(id)));
  return d;
}

// HKDF is written out over HMAC rather than EVP_KDF "HKDF": in OpenSSL 3.0
// EVP_KDF_CTX_dup drops the digest of an HKDF context (the duplicate's
// derive fails), and setting it per call would fetch it by name each time.
// The TLS key schedule's outputs are one or two blocks, so this is also the
// cheaper route.

PrkSecret hkdf_extract(HashId id, std::span<const std::uint8_t> salt,
                       std::span<const std::uint8_t> ikm) {
  std::array<std::uint8_t, kMaxHashLength> zeros{};
  const std::size_t hl = hash_length(id);
  if (salt.empty()) salt = std::span<const std::uint8_t>(zeros.data(), hl);
  // PRK = HMAC-Hash(salt, IKM) (RFC 5869 §2.2).
  Mac mac(id);
  mac.init(salt);
  mac.update(ikm);
  PrkSecret prk;
  mac.final(prk.resize_for_write(hl));
  return prk;
}

bool hkdf_expand(HashId id, std::span<const std::uint8_t> prk, std::span<const std::uint8_t> info,
                 std::span<std::uint8_t> out) {
  const std::size_t hl = hash_length(id);
  if (out.size() > 255 * hl || out.empty()) return false;
  // T(0) = empty; T(i) = HMAC-Hash(PRK, T(i-1) | info | i); OKM = first L
  // octets of T(1) | T(2) | ... (RFC 5869 §2.3).
  Mac mac(id);
  Secret<kMaxHashLength> t;
  std::uint8_t counter = 0;
  for (std::size_t done = 0; done < out.size(); done += hl) {
    ++counter;
    mac.init(prk);
    mac.update(t.span());
    mac.update(info);
    mac.update(std::span<const std::uint8_t>(&counter, 1));
    auto block = t.resize_for_write(hl);
    mac.final(block);
    const std::size_t n = std::min(hl, out.size() - done);
    std::copy_n(block.begin(), n, out.begin() + static_cast<std::ptrdiff_t>(done));
  }
  return true;
}

}  // namespace tls13::crypto
