#include "wire/scratch_buffer.h"

#include <algorithm>

namespace tls13::wire {

namespace {

struct ThreadScratch {
  std::vector<std::uint8_t> buf;
  bool busy = false;
};

ThreadScratch& thread_scratch() {
  thread_local ThreadScratch s;
  return s;
}

}  // namespace

ScratchBuffer::ScratchBuffer() {
  ThreadScratch& t = thread_scratch();
  if (t.busy) return;
  t.busy = true;
  borrowed_ = true;
  v_ = &t.buf;
  v_->clear();
}

ScratchBuffer::~ScratchBuffer() {
  if (!borrowed_) return;
  std::fill(v_->begin(), v_->end(), std::uint8_t{0});
  v_->clear();
  if (v_->capacity() > kKeptCapacity) std::vector<std::uint8_t>().swap(*v_);
  thread_scratch().busy = false;
}

}  // namespace tls13::wire
