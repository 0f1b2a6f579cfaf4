// HKDF-Expand-Label and Derive-Secret (RFC 8446 §7.1). Called for every
// secret, key and IV, so the HkdfLabel is built on the stack, never the heap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "base/secret.h"
#include "crypto/algorithms.h"
#include "crypto/hash.h"
#include "crypto/hmac.h"

namespace tls13::ks {

// Every label is sent as "tls13 " + Label (RFC 8446 §7.1).
inline constexpr std::string_view kLabelPrefix = "tls13 ";
// opaque label<7..255> leaves at most 249 octets for Label itself.
inline constexpr std::size_t kMaxLabelLength = 255 - kLabelPrefix.size();
inline constexpr std::size_t kMaxContextLength = 255;
// uint16 length + label<7..255> + context<0..255>.
inline constexpr std::size_t kMaxHkdfLabelSize = 2 + 1 + 255 + 1 + 255;

// Which Labels an HkdfLabel may carry. TLS's own labels are never empty
// (label<7..255>). A TLS-Exporter label (§7.5) is the application's: RFC
// 5705 §4 sets no lower bound and other stacks export under "", so there
// an empty Label (a 6-octet "tls13 ") is allowed.
enum class LabelRule : std::uint8_t { tls, exporter };

// Writes the HkdfLabel struct
//   struct { uint16 length; opaque label<7..255>; opaque context<0..255>; }
// for ("tls13 " + label, context, length) into `out` and returns the number
// of bytes written; 0 when label is empty (under LabelRule::tls) or longer
// than kMaxLabelLength or context is longer than kMaxContextLength.
std::size_t encode_hkdf_label(std::uint16_t length, std::string_view label,
                              std::span<const std::uint8_t> context,
                              std::span<std::uint8_t, kMaxHkdfLabelSize> out,
                              LabelRule rule = LabelRule::tls) noexcept;

// HKDF-Expand-Label(secret, label, context, out.size()) into `out`. False
// when the label or context does not fit HkdfLabel, or out.size() is 0 or
// above 255 * Hash.length.
[[nodiscard]] bool hkdf_expand_label(crypto::HashId hash, std::span<const std::uint8_t> secret,
                                     std::string_view label, std::span<const std::uint8_t> context,
                                     std::span<std::uint8_t> out, LabelRule rule = LabelRule::tls);

// The same with the secret already keyed as an HMAC key: a secret that
// derives several values pays for its HMAC pads once.
[[nodiscard]] bool hkdf_expand_label(const crypto::HmacKey& secret, std::string_view label,
                                     std::span<const std::uint8_t> context,
                                     std::span<std::uint8_t> out, LabelRule rule = LabelRule::tls);

// Derive-Secret(secret, label, Messages) with Transcript-Hash(Messages)
// already computed by the caller (a Transcript snapshot, or Hash("") for the
// "derived" steps). The result has Hash.length bytes.
Secret<crypto::kMaxHashLength> derive_secret(crypto::HashId hash,
                                             std::span<const std::uint8_t> secret,
                                             std::string_view label,
                                             const crypto::Digest& messages_hash,
                                             LabelRule rule = LabelRule::tls);

Secret<crypto::kMaxHashLength> derive_secret(const crypto::HmacKey& secret, std::string_view label,
                                             const crypto::Digest& messages_hash,
                                             LabelRule rule = LabelRule::tls);

}  // namespace tls13::ks
