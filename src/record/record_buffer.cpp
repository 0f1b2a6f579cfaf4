#include "record/record_buffer.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

namespace tls13::record {

namespace {

// Free record-sized blocks of this thread. A cache of raw memory, not
// state any connection depends on: a miss only costs a malloc.
struct Pool {
  void* free[RecordBuffer::kPoolBlocks] = {};
  int n = 0;
  ~Pool() {
    for (int i = 0; i < n; ++i) ::operator delete(free[i]);
  }
};

thread_local Pool pool;

void* take_block(std::size_t bytes) {
  if (bytes == RecordBuffer::kBlock && pool.n > 0) return pool.free[--pool.n];
  return ::operator new(bytes);  // through operator new: allocation counters see it
}

void give_block(void* p, std::size_t bytes) noexcept {
  if (bytes == RecordBuffer::kBlock && pool.n < RecordBuffer::kPoolBlocks) {
    pool.free[pool.n++] = p;
    return;
  }
  ::operator delete(p);
}

}  // namespace

RecordBuffer::RecordBuffer(RecordBuffer&& o) noexcept
    : p_(std::exchange(o.p_, nullptr)),
      size_(std::exchange(o.size_, 0)),
      cap_(std::exchange(o.cap_, 0)) {}

RecordBuffer& RecordBuffer::operator=(RecordBuffer&& o) noexcept {
  if (this != &o) {
    release();
    p_ = std::exchange(o.p_, nullptr);
    size_ = std::exchange(o.size_, 0);
    cap_ = std::exchange(o.cap_, 0);
  }
  return *this;
}

void RecordBuffer::release() noexcept {
  if (p_) give_block(p_, cap_);
  p_ = nullptr;
  size_ = cap_ = 0;
}

std::span<std::uint8_t> RecordBuffer::extend(std::size_t n) {
  if (size_ + n > cap_) {
    const std::size_t want = std::max(size_ + n, kBlock);
    const std::size_t cap = want == kBlock ? kBlock : std::max(want, 2 * cap_);
    auto* p = static_cast<std::uint8_t*>(take_block(cap));
    if (size_) std::memcpy(p, p_, size_);
    if (p_) give_block(p_, cap_);
    p_ = p;
    cap_ = cap;
  }
  auto out = std::span<std::uint8_t>(p_ + size_, n);
  size_ += n;
  return out;
}

void RecordBuffer::append(std::span<const std::uint8_t> b) {
  if (b.empty()) return;
  auto dst = extend(b.size());
  std::memcpy(dst.data(), b.data(), b.size());
}

void RecordBuffer::truncate(std::size_t n) noexcept {
  size_ = std::min(n, size_);
  if (size_ == 0) release();
}

void RecordBuffer::consume(std::size_t n) noexcept {
  n = std::min(n, size_);
  if (n == size_) {
    release();
    return;
  }
  std::memmove(p_, p_ + n, size_ - n);
  size_ -= n;
}

}  // namespace tls13::record
