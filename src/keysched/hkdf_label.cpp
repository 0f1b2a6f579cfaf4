#include "keysched/hkdf_label.h"

#include <algorithm>
#include <array>
#include <cassert>

#include "crypto/hmac.h"

namespace tls13::ks {

std::size_t encode_hkdf_label(std::uint16_t length, std::string_view label,
                              std::span<const std::uint8_t> context,
                              std::span<std::uint8_t, kMaxHkdfLabelSize> out,
                              LabelRule rule) noexcept {
  if ((label.empty() && rule == LabelRule::tls) || label.size() > kMaxLabelLength ||
      context.size() > kMaxContextLength)
    return 0;
  std::size_t n = 0;
  out[n++] = static_cast<std::uint8_t>(length >> 8);
  out[n++] = static_cast<std::uint8_t>(length);
  out[n++] = static_cast<std::uint8_t>(kLabelPrefix.size() + label.size());
  n = std::copy(kLabelPrefix.begin(), kLabelPrefix.end(), out.begin() + n) - out.begin();
  n = std::copy(label.begin(), label.end(), out.begin() + n) - out.begin();
  out[n++] = static_cast<std::uint8_t>(context.size());
  n = std::copy(context.begin(), context.end(), out.begin() + n) - out.begin();
  return n;
}

bool hkdf_expand_label(const crypto::HmacKey& secret, std::string_view label,
                       std::span<const std::uint8_t> context, std::span<std::uint8_t> out,
                       LabelRule rule) {
  if (out.size() > 0xffff) return false;
  std::array<std::uint8_t, kMaxHkdfLabelSize> info;
  const std::size_t n =
      encode_hkdf_label(static_cast<std::uint16_t>(out.size()), label, context, info, rule);
  if (n == 0) return false;
  return crypto::hkdf_expand(secret, std::span(info.data(), n), out);
}

bool hkdf_expand_label(crypto::HashId hash, std::span<const std::uint8_t> secret,
                       std::string_view label, std::span<const std::uint8_t> context,
                       std::span<std::uint8_t> out, LabelRule rule) {
  return hkdf_expand_label(crypto::HmacKey(hash, secret), label, context, out, rule);
}

Secret<crypto::kMaxHashLength> derive_secret(const crypto::HmacKey& secret, std::string_view label,
                                             const crypto::Digest& messages_hash, LabelRule rule) {
  const crypto::HashId hash = secret.hash();
  assert(messages_hash.size() == crypto::hash_length(hash));
  Secret<crypto::kMaxHashLength> out;
  const bool ok = hkdf_expand_label(secret, label, messages_hash.span(),
                                    out.resize_for_write(crypto::hash_length(hash)), rule);
  // Callers pass the RFC's fixed labels and a digest, which always fit.
  assert(ok);
  (void)ok;
  return out;
}

Secret<crypto::kMaxHashLength> derive_secret(crypto::HashId hash,
                                             std::span<const std::uint8_t> secret,
                                             std::string_view label,
                                             const crypto::Digest& messages_hash, LabelRule rule) {
  return derive_secret(crypto::HmacKey(hash, secret), label, messages_hash, rule);
}

}  // namespace tls13::ks
