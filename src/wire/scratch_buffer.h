// A byte buffer for encoding something that is copied elsewhere right after
// (an extension body into its list, a handshake message into the transcript
// and the output): the calling thread's reusable buffer, so encoding does not
// allocate each time, or a vector of its own when that buffer is already in
// use (nested encodings). Zeroed after use, and given back to the heap when a
// large encoding grew it. Per thread, so no locking.
#pragma once

#include <cstdint>
#include <vector>

namespace tls13::wire {

class ScratchBuffer {
 public:
  ScratchBuffer();
  ~ScratchBuffer();
  ScratchBuffer(const ScratchBuffer&) = delete;
  ScratchBuffer& operator=(const ScratchBuffer&) = delete;

  // Empty on construction.
  std::vector<std::uint8_t>& bytes() noexcept { return *v_; }

  // Capacity above which the thread's buffer is not kept.
  static constexpr std::size_t kKeptCapacity = 4096;

 private:
  std::vector<std::uint8_t> own_;
  std::vector<std::uint8_t>* v_ = &own_;
  bool borrowed_ = false;
};

}  // namespace tls13::wire
