// HMAC (RFC 2104) and HKDF (RFC 5869) on crypto::Hash. The key's inner and
// outer pad states are hashed once (HmacKey); each MAC then copies them (a
// struct copy, hash.cpp), so nothing is allocated and no provider is
// called. The pad states depend on the key, so they are wiped with the
// Hash objects.
#include "crypto/hmac.h"

#include <algorithm>
#include <array>
#include <cstdlib>

#include "base/secret.h"

namespace tls13::crypto {

namespace {
constexpr std::size_t kMaxBlock = 128;  // SHA-384/512
}  // namespace

HmacKey::HmacKey(HashId id, std::span<const std::uint8_t> key) : inner_(id), outer_(id) {
  const std::size_t block = inner_.block_size();
  Secret<kMaxBlock> k;                  // K0: the key, or its hash when longer than a block
  auto k0 = k.resize_for_write(block);  // zeroed
  if (key.size() > block) {
    Hash h(id);
    h.update(key);
    h.finish(k0.first(hash_length(id)));
  } else {
    std::copy(key.begin(), key.end(), k0.begin());
  }
  for (auto& b : k0) b ^= 0x36;
  inner_.update(k0);
  for (auto& b : k0) b ^= 0x36 ^ 0x5c;
  outer_.update(k0);
}

void HmacKey::wipe() noexcept {
  inner_ = Hash(inner_.id());  // assignment wipes the old state
  outer_ = Hash(outer_.id());
}

void HmacKey::mac(std::initializer_list<std::span<const std::uint8_t>> parts,
                  std::span<std::uint8_t> out) const {
  Hash in = inner_.clone();
  for (const auto& p : parts) in.update(p);
  Secret<kMaxHashLength> ih;
  in.finish(ih.resize_for_write(in.length()));
  Hash o = outer_.clone();
  o.update(ih.span());
  o.finish(out);
}

Digest hmac(HashId id, std::span<const std::uint8_t> key, std::span<const std::uint8_t> data) {
  Digest d;
  HmacKey(id, key).mac({data}, d.resize_for_write(hash_length(id)));
  return d;
}

// PRK = HMAC-Hash(salt, IKM) (RFC 5869 §2.2). An empty salt is HashLen
// zero octets, which as an HMAC key is the same as no key at all.
PrkSecret hkdf_extract(HashId id, std::span<const std::uint8_t> salt,
                       std::span<const std::uint8_t> ikm) {
  PrkSecret prk;
  HmacKey(id, salt).mac({ikm}, prk.resize_for_write(hash_length(id)));
  return prk;
}

// T(i) = HMAC-Hash(PRK, T(i-1) | info | i), OKM = first L octets of
// T(1) | T(2) | ... (RFC 5869 §2.3).
bool hkdf_expand(HashId id, std::span<const std::uint8_t> prk, std::span<const std::uint8_t> info,
                 std::span<std::uint8_t> out) {
  return hkdf_expand(HmacKey(id, prk), info, out);
}

bool hkdf_expand(const HmacKey& mac, std::span<const std::uint8_t> info,
                 std::span<std::uint8_t> out) {
  const std::size_t hl = hash_length(mac.hash());
  if (out.size() > 255 * hl || out.empty()) return false;
  Secret<kMaxHashLength> t;  // T(i), wiped on return
  auto block = t.resize_for_write(hl);
  std::size_t done = 0;
  for (std::uint8_t i = 1; done < out.size(); ++i) {
    const std::span<const std::uint8_t> prev = i > 1 ? block : std::span<std::uint8_t>{};
    mac.mac({prev, info, std::span<const std::uint8_t>(&i, 1)}, block);
    const std::size_t n = std::min(hl, out.size() - done);
    std::copy_n(block.begin(), n, out.begin() + static_cast<std::ptrdiff_t>(done));
    done += n;
  }
  return true;
}

}  // namespace tls13::crypto
