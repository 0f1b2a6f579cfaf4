// Byte buffers for records that hold memory only while they hold bytes.
//
// An idle connection should cost little (issue 6: a few KiB), yet a busy
// one should not allocate per record. A RecordBuffer takes its storage from
// a small per-thread pool of record-sized blocks when it gets its first
// byte and gives the block back when it empties: a connection between
// records holds no buffer, and a stream of records reuses the same block.
// Needs beyond one block (a large handshake flight) get a heap block of
// their own, freed when emptied. The pool keeps at most kPoolBlocks free
// blocks per thread; a block may be released on another thread than the
// one that took it. Contents are not wiped (records and application data,
// no keys).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tls13::record {

class RecordBuffer {
 public:
  // One full protected record plus its header, rounded up.
  static constexpr std::size_t kBlock = 17 * 1024;
  static constexpr int kPoolBlocks = 4;

  RecordBuffer() = default;
  ~RecordBuffer() { release(); }
  RecordBuffer(RecordBuffer&& o) noexcept;
  RecordBuffer& operator=(RecordBuffer&& o) noexcept;
  RecordBuffer(const RecordBuffer&) = delete;
  RecordBuffer& operator=(const RecordBuffer&) = delete;

  std::uint8_t* data() noexcept { return p_; }
  const std::uint8_t* data() const noexcept { return p_; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::size_t capacity() const noexcept { return cap_; }
  std::span<std::uint8_t> span() noexcept { return {p_, size_}; }
  std::span<const std::uint8_t> span() const noexcept { return {p_, size_}; }

  // Grows by n bytes (contents kept, the new ones unset) and returns them.
  std::span<std::uint8_t> extend(std::size_t n);
  void append(std::span<const std::uint8_t> b);
  // Keeps the first n bytes (n <= size()); empty gives the block back.
  void truncate(std::size_t n) noexcept;
  // Drops the first n bytes.
  void consume(std::size_t n) noexcept;
  void clear() noexcept { truncate(0); }

 private:
  void release() noexcept;
  std::uint8_t* p_ = nullptr;
  std::size_t size_ = 0;
  std::size_t cap_ = 0;
};

}  // namespace tls13::record
