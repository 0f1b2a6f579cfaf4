// The system CSPRNG behind the RandomSource interface.
//
// Each RAND_bytes call costs about 1.8 us here, half of it a getpid()
// system call libcrypto makes for fork detection, whatever the size; a
// handshake draws 32 bytes at a time three or four times per side. So each
// thread draws a page's worth at once and hands it out. A child process
// must never see its parent's unused bytes: the page is marked
// MADV_WIPEONFORK, so a fork leaves the child a zeroed page whose count
// says "empty". Where the kernel cannot do that, bytes come straight from
// RAND_bytes. Handed-out bytes are wiped from the page at once.
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "tls13/random.h"

namespace tls13 {

namespace {

[[noreturn]] void no_randomness() {
  // No randomness means no security: never continue.
  std::fputs("tls13: RAND_bytes failed\n", stderr);
  std::abort();
}

void rand_bytes(std::span<std::uint8_t> out) {
  while (!out.empty()) {
    const std::size_t n = std::min<std::size_t>(out.size(), std::numeric_limits<int>::max());
    if (RAND_bytes(out.data(), static_cast<int>(n)) != 1) no_randomness();
    out = out.subspan(n);
  }
}

constexpr std::size_t kPage = 4096;

// One page: the count of unused bytes at its start, the bytes after it.
// The unused bytes are the last `left` of `bytes`.
struct PoolPage {
  std::size_t left;
  std::uint8_t bytes[kPage - sizeof(std::size_t)];
};
static_assert(sizeof(PoolPage) == kPage);

class ThreadPool {
 public:
  ThreadPool() {
    void* p = mmap(nullptr, kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return;
#ifdef MADV_WIPEONFORK
    if (madvise(p, kPage, MADV_WIPEONFORK) == 0) {
      page_ = static_cast<PoolPage*>(p);
      page_->left = 0;
      return;
    }
#endif
    munmap(p, kPage);  // no fork-safe page: no pool
  }
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;
  ~ThreadPool() {
    if (!page_) return;
    OPENSSL_cleanse(page_, kPage);
    munmap(page_, kPage);
  }

  void fill(std::span<std::uint8_t> out) {
    if (out.empty()) return;
    // Large requests (and the no-pool case) go straight to the DRBG.
    if (!page_ || out.size() > sizeof(page_->bytes) / 4) return rand_bytes(out);
    if (page_->left < out.size()) {
      rand_bytes(page_->bytes);
      page_->left = sizeof(page_->bytes);
    }
    std::uint8_t* from = page_->bytes + (sizeof(page_->bytes) - page_->left);
    std::memcpy(out.data(), from, out.size());
    OPENSSL_cleanse(from, out.size());
    page_->left -= out.size();
  }

 private:
  PoolPage* page_ = nullptr;
};

class SystemRandom final : public RandomSource {
 public:
  void fill(std::span<std::uint8_t> out) override {
    thread_local ThreadPool pool;
    pool.fill(out);
  }
};

}  // namespace

RandomSource& system_random() noexcept {
  static SystemRandom instance;  // its only state is per thread
  return instance;
}

}  // namespace tls13
