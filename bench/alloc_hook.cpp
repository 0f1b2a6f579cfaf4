#include "alloc_hook.h"

#include <openssl/crypto.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

namespace bench {

namespace {

// Each block carries a 16-byte header holding its requested size (16 keeps
// malloc's alignment for the caller).
constexpr std::size_t kHeader = 16;

struct Counters {
  std::uint64_t allocs = 0;
  std::int64_t live = 0;
  std::int64_t peak = 0;
} g;

inline void on_alloc(std::size_t n) noexcept {
  ++g.allocs;
  g.live += static_cast<std::int64_t>(n);
  if (g.live > g.peak) g.peak = g.live;
}

inline void on_free(std::size_t n) noexcept {
  g.live -= static_cast<std::int64_t>(n);
}

void* counted_malloc(std::size_t n) noexcept {
  auto* base = static_cast<unsigned char*>(std::malloc(n + kHeader));
  if (!base) return nullptr;
  std::memcpy(base, &n, sizeof n);
  on_alloc(n);
  return base + kHeader;
}

void counted_free(void* p) noexcept {
  if (!p) return;
  auto* base = static_cast<unsigned char*>(p) - kHeader;
  std::size_t n;
  std::memcpy(&n, base, sizeof n);
  on_free(n);
  std::free(base);
}

void* counted_realloc(void* p, std::size_t n) noexcept {
  if (!p) return counted_malloc(n);
  if (n == 0) {
    counted_free(p);
    return nullptr;
  }
  auto* base = static_cast<unsigned char*>(p) - kHeader;
  std::size_t old;
  std::memcpy(&old, base, sizeof old);
  auto* nb = static_cast<unsigned char*>(std::realloc(base, n + kHeader));
  if (!nb) return nullptr;
  std::memcpy(nb, &n, sizeof n);
  on_free(old);
  on_alloc(n);
  return nb + kHeader;
}

// Over-aligned blocks: the header sits just below the returned pointer, the
// alignment (known again at delete) gives the distance to the base.
void* counted_aligned(std::size_t n, std::size_t align) noexcept {
  if (align < kHeader) align = kHeader;
  const std::size_t total = ((n + align + align - 1) / align) * align;
  auto* base = static_cast<unsigned char*>(std::aligned_alloc(align, total));
  if (!base) return nullptr;
  unsigned char* p = base + align;
  std::memcpy(p - kHeader, &n, sizeof n);
  on_alloc(n);
  return p;
}

void counted_aligned_free(void* p, std::size_t align) noexcept {
  if (!p) return;
  if (align < kHeader) align = kHeader;
  auto* q = static_cast<unsigned char*>(p);
  std::size_t n;
  std::memcpy(&n, q - kHeader, sizeof n);
  on_free(n);
  std::free(q - align);
}

void* ossl_malloc(std::size_t n, const char*, int) {
  return counted_malloc(n);
}
void* ossl_realloc(void* p, std::size_t n, const char*, int) {
  return counted_realloc(p, n);
}
void ossl_free(void* p, const char*, int) {
  counted_free(p);
}

}  // namespace

AllocStats alloc_stats() noexcept {
  return {g.allocs, g.live, g.peak};
}
void reset_peak() noexcept {
  g.peak = g.live;
}

void install_openssl_hooks() {
  if (CRYPTO_set_mem_functions(ossl_malloc, ossl_realloc, ossl_free) != 1) {
    std::fprintf(stderr, "tls13-bench: libcrypto allocated before the hooks were set\n");
    std::abort();
  }
}

}  // namespace bench

// ---- the process's operator new / delete ----

void* operator new(std::size_t n) {
  if (void* p = bench::counted_malloc(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  return operator new(n);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return bench::counted_malloc(n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return bench::counted_malloc(n);
}
void* operator new(std::size_t n, std::align_val_t a) {
  if (void* p = bench::counted_aligned(n, static_cast<std::size_t>(a))) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return operator new(n, a);
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return bench::counted_aligned(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return bench::counted_aligned(n, static_cast<std::size_t>(a));
}

void operator delete(void* p) noexcept {
  bench::counted_free(p);
}
void operator delete[](void* p) noexcept {
  bench::counted_free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  bench::counted_free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  bench::counted_free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  bench::counted_free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  bench::counted_free(p);
}
void operator delete(void* p, std::align_val_t a) noexcept {
  bench::counted_aligned_free(p, static_cast<std::size_t>(a));
}
void operator delete[](void* p, std::align_val_t a) noexcept {
  bench::counted_aligned_free(p, static_cast<std::size_t>(a));
}
void operator delete(void* p, std::size_t, std::align_val_t a) noexcept {
  bench::counted_aligned_free(p, static_cast<std::size_t>(a));
}
void operator delete[](void* p, std::size_t, std::align_val_t a) noexcept {
  bench::counted_aligned_free(p, static_cast<std::size_t>(a));
}
void operator delete(void* p, std::align_val_t a, const std::nothrow_t&) noexcept {
  bench::counted_aligned_free(p, static_cast<std::size_t>(a));
}
void operator delete[](void* p, std::align_val_t a, const std::nothrow_t&) noexcept {
  bench::counted_aligned_free(p, static_cast<std::size_t>(a));
}
