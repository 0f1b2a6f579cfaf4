// Decoded messages and extensions hold views into the bytes they were decoded
// from. This deleted overload turns decoding from a temporary vector (whose
// views would dangle at once) into a compile error.
#pragma once

#include <cstdint>
#include <vector>

#include "base/result.h"

#define TLS13_MSG_NO_DECODE_FROM_TEMPORARY(T) \
  static Result<T> decode(std::vector<std::uint8_t>&&, auto&&...) = delete
