// Counting allocator for the benchmark: every C++ operator new/delete of the
// process and, once install_openssl_hooks() ran, every libcrypto/libssl
// allocation (CRYPTO_set_mem_functions). Counts are of requested bytes;
// malloc's own per-block overhead is not included (bench-method.md).
// Single-threaded use only: the counters are plain integers.
#pragma once

#include <cstdint>

namespace bench {

struct AllocStats {
  std::uint64_t allocs = 0;     // allocations so far (new, malloc, realloc)
  std::int64_t live_bytes = 0;  // requested bytes not yet freed
  std::int64_t peak_bytes = 0;  // highest live_bytes since reset_peak()
};

AllocStats alloc_stats() noexcept;
void reset_peak() noexcept;

// Routes libcrypto's allocations through the counters. Must run before
// libcrypto allocates anything (first thing in main); aborts otherwise.
void install_openssl_hooks();

}  // namespace bench
