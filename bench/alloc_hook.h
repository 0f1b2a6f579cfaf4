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

// Allocation sites, for finding what allocates (BENCH_ALLOC_SITES=1, see
// main.cpp): while tracing, each allocation is charged to the innermost
// tls13 function on its stack; dump_sites() prints the totals.
void trace_sites(bool on) noexcept;
void dump_sites(double per);
// alloc_sites.cpp (its own file: the container code there must not see the
// replaced operator delete inlined).
void prepare_sites();
void note_site() noexcept;
void print_sites(double per);

// Routes libcrypto's allocations through the counters. Must run before
// libcrypto allocates anything (first thing in main); aborts otherwise.
void install_openssl_hooks();

}  // namespace bench
