// Constant-time comparison for MACs, Finished, binders and tickets.
#pragma once

#include <cstdint>
#include <span>

namespace tls13 {

// True when a and b have equal length and equal contents. The time taken
// depends only on the lengths (implemented over CRYPTO_memcmp in crypto/).
bool ct_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept;

}  // namespace tls13
