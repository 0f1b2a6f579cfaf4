// The system CSPRNG behind the RandomSource interface.
#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>
#include <limits>

#include "tls13/random.h"

namespace tls13 {

namespace {
class SystemRandom final : public RandomSource {
 public:
  void fill(std::span<std::uint8_t> out) override {
    while (!out.empty()) {
      const std::size_t n = std::min<std::size_t>(out.size(), std::numeric_limits<int>::max());
      if (RAND_bytes(out.data(), static_cast<int>(n)) != 1) {
        // No randomness means no security: never continue.
        std::fputs("tls13: RAND_bytes failed\n", stderr);
        std::abort();
      }
      out = out.subspan(n);
    }
  }
};
}  // namespace

RandomSource& system_random() noexcept {
  static SystemRandom instance;  // stateless
  return instance;
}

}  // namespace tls13
