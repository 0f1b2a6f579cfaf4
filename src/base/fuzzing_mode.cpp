#include "base/fuzzing_mode.h"

namespace tls13 {

bool unsafe_fuzzing_mode() noexcept {
  return kUnsafeFuzzingMode;
}

}  // namespace tls13
